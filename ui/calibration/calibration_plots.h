// Plots for the calibration wizard: uniformity against delay with the window, and the row profile.
#pragma once

#include "ui/calibration/calibration_session.h"

#include <QWidget>

namespace scopesync::ui {

// Score (0–1) against delay (ms): one dot per frame, the window found so far shaded, measured edges
// drawn solid and predicted ones dashed. Tapping a dot shows its figures (no hover-only information).
class ScoreCurvePlot : public QWidget {
    Q_OBJECT

public:
    explicit ScoreCurvePlot(QWidget *parent = nullptr);
    void clear();
    void addStep(const CalibrationStep &step);
    void setRange(double minMs, double maxMs);
    [[nodiscard]] QSize minimumSizeHint() const override { return {240, 140}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    [[nodiscard]] QRectF plotArea() const;
    [[nodiscard]] double xFor(double ms) const;
    [[nodiscard]] double yFor(double score) const;

    std::vector<CalibrationStep> m_steps;  // row profiles and images dropped: only the figures are kept
    double m_minMs = 0;
    double m_maxMs = 100;
    int m_selected = -1;
};

// The last frame's mean signal per row (sensor order), so a band shows as a ramp at one end.
class RowProfilePlot : public QWidget {
    Q_OBJECT

public:
    explicit RowProfilePlot(QWidget *parent = nullptr);
    void setProfile(const QVector<double> &profile, const QString &caption);
    [[nodiscard]] QSize minimumSizeHint() const override { return {240, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QVector<double> m_profile;
    QString m_caption;
};

}  // namespace scopesync::ui
