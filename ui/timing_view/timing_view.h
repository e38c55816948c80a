// TimingView: the exposure/LED timing plot (rows' exposure windows, trigger, planned and measured LED edges).
#pragma once

#include "core/acquisition/ports.h"
#include "core/timing/exposure_model.h"
#include "ui/timing_view/view_scale.h"

#include <QPixmap>
#include <QPointF>
#include <QPolygonF>
#include <QWidget>

#include <chrono>
#include <deque>
#include <optional>
#include <vector>

class QTimer;

namespace scopesync::ui {

// Painted in layers like a logic analyser: a cached background (axis, row windows, valid flash window,
// planned flashes) redrawn only when the model, scale or size change, then the measured edges, then the
// cursor and its readout. Repaints are batched by a single-shot timer to at most 30 per second, so a
// strobe engine reporting edges at any rate costs the GUI thread a bounded amount of painting.
class TimingView : public QWidget {
    Q_OBJECT

public:
    static constexpr int kRepaintIntervalMs = 34;  // ≤ 30 Hz
    static constexpr std::size_t kMaxMeasuredEdges = 20'000;  // oldest dropped first

    explicit TimingView(QWidget *parent = nullptr);

    // Each pulse is drawn at `delay` + its own delay after the trigger edge (a frame plan's pulses carry
    // their delay and pass zero here; a protocol image's flashes all start at the rig's `delay`).
    void setModel(const core::timing::SensorMode &mode, core::timing::ShutterType shutter,
        std::chrono::microseconds exposure, std::chrono::microseconds delay,
        std::vector<core::acquisition::LedPulse> flashes, std::chrono::microseconds offset = {});
    // Edges the strobe engine drove for the frame whose trigger edge came at `triggerTime`. Safe to call
    // from any thread: off the GUI thread it queues itself.
    void addMeasuredEdges(
        const std::vector<core::acquisition::DrivenEdge> &edges, core::acquisition::MonoTime triggerTime);
    void clearMeasured();

    // Shows the whole frame: from just before the trigger to the end of the last row's exposure.
    void fitAll();
    [[nodiscard]] const ViewScale &scale() const { return m_scale; }
    void setScale(const ViewScale &scale);

    // Geometry in widget coordinates, as painted (for tests and readouts).
    [[nodiscard]] QRectF plotRect() const;
    [[nodiscard]] QRectF rowsRect() const;
    [[nodiscard]] QRectF laneRect(int lane) const;  // lane 0 is the trigger, then one per LED
    [[nodiscard]] QPolygonF exposurePolygon() const;
    [[nodiscard]] QRectF validWindowRect() const;  // flash starts that light every row (strictest flash)
    [[nodiscard]] double xForTime(std::chrono::duration<double> t) const;
    [[nodiscard]] QStringList laneNames() const;
    [[nodiscard]] std::optional<core::timing::ExposureModel> exposureModel() const { return m_model; }
    [[nodiscard]] std::size_t measuredEdgeCount() const { return m_measured.size(); }

    // What lies under a point: time, row and whether it is exposing, or the lane's pulse and window.
    [[nodiscard]] QString readoutAt(QPointF point) const;
    [[nodiscard]] QString readoutText() const { return m_readout; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct Measured {
        QString line;
        bool active = false;
        double tS = 0.0;  // measured, relative to its frame's trigger
        double intendedS = 0.0;
    };

    void scheduleRepaint();
    void invalidateBackground();
    void renderBackground();
    void paintAxis(QPainter &p) const;
    void paintRows(QPainter &p) const;
    void paintLanes(QPainter &p) const;
    void paintMeasured(QPainter &p) const;
    void setCursorAt(QPointF point);
    [[nodiscard]] int laneCount() const { return 1 + int(m_lanes.size()); }
    [[nodiscard]] double laneHeight() const;
    [[nodiscard]] QRectF readoutRect() const;
    [[nodiscard]] std::chrono::microseconds longestFlash() const;
    [[nodiscard]] static QColor ledColor(const QString &led);
    [[nodiscard]] static QString timeText(double seconds);

    std::optional<core::timing::ExposureModel> m_model;
    std::chrono::microseconds m_delay {0};
    std::vector<core::acquisition::LedPulse> m_flashes;
    QStringList m_lanes;  // LED names, planned first, then any only measured
    std::deque<Measured> m_measured;
    ViewScale m_scale;

    QPixmap m_background;
    bool m_backgroundDirty = true;
    QTimer *m_repaintTimer = nullptr;

    std::optional<QPointF> m_cursor;
    QString m_readout;
    std::optional<QPointF> m_pressAt;
    bool m_panning = false;
};

}  // namespace scopesync::ui
