// FiringErrorPlot: each follower's firing error (measured trigger edge − T) as a bar, with p50, p99 and
// the spread, so the follower that fired late stands out.
#pragma once

#include "core/fleet/firing_statistics.h"

#include <QWidget>

#include <vector>

namespace scopesync::ui {

class FiringErrorPlot : public QWidget {
    Q_OBJECT

public:
    explicit FiringErrorPlot(QWidget *parent = nullptr);

    struct Bar {
        QString follower;
        double errorUs = 0;
    };
    void setErrors(std::vector<Bar> bars, const core::fleet::FiringSummary &summary);
    void clear();

    [[nodiscard]] const std::vector<Bar> &bars() const { return m_bars; }
    // The error axis: symmetric around 0 when errors have both signs; in µs.
    [[nodiscard]] double axisMinUs() const { return m_minUs; }
    [[nodiscard]] double axisMaxUs() const { return m_maxUs; }
    [[nodiscard]] QSize minimumSizeHint() const override { return {240, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    std::vector<Bar> m_bars;
    core::fleet::FiringSummary m_summary;
    double m_minUs = 0;
    double m_maxUs = 100;
};

}  // namespace scopesync::ui
