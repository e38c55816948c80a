// XyPlot: dots for the measurement, lines for a prediction, a marker for the position found.
#include "ui/calibration/xy_plot.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <cmath>
#include <limits>

namespace scopesync::ui {

namespace {
QString figure(double v)
{
    return QString::number(v, 'g', 4);
}
}  // namespace

XyPlot::XyPlot(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void XyPlot::setSeries(int index, const QVector<QPointF> &points, const QColor &color, const QString &label)
{
    if (index >= m_series.size())
        m_series.resize(index + 1);
    m_series[index] = Series {points, color, label};
    update();
}

void XyPlot::addPoint(int index, QPointF point)
{
    if (index >= m_series.size())
        m_series.resize(index + 1);
    m_series[index].points.append(point);
    update();
}

void XyPlot::clear()
{
    for (auto &s : m_series)
        s.points.clear();
    m_marker.reset();
    m_selected.reset();
    update();
}

void XyPlot::setMarker(std::optional<double> x, const QString &label)
{
    m_marker = x;
    m_markerLabel = label;
    update();
}

void XyPlot::setAxisLabels(const QString &x, const QString &y)
{
    m_xLabel = x;
    m_yLabel = y;
    update();
}

int XyPlot::pointCount(int index) const
{
    return index < m_series.size() ? int(m_series[index].points.size()) : 0;
}

QRectF XyPlot::plotArea() const
{
    const int text = fontMetrics().height();
    return QRectF(8.0 + 4.5 * text, 4.0 + text, width() - 16.0 - 4.5 * text, height() - 10.0 - 3.0 * text);
}

QRectF XyPlot::dataBounds() const
{
    double x0 = std::numeric_limits<double>::max(), x1 = -x0, y0 = x0, y1 = -x0;
    for (const auto &s : m_series)
        for (const QPointF &p : s.points) {
            x0 = std::min(x0, p.x());
            x1 = std::max(x1, p.x());
            y0 = std::min(y0, p.y());
            y1 = std::max(y1, p.y());
        }
    if (m_marker) {
        x0 = std::min(x0, *m_marker);
        x1 = std::max(x1, *m_marker);
    }
    if (x0 > x1)
        return QRectF(0, 0, 1, 1);
    if (x1 - x0 < 1e-12)
        x1 = x0 + 1.0;
    if (y1 - y0 < 1e-12) {
        y0 -= 0.5;
        y1 += 0.5;
    }
    const double pad = 0.05 * (y1 - y0);
    return QRectF(QPointF(x0, y0 - pad), QPointF(x1, y1 + pad));
}

QPointF XyPlot::toScreen(QPointF p, const QRectF &area, const QRectF &b) const
{
    return {area.left() + (p.x() - b.left()) / b.width() * area.width(),
        area.bottom() - (p.y() - b.top()) / b.height() * area.height()};
}

void XyPlot::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    painter.fillRect(rect(), pal.base());
    const QRectF area = plotArea();
    const QRectF b = dataBounds();
    painter.setPen(pal.color(QPalette::Mid));
    painter.drawRect(area);
    painter.setPen(pal.color(QPalette::Text));
    const int text = fontMetrics().height();
    painter.drawText(QRectF(0, area.top() - text / 2.0, area.left() - 4, text),
        Qt::AlignRight | Qt::AlignVCenter, figure(b.bottom()));
    painter.drawText(QRectF(0, area.bottom() - text / 2.0, area.left() - 4, text),
        Qt::AlignRight | Qt::AlignVCenter, figure(b.top()));
    painter.drawText(
        QRectF(area.left(), area.bottom() + 2, area.width(), text), Qt::AlignLeft, figure(b.left()));
    painter.drawText(
        QRectF(area.left(), area.bottom() + 2, area.width(), text), Qt::AlignRight, figure(b.right()));
    painter.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), text), Qt::AlignHCenter, m_xLabel);
    painter.drawText(QRectF(area.left(), 0, area.width(), text + 2), Qt::AlignLeft, m_yLabel);
    if (m_series.isEmpty() || std::all_of(m_series.begin(), m_series.end(), [](const Series &s) {
            return s.points.isEmpty();
        })) {
        painter.drawText(area, Qt::AlignCenter, tr("no measurement yet"));
        return;
    }
    for (int i = 0; i < m_series.size(); ++i) {
        const Series &s = m_series[i];
        if (s.points.isEmpty())
            continue;
        if (i == 0) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(s.color);
            for (const QPointF &p : s.points)
                painter.drawEllipse(toScreen(p, area, b), 3.5, 3.5);
        } else {
            QPainterPath path(toScreen(s.points.first(), area, b));
            for (const QPointF &p : s.points)
                path.lineTo(toScreen(p, area, b));
            painter.setPen(QPen(s.color, 1.5, Qt::DashLine));
            painter.setBrush(Qt::NoBrush);
            painter.drawPath(path);
        }
    }
    if (m_marker) {
        const double x = toScreen(QPointF(*m_marker, b.top()), area, b).x();
        painter.setPen(QPen(pal.color(QPalette::Highlight), 2));
        painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        painter.drawText(QRectF(x + 4, area.top() + 2, area.right() - x, text), Qt::AlignLeft, m_markerLabel);
    }
    if (m_selected) {
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(area.adjusted(4, 4, -4, -4), Qt::AlignRight | Qt::AlignTop,
            QStringLiteral("%1, %2").arg(figure(m_selected->x()), figure(m_selected->y())));
    }
}

void XyPlot::mousePressEvent(QMouseEvent *event)
{
    const QRectF area = plotArea();
    const QRectF b = dataBounds();
    double bestDist = 24.0;
    m_selected.reset();
    for (const Series &s : m_series)
        for (const QPointF &p : s.points) {
            const QPointF d = toScreen(p, area, b) - event->position();
            const double dist = std::hypot(d.x(), d.y());
            if (dist < bestDist) {
                bestDist = dist;
                m_selected = p;
            }
        }
    update();
}

}  // namespace scopesync::ui
