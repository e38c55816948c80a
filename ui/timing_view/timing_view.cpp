// TimingView: the exposure/LED timing plot (rows' exposure windows, trigger, planned and measured LED edges).
#include "ui/timing_view/timing_view.h"

#include "ui/common/gui_handoff.h"

#include <QGestureEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPinchGesture>
#include <QThread>
#include <QTimer>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace scopesync::ui {

using core::timing::Micros;
using Seconds = std::chrono::duration<double>;

namespace {
constexpr double kLabelWidthPx = 96.0;
constexpr double kRightMarginPx = 12.0;
constexpr double kAxisHeightPx = 24.0;
constexpr double kMinLaneHeightPx = 28.0;
constexpr double kDragThresholdPx = 6.0;

double seconds(Micros us)
{
    return us.count() * 1e-6;
}
}  // namespace

TimingView::TimingView(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_AcceptTouchEvents);
    grabGesture(Qt::PinchGesture);
    setFocusPolicy(Qt::WheelFocus);
    m_repaintTimer = new QTimer(this);
    m_repaintTimer->setSingleShot(true);
    m_repaintTimer->setInterval(kRepaintIntervalMs);
    connect(m_repaintTimer, &QTimer::timeout, this, qOverload<>(&QWidget::update));
    m_readout = tr("Tap or point at the plot for times, rows and pulses.");
}

QSize TimingView::sizeHint() const
{
    return {640, 320};
}

QSize TimingView::minimumSizeHint() const
{
    return {320, 200};
}

void TimingView::setModel(const core::timing::SensorMode &mode, core::timing::ShutterType shutter,
    std::chrono::microseconds exposure, std::chrono::microseconds delay,
    std::vector<core::acquisition::LedPulse> flashes, std::chrono::microseconds offset)
{
    m_model.emplace(shutter, mode, Micros(exposure), Micros(offset));
    m_delay = delay;
    m_flashes = std::move(flashes);
    m_lanes.clear();
    for (const auto &f : m_flashes)
        if (!m_lanes.contains(f.led))
            m_lanes.append(f.led);
    for (const Measured &m : m_measured)
        if (m.line != QLatin1String("trigger") && !m_lanes.contains(m.line))
            m_lanes.append(m.line);
    fitAll();
}

void TimingView::addMeasuredEdges(
    const std::vector<core::acquisition::DrivenEdge> &edges, core::acquisition::MonoTime triggerTime)
{
    if (QThread::currentThread() != thread()) {
        // The context object drops the call if the view is gone by the time it runs.
        queueOnThreadOf(this, [this, edges, triggerTime] { addMeasuredEdges(edges, triggerTime); });
        return;
    }
    bool newLane = false;
    for (const auto &e : edges) {
        Measured m;
        m.line = e.line;
        m.active = e.active;
        m.tS = std::chrono::duration<double>(e.measured - triggerTime).count();
        m.intendedS = std::chrono::duration<double>(e.intended - triggerTime).count();
        if (m.line != QLatin1String("trigger") && !m_lanes.contains(m.line)) {
            m_lanes.append(m.line);
            newLane = true;
        }
        m_measured.push_back(std::move(m));
    }
    while (m_measured.size() > kMaxMeasuredEdges)
        m_measured.pop_front();
    if (newLane)
        invalidateBackground();
    else
        scheduleRepaint();
}

void TimingView::clearMeasured()
{
    m_measured.clear();
    scheduleRepaint();
}

void TimingView::fitAll()
{
    double endS = 0.1;
    if (m_model)
        endS = seconds(m_model->offset() + m_model->readout() + m_model->exposure());
    for (const auto &f : m_flashes)
        endS = std::max(endS, std::chrono::duration<double>(m_delay + f.delay + f.duration).count());
    const double width = std::max(1.0, plotRect().width());
    ViewScale s;
    s.offsetS = -0.04 * endS;
    s.secondsPerPixel
        = std::clamp(endS * 1.08 / width, ViewScale::kMinSecondsPerPixel, ViewScale::kMaxSecondsPerPixel);
    setScale(s);
}

void TimingView::setScale(const ViewScale &scale)
{
    if (scale == m_scale && !m_backgroundDirty)
        return;
    m_scale = scale;
    invalidateBackground();
}

void TimingView::scheduleRepaint()
{
    if (!m_repaintTimer->isActive())
        m_repaintTimer->start();
}

void TimingView::invalidateBackground()
{
    m_backgroundDirty = true;
    scheduleRepaint();
}

QRectF TimingView::plotRect() const
{
    const QRectF r = rect();
    return QRectF(
        QPointF(kLabelWidthPx, kAxisHeightPx), QPointF(r.right() - kRightMarginPx, readoutRect().top() - 4));
}

QRectF TimingView::readoutRect() const
{
    const double h = fontMetrics().height() * 2.0 + 8.0;
    return QRectF(0, height() - h, width(), h);
}

double TimingView::laneHeight() const
{
    const QRectF plot = plotRect();
    const double forLanes = plot.height() * 0.5;
    return std::max(kMinLaneHeightPx, forLanes / laneCount());
}

QRectF TimingView::rowsRect() const
{
    const QRectF plot = plotRect();
    const double lanes = laneHeight() * laneCount();
    return QRectF(plot.left(), plot.top(), plot.width(), std::max(40.0, plot.height() - lanes - 6.0));
}

QRectF TimingView::laneRect(int lane) const
{
    const QRectF rows = rowsRect();
    const double h = laneHeight();
    return QRectF(rows.left(), rows.bottom() + 6.0 + lane * h, rows.width(), h);
}

double TimingView::xForTime(Seconds t) const
{
    return plotRect().left() + m_scale.xForTime(t.count());
}

QStringList TimingView::laneNames() const
{
    return QStringList {tr("trigger")} + m_lanes;
}

QPolygonF TimingView::exposurePolygon() const
{
    if (!m_model)
        return {};
    const QRectF rows = rowsRect();
    const int last = std::max(0, m_model->rows() - 1);
    const auto first = m_model->rowWindow(0);
    const auto lastW = m_model->rowWindow(last);
    return QPolygonF({QPointF(xForTime(first.start), rows.top()), QPointF(xForTime(first.end), rows.top()),
        QPointF(xForTime(lastW.end), rows.bottom()), QPointF(xForTime(lastW.start), rows.bottom())});
}

std::chrono::microseconds TimingView::longestFlash() const
{
    std::chrono::microseconds longest {0};
    for (const auto &f : m_flashes)
        longest = std::max(longest, f.duration);
    return longest;
}

QRectF TimingView::validWindowRect() const
{
    if (!m_model || longestFlash().count() <= 0)
        return {};
    const auto w = m_model->validWindow(Micros(longestFlash()));
    if (!w.feasible)
        return {};
    const QRectF rows = rowsRect();
    return QRectF(QPointF(xForTime(w.start), rows.top()), QPointF(xForTime(w.end), rows.bottom()));
}

QColor TimingView::ledColor(const QString &led)
{
    const QString l = led.toLower();
    if (l == QLatin1String("red"))
        return QColor(220, 40, 40);
    if (l == QLatin1String("orange"))
        return QColor(240, 140, 20);
    if (l == QLatin1String("green"))
        return QColor(40, 170, 60);
    if (l == QLatin1String("blue"))
        return QColor(40, 90, 220);
    if (l == QLatin1String("uv"))
        return QColor(140, 60, 200);
    return QColor(110, 110, 110);
}

QString TimingView::timeText(double s)
{
    const double a = std::abs(s);
    if (a < 1e-3)
        return tr("%1 µs").arg(QLocale().toString(s * 1e6, 'f', 1));
    if (a < 10.0)
        return tr("%1 ms").arg(QLocale().toString(s * 1e3, 'f', 2));
    return tr("%1 s").arg(QLocale().toString(s, 'f', 3));
}

void TimingView::renderBackground()
{
    const qreal dpr = devicePixelRatioF();
    m_background = QPixmap((QSizeF(size()) * dpr).toSize());
    m_background.setDevicePixelRatio(dpr);
    m_background.fill(palette().color(QPalette::Base));
    QPainter p(&m_background);
    p.setRenderHint(QPainter::Antialiasing);
    paintAxis(p);
    paintRows(p);
    paintLanes(p);
    m_backgroundDirty = false;
}

void TimingView::paintAxis(QPainter &p) const
{
    const QRectF plot = plotRect();
    // Ticks at 1, 2 or 5 × 10^n seconds, about 90 px apart.
    const double raw = m_scale.secondsPerPixel * 90.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (magnitude * m >= raw) {
            step = magnitude * m;
            break;
        }
    const QColor grid = palette().color(QPalette::Mid);
    const QColor text = palette().color(QPalette::Text);
    const double t0 = std::ceil(m_scale.offsetS / step) * step;
    const double t1 = m_scale.timeForX(plot.width());
    p.setFont(font());
    for (double t = t0; t <= t1 && step > 0; t += step) {
        const double x = xForTime(Seconds(t));
        p.setPen(QPen(grid, 0, Qt::DotLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(text);
        p.drawText(QRectF(x - 60, 0, 120, kAxisHeightPx), Qt::AlignCenter,
            timeText(std::abs(t) < step * 1e-6 ? 0.0 : t));
    }
    p.setPen(QPen(text, 0));
    p.drawLine(plot.topLeft(), plot.topRight());
}

void TimingView::paintRows(QPainter &p) const
{
    const QRectF rows = rowsRect();
    const QColor text = palette().color(QPalette::Text);
    p.setPen(text);
    p.drawText(QRectF(4, rows.top(), kLabelWidthPx - 8, rows.height()),
        Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
        m_model ? tr("rows\n0–%1").arg(m_model->rows() - 1) : tr("rows"));
    if (!m_model)
        return;
    p.save();
    p.setClipRect(rows);
    const QRectF window = validWindowRect();
    if (!window.isEmpty())
        p.fillRect(window, QColor(60, 200, 90, 70));
    QColor exposure = palette().color(QPalette::Highlight);
    exposure.setAlpha(90);
    p.setBrush(exposure);
    p.setPen(QPen(palette().color(QPalette::Highlight), 1.5));
    p.drawPolygon(exposurePolygon());
    // The trigger edge the delays count from.
    p.setPen(QPen(text, 1.5, Qt::DashLine));
    const double x0 = xForTime(Seconds(0));
    p.drawLine(QPointF(x0, rows.top()), QPointF(x0, rows.bottom()));
    p.restore();
}

void TimingView::paintLanes(QPainter &p) const
{
    const QColor text = palette().color(QPalette::Text);
    const QStringList names = laneNames();
    for (int lane = 0; lane < laneCount(); ++lane) {
        const QRectF r = laneRect(lane);
        p.setPen(text);
        p.drawText(QRectF(4, r.top(), kLabelWidthPx - 8, r.height()), Qt::AlignLeft | Qt::AlignVCenter,
            names.at(lane));
        p.setPen(QPen(palette().color(QPalette::Mid), 0));
        p.drawLine(r.bottomLeft(), r.bottomRight());
        p.save();
        p.setClipRect(r);
        if (lane == 0) {
            const double x0 = xForTime(Seconds(0));
            p.setPen(QPen(text, 2));
            p.drawLine(QPointF(x0, r.bottom() - 3), QPointF(x0, r.top() + 3));
        } else {
            const QString &led = m_lanes.at(lane - 1);
            for (const auto &f : m_flashes) {
                if (f.led != led)
                    continue;
                if (m_model) {
                    const auto w = m_model->validWindow(Micros(f.duration));
                    if (w.feasible)
                        p.fillRect(
                            QRectF(QPointF(xForTime(w.start), r.top()), QPointF(xForTime(w.end), r.bottom())),
                            QColor(60, 200, 90, 70));
                }
                const auto start = m_delay + f.delay;
                const QRectF pulse(QPointF(xForTime(start), r.top() + 5),
                    QPointF(xForTime(start + f.duration), r.bottom() - 5));
                QColor fill = ledColor(led);
                fill.setAlpha(qRound(80 + 1.2 * std::clamp(f.intensityPerMille, 0, 1000) / 10.0));
                p.fillRect(pulse, fill);
                const bool inWindow
                    = m_model && m_model->underlitRows(Micros(start), Micros(f.duration)) == 0;
                p.setPen(QPen(inWindow ? ledColor(led).darker(150) : QColor(200, 0, 0), inWindow ? 1.0 : 2.0,
                    inWindow ? Qt::SolidLine : Qt::DashLine));
                p.drawRect(pulse);
            }
        }
        p.restore();
    }
}

void TimingView::paintMeasured(QPainter &p) const
{
    if (m_measured.empty())
        return;
    const QRectF plot = plotRect();
    const double tMin = m_scale.timeForX(0);
    const double tMax = m_scale.timeForX(plot.width());
    for (const Measured &m : m_measured) {
        if (m.tS < tMin || m.tS > tMax)
            continue;
        const int lane = m.line == QLatin1String("trigger") ? 0 : int(m_lanes.indexOf(m.line)) + 1;
        if (lane < 0)
            continue;
        const QRectF r = laneRect(lane);
        const double x = xForTime(Seconds(m.tS));
        const QColor c = lane == 0 ? palette().color(QPalette::Text) : ledColor(m.line).darker(170);
        p.setPen(QPen(c, 1.5));
        p.drawLine(QPointF(x, r.top() + 2), QPointF(x, r.bottom() - 2));
        // A small flag shows the direction: on edges at the top, off edges at the bottom.
        const double y = m.active ? r.top() + 2 : r.bottom() - 2;
        const double dy = m.active ? 5 : -5;
        p.drawLine(QPointF(x, y), QPointF(x + 5, y + dy));
    }
}

void TimingView::paintEvent(QPaintEvent *)
{
    if (m_backgroundDirty || m_background.size() != (QSizeF(size()) * devicePixelRatioF()).toSize())
        renderBackground();
    QPainter p(this);
    p.drawPixmap(0, 0, m_background);
    p.setRenderHint(QPainter::Antialiasing);
    p.save();
    p.setClipRect(plotRect().adjusted(0, 0, 0, 1));
    paintMeasured(p);
    p.restore();
    if (m_cursor && plotRect().contains(*m_cursor)) {
        p.setPen(QPen(palette().color(QPalette::Text), 1, Qt::DashDotLine));
        p.drawLine(QPointF(m_cursor->x(), plotRect().top()), QPointF(m_cursor->x(), plotRect().bottom()));
    }
    const QRectF readout = readoutRect();
    p.fillRect(readout, palette().color(QPalette::AlternateBase));
    p.setPen(palette().color(QPalette::Text));
    p.drawText(
        readout.adjusted(6, 2, -6, -2), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, m_readout);
}

void TimingView::resizeEvent(QResizeEvent *)
{
    invalidateBackground();
}

QString TimingView::readoutAt(QPointF point) const
{
    const QRectF plot = plotRect();
    const double t = m_scale.timeForX(point.x() - plot.left());
    QString text = tr("t = %1 after the trigger").arg(timeText(t));
    if (!m_model)
        return text;
    const QRectF rows = rowsRect();
    if (point.y() >= rows.top() && point.y() <= rows.bottom()) {
        const int last = std::max(0, m_model->rows() - 1);
        const int row = std::clamp(
            int(std::lround((point.y() - rows.top()) / std::max(1.0, rows.height()) * last)), 0, last);
        const auto w = m_model->rowWindow(row);
        const bool exposing = t >= seconds(w.start) && t <= seconds(w.end);
        text += tr(" · row %1 exposes %2 – %3 (%4)")
                    .arg(row)
                    .arg(timeText(seconds(w.start)), timeText(seconds(w.end)),
                        exposing ? tr("exposing now") : tr("not exposing now"));
        QStringList energies;
        for (const auto &f : m_flashes) {
            const double e = m_model->rowEnergy(row, Micros(m_delay + f.delay), Micros(f.duration));
            energies << tr("%1 %2 %").arg(f.led).arg(QLocale().toString(e * 100.0, 'f', 1));
        }
        if (!energies.isEmpty())
            text += QLatin1Char('\n') + tr("This row receives: %1").arg(energies.join(QStringLiteral(", ")));
        return text;
    }
    for (int lane = 0; lane < laneCount(); ++lane) {
        if (!laneRect(lane).contains(QPointF(laneRect(lane).left(), point.y())))
            continue;
        if (lane == 0)
            return text
                + tr(" · trigger edge at 0; row 0 starts exposing %1 later")
                      .arg(timeText(seconds(m_model->offset())));
        const QString &led = m_lanes.at(lane - 1);
        QStringList parts;
        for (const auto &f : m_flashes) {
            if (f.led != led)
                continue;
            const double start = std::chrono::duration<double>(m_delay + f.delay).count();
            const auto w = m_model->validWindow(Micros(f.duration));
            parts << tr("planned %1 – %2")
                         .arg(timeText(start),
                             timeText(start + std::chrono::duration<double>(f.duration).count()));
            parts << (w.feasible
                    ? tr("valid starts %1 – %2").arg(timeText(seconds(w.start)), timeText(seconds(w.end)))
                    : tr("no start lights every row: needs a shutter ≥ %1")
                          .arg(timeText(seconds(w.minimumExposure))));
        }
        // The measured edge of this LED nearest the point.
        const Measured *nearest = nullptr;
        for (const Measured &m : m_measured)
            if (m.line == led && (!nearest || std::abs(m.tS - t) < std::abs(nearest->tS - t)))
                nearest = &m;
        if (nearest)
            parts << tr("measured %1 at %2 (%3 from intended)")
                         .arg(nearest->active ? tr("on") : tr("off"), timeText(nearest->tS),
                             timeText(nearest->tS - nearest->intendedS));
        return text + tr(" · %1").arg(led) + QLatin1Char('\n') + parts.join(QStringLiteral(" · "));
    }
    return text;
}

void TimingView::setCursorAt(QPointF point)
{
    m_cursor = point;
    m_readout = readoutAt(point);
    scheduleRepaint();
}

bool TimingView::event(QEvent *event)
{
    if (event->type() == QEvent::Gesture) {
        auto *gesture = static_cast<QGestureEvent *>(event);
        if (auto *pinch = static_cast<QPinchGesture *>(gesture->gesture(Qt::PinchGesture))) {
            if (pinch->changeFlags() & QPinchGesture::ScaleFactorChanged) {
                const QPointF center = mapFromGlobal(pinch->centerPoint().toPoint());
                ViewScale s = m_scale;
                s.zoomAround(center.x() - plotRect().left(), pinch->scaleFactor());
                setScale(s);
            }
            gesture->accept(pinch);
            return true;
        }
    }
    return QWidget::event(event);
}

void TimingView::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    ViewScale s = m_scale;
    if (std::abs(delta.x()) > std::abs(delta.y()))
        s.panByPixels(delta.x() / 2.0);
    else
        s.zoomAround(event->position().x() - plotRect().left(), std::pow(1.0015, delta.y()));
    setScale(s);
    setCursorAt(event->position());
    event->accept();
}

void TimingView::mousePressEvent(QMouseEvent *event)
{
    m_pressAt = event->position();
    m_panning = false;
    setCursorAt(event->position());  // a tap shows the readout: nothing depends on hovering
}

void TimingView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_pressAt && (event->buttons() & Qt::LeftButton)) {
        const double dx = event->position().x() - m_pressAt->x();
        if (m_panning || std::abs(dx) > kDragThresholdPx) {
            m_panning = true;
            ViewScale s = m_scale;
            s.panByPixels(dx);
            m_pressAt = event->position();
            setScale(s);
        }
    }
    setCursorAt(event->position());
}

void TimingView::mouseReleaseEvent(QMouseEvent *)
{
    m_pressAt.reset();
    m_panning = false;
}

void TimingView::leaveEvent(QEvent *)
{
    // The readout stays (a tap's result must not vanish); only the cursor line goes.
    m_cursor.reset();
    scheduleRepaint();
}

}  // namespace scopesync::ui
