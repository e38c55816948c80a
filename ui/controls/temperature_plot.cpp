// TemperaturePlot: the slide's temperature and the set point over the last minutes.
#include "ui/controls/temperature_plot.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace scopesync::ui {

TemperaturePlot::TemperaturePlot(QWidget *parent) : QWidget(parent)
{
    setMinimumHeight(100);
    setAccessibleName(tr("Temperature plot"));
}

void TemperaturePlot::addSample(double seconds, double celsius, std::optional<double> setPointCelsius)
{
    m_samples.push_back({seconds, celsius, setPointCelsius});
    while (!m_samples.empty() && m_samples.back().seconds - m_samples.front().seconds > m_windowSeconds)
        m_samples.pop_front();
    update();
}

void TemperaturePlot::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(40, 6, -6, -18);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(area);
    if (m_samples.size() < 2) {
        p.setPen(palette().color(QPalette::Text));
        p.drawText(rect(), Qt::AlignCenter, tr("no temperature yet"));
        return;
    }
    double lo = m_samples.front().celsius, hi = lo;
    for (const auto &s : m_samples) {
        lo = std::min({lo, s.celsius, s.setPoint.value_or(s.celsius)});
        hi = std::max({hi, s.celsius, s.setPoint.value_or(s.celsius)});
    }
    lo = std::floor(lo - 0.5);
    hi = std::ceil(hi + 0.5);
    const double t0 = m_samples.front().seconds, t1 = std::max(m_samples.back().seconds, t0 + 1.0);
    const auto at = [&](double t, double c) {
        return QPointF(area.left() + (t - t0) / (t1 - t0) * area.width(),
            area.bottom() - (c - lo) / (hi - lo) * area.height());
    };
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRectF(0, area.top() - 6, 38, 14), Qt::AlignRight, QStringLiteral("%1 °C").arg(hi, 0, 'f', 0));
    p.drawText(
        QRectF(0, area.bottom() - 8, 38, 14), Qt::AlignRight, QStringLiteral("%1 °C").arg(lo, 0, 'f', 0));
    p.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), 14), Qt::AlignRight,
        tr("last %1 min").arg((t1 - t0) / 60.0, 0, 'f', 1));
    // The set point dashed, the reading solid.
    QPen dashed(QColor(230, 160, 40), 1.5, Qt::DashLine);
    p.setPen(dashed);
    for (std::size_t i = 1; i < m_samples.size(); ++i) {
        const auto &a = m_samples[i - 1];
        const auto &b = m_samples[i];
        if (a.setPoint && b.setPoint)
            p.drawLine(at(a.seconds, *a.setPoint), at(b.seconds, *b.setPoint));
    }
    QPainterPath path(at(m_samples.front().seconds, m_samples.front().celsius));
    for (const auto &s : m_samples)
        path.lineTo(at(s.seconds, s.celsius));
    p.setPen(QPen(QColor(220, 60, 60), 2));
    p.drawPath(path);
}

}  // namespace scopesync::ui
