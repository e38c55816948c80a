// PreviewWidget: paints the live 12-bit preview with levels, false colour, overexposure, zoom and pan.
#include "ui/preview/preview_widget.h"

#include <QGestureEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPinchGesture>
#include <QWheelEvent>

#include <cmath>

namespace scopesync::ui {

namespace {
constexpr double kMaxZoom = 64.0;
}

PreviewWidget::PreviewWidget(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAttribute(Qt::WA_AcceptTouchEvents);
    grabGesture(Qt::PinchGesture);
    setMouseTracking(true);
    setMinimumSize(160, 120);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    connect(this, &PreviewWidget::zoomChanged, this, &PreviewWidget::viewChanged);
}

void PreviewWidget::setFrame(std::shared_ptr<const PreviewFrame> frame)
{
    m_frame = std::move(frame);
    ++m_framesShown;
    rerender();
}

void PreviewWidget::setLevels(int black, int white)
{
    m_lut.setLevels(black, white);
    rerender();
}

void PreviewWidget::setFalseColour(bool on)
{
    m_lut.setFalseColour(on);
    rerender();
}

void PreviewWidget::setMarkOverexposed(bool on)
{
    m_markOverexposed = on;
    rerender();
}

void PreviewWidget::rerender()
{
    if (m_frame) {
        m_displaySize = QSize(m_frame->display.width, m_frame->display.height);
        m_renderedFitted = false;
        if (m_zoom <= 1.0) {
            // At fit the LUT pass resamples to the screen's pixels, and the paint is a plain copy: a
            // scaled, smoothed paint of the display image costs the GUI thread more than the LUT itself.
            const double dpr = devicePixelRatioF();
            const QRectF r = imageRect();
            const QSize target(qRound(r.width() * dpr), qRound(r.height() * dpr));
            m_rendered = m_lut.render(
                m_frame->display, &m_frame->saturated, m_markOverexposed, target, std::move(m_rendered));
            m_renderedFitted = !target.isEmpty() && m_rendered.size() == target;
            if (m_renderedFitted)
                m_rendered.setDevicePixelRatio(dpr);
        } else {
            m_rendered = m_lut.render(m_frame->display, &m_frame->saturated, m_markOverexposed);
        }
    }
    update();
}

QRectF PreviewWidget::imageRect() const
{
    if (m_displaySize.isEmpty())
        return {};
    const double fitScale
        = std::min(double(width()) / m_displaySize.width(), double(height()) / m_displaySize.height());
    const double s = fitScale * m_zoom;
    const QSizeF size(m_displaySize.width() * s, m_displaySize.height() * s);
    const QPointF topLeft(
        width() / 2.0 - m_centre.x() * size.width(), height() / 2.0 - m_centre.y() * size.height());
    return {topLeft, size};
}

void PreviewWidget::setZoom(double zoom, std::optional<QPointF> anchor)
{
    zoom = std::clamp(zoom, 1.0, kMaxZoom);
    const QRectF before = imageRect();
    if (before.isEmpty()) {
        m_zoom = zoom;
        return;
    }
    // Keep the image point under the anchor (finger, cursor, or centre) where it is.
    const QPointF a = anchor.value_or(QPointF(width() / 2.0, height() / 2.0));
    const QPointF frac((a.x() - before.left()) / before.width(), (a.y() - before.top()) / before.height());
    m_zoom = zoom;
    const QRectF after = imageRect();
    const QPointF moved(after.left() + frac.x() * after.width(), after.top() + frac.y() * after.height());
    panBy(a - moved);
    if ((m_zoom <= 1.0) != m_renderedFitted)
        rerender();  // into or out of fit: rendered at the screen's pixels only there
    Q_EMIT zoomChanged(m_zoom);
}

void PreviewWidget::fit()
{
    m_zoom = 1.0;
    m_centre = {0.5, 0.5};
    rerender();
    Q_EMIT zoomChanged(m_zoom);
}

void PreviewWidget::panBy(QPointF widgetDelta)
{
    const QRectF r = imageRect();
    if (r.isEmpty())
        return;
    m_centre -= QPointF(widgetDelta.x() / r.width(), widgetDelta.y() / r.height());
    // Never pan the image entirely out of sight.
    m_centre.setX(std::clamp(m_centre.x(), 0.0, 1.0));
    m_centre.setY(std::clamp(m_centre.y(), 0.0, 1.0));
    update();
}

std::optional<PreviewWidget::Readout> PreviewWidget::readoutAt(QPointF pos) const
{
    const QRectF r = imageRect();
    if (!m_frame || !m_frame->full || r.isEmpty() || !r.contains(pos))
        return std::nullopt;
    const auto &full = *m_frame->full;
    const double fx = (pos.x() - r.left()) / r.width();
    const double fy = (pos.y() - r.top()) / r.height();
    // The display image covers whole bins only: map through it to sensor pixels.
    const int x = std::clamp(int(fx * m_frame->display.width * m_frame->bin), 0, full.width - 1);
    const int y = std::clamp(int(fy * m_frame->display.height * m_frame->bin), 0, full.height - 1);
    return Readout {x, y, full.at(x, y)};
}

void PreviewWidget::report(QPointF pos)
{
    if (const auto r = readoutAt(pos))
        Q_EMIT readoutChanged(tr("x %1  y %2  value %3").arg(r->x).arg(r->y).arg(r->value));
}

PreviewView PreviewWidget::view() const
{
    const double dpr = devicePixelRatioF();
    return {QSize(qRound(width() * dpr), qRound(height() * dpr)), m_zoom};
}

void PreviewWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_renderedFitted)
        rerender();  // the fitted rendering is for the old size
    Q_EMIT viewChanged();
}

void PreviewWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), QColor(24, 24, 24));
    if (m_rendered.isNull()) {
        p.setPen(QColor(200, 200, 200));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
            tr("No preview yet. Press Live to start the camera."));
        return;
    }
    if (m_renderedFitted) {
        // Already at the screen's pixels: placed on a whole device pixel, copied without scaling.
        const double dpr = m_rendered.devicePixelRatio();
        const QPointF at = imageRect().topLeft();
        p.drawImage(QPointF(std::round(at.x() * dpr) / dpr, std::round(at.y() * dpr) / dpr), m_rendered);
    } else {
        // Zoomed in, show pixels as blocks; zoomed out, smooth.
        p.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 2.0);
        p.drawImage(imageRect(), m_rendered);
    }
    if (m_frame && !m_frame->strobedLed.isEmpty()) {
        p.setPen(Qt::white);
        p.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignTop | Qt::AlignLeft, m_frame->strobedLed);
    }
    if (m_frame && m_frame->cameraPreview) {
        // Levels and histogram are of the camera's processed preview stream, not of the raw samples.
        p.setPen(QColor(220, 220, 160));
        p.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignBottom | Qt::AlignLeft,
            tr("ISP preview (processed); zoom in for raw pixels"));
    }
}

void PreviewWidget::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    setZoom(m_zoom * std::pow(1.25, steps), event->position());
    event->accept();
}

void PreviewWidget::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        m_dragFrom = event->position();
    report(event->position());  // a finger has no hover: a tap reads the value too
}

void PreviewWidget::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragFrom && (event->buttons() & Qt::LeftButton)) {
        panBy(event->position() - *m_dragFrom);
        m_dragFrom = event->position();
    }
    report(event->position());
}

void PreviewWidget::mouseReleaseEvent(QMouseEvent *)
{
    m_dragFrom.reset();
}

void PreviewWidget::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_zoom > 1.01)
        fit();
    else
        setZoom(4.0, event->position());
}

bool PreviewWidget::event(QEvent *event)
{
    if (event->type() == QEvent::Gesture) {
        gesture(static_cast<QGestureEvent *>(event));
        return true;
    }
    return QWidget::event(event);
}

void PreviewWidget::gesture(QGestureEvent *event)
{
    auto *pinch = static_cast<QPinchGesture *>(event->gesture(Qt::PinchGesture));
    if (!pinch)
        return;
    if (pinch->state() == Qt::GestureStarted)
        m_pinchStartZoom = m_zoom;
    if (pinch->changeFlags() & QPinchGesture::ScaleFactorChanged)
        setZoom(m_pinchStartZoom * pinch->totalScaleFactor(), mapFromGlobal(pinch->centerPoint()));
    if (pinch->changeFlags() & QPinchGesture::CenterPointChanged)
        panBy(pinch->centerPoint() - pinch->lastCenterPoint());
    event->accept(pinch);
}

}  // namespace scopesync::ui
