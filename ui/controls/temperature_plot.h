// TemperaturePlot: the slide's temperature and the set point over the last minutes, painted with QPainter.
#pragma once

#include <QWidget>

#include <deque>
#include <optional>

namespace scopesync::ui {

class TemperaturePlot : public QWidget {
    Q_OBJECT

public:
    explicit TemperaturePlot(QWidget *parent = nullptr);

    // One sample; `seconds` is any monotonic time base (samples older than the window are dropped).
    void addSample(double seconds, double celsius, std::optional<double> setPointCelsius);
    [[nodiscard]] int sampleCount() const { return int(m_samples.size()); }
    [[nodiscard]] QSize sizeHint() const override { return {300, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Sample {
        double seconds;
        double celsius;
        std::optional<double> setPoint;
    };
    std::deque<Sample> m_samples;
    double m_windowSeconds = 900;  // fifteen minutes: a heating step fits
};

}  // namespace scopesync::ui
