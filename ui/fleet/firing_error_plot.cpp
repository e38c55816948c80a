// FiringErrorPlot: one bar per follower, p50/p99 lines, the spread.
#include "ui/fleet/firing_error_plot.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace scopesync::ui {

namespace {

double us(std::chrono::nanoseconds d)
{
    return static_cast<double>(d.count()) / 1000.0;
}

// 1, 2 or 5 × 10^k at or above `v`: round axis ends.
double niceCeil(double v)
{
    if (v <= 0)
        return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= v)
            return m * p;
    return 10 * p;
}

}  // namespace

FiringErrorPlot::FiringErrorPlot(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAccessibleName(tr("Firing error per follower"));
}

void FiringErrorPlot::clear()
{
    m_bars.clear();
    m_summary = {};
    m_minUs = 0;
    m_maxUs = 100;
    update();
}

void FiringErrorPlot::setErrors(std::vector<Bar> bars, const core::fleet::FiringSummary &summary)
{
    m_bars = std::move(bars);
    m_summary = summary;
    double lo = 0;
    double hi = 0;
    for (const auto &b : m_bars) {
        lo = std::min(lo, b.errorUs);
        hi = std::max(hi, b.errorUs);
    }
    if (lo < 0) {
        const double m = niceCeil(std::max(-lo, hi));
        m_minUs = -m;
        m_maxUs = m;
    } else {
        m_minUs = 0;
        m_maxUs = niceCeil(hi);
    }
    update();
}

void FiringErrorPlot::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const QFontMetrics fm(font());
    const QColor text = palette().color(QPalette::Text);
    if (m_bars.empty()) {
        p.setPen(text);
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
            tr("No capture yet: the firing error of each follower (its measured trigger edge − T) appears "
               "here."));
        return;
    }
    // Names on the left, the error axis along the bottom.
    int nameWidth = 0;
    for (const auto &b : m_bars)
        nameWidth = std::max(nameWidth, fm.horizontalAdvance(b.follower) + 4);
    nameWidth = std::min(nameWidth, width() / 3);
    const QRectF area(nameWidth + 12, 6, width() - nameWidth - 24, height() - 2 * fm.height() - 14);
    const auto x = [&](double v) { return area.left() + (v - m_minUs) / (m_maxUs - m_minUs) * area.width(); };

    // Axis with ticks at the ends and zero.
    p.setPen(text);
    p.drawLine(QPointF(area.left(), area.bottom()), QPointF(area.right(), area.bottom()));
    for (double v : {m_minUs, 0.0, m_maxUs}) {
        const QString label = QStringLiteral("%1 µs").arg(v, 0, 'f', 0);
        const double px = x(v);
        p.drawLine(QPointF(px, area.bottom()), QPointF(px, area.bottom() + 4));
        const double w = fm.horizontalAdvance(label);
        p.drawText(QPointF(std::clamp(px - w / 2, 0.0, width() - w), area.bottom() + 4 + fm.ascent()), label);
    }
    p.setPen(QPen(text, 1, Qt::DotLine));
    p.drawLine(QPointF(x(0), area.top()), QPointF(x(0), area.bottom()));

    // One bar per follower.
    const double rowH = area.height() / static_cast<double>(m_bars.size());
    const double p99 = us(m_summary.p99);
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        const auto &b = m_bars[i];
        const double top = area.top() + static_cast<double>(i) * rowH;
        const QRectF bar(QPointF(x(std::min(0.0, b.errorUs)), top + rowH * 0.15),
            QPointF(x(std::max(0.0, b.errorUs)), top + rowH * 0.85));
        p.fillRect(bar.adjusted(0, 0, bar.width() < 1 ? 1 : 0, 0), QColor(60, 150, 90));
        if (rowH >= fm.height() * 0.8) {
            p.setPen(text);
            p.drawText(QRectF(0, top, nameWidth + 6, rowH), Qt::AlignRight | Qt::AlignVCenter,
                fm.elidedText(b.follower, Qt::ElideMiddle, nameWidth + 2));
        }
    }
    // p50 and p99 of the signed error.
    for (const auto &[v, name] :
        {std::pair {us(m_summary.p50), QStringLiteral("p50")}, std::pair {p99, QStringLiteral("p99")}}) {
        p.setPen(QPen(QColor(40, 90, 200), 1.5, Qt::DashLine));
        p.drawLine(QPointF(x(v), area.top()), QPointF(x(v), area.bottom()));
        p.setPen(QColor(40, 90, 200));
        p.drawText(QPointF(x(v) + 3, area.top() + fm.ascent()), name);
    }
    p.setPen(text);
    p.drawText(QRectF(0, height() - fm.height() - 2, width(), fm.height()), Qt::AlignCenter,
        fm.elidedText(tr("%1 followers · p50 %2 µs · p99 %3 µs · max |error| %4 µs · spread %5 µs")
                          .arg(m_summary.count)
                          .arg(us(m_summary.p50), 0, 'f', 1)
                          .arg(p99, 0, 'f', 1)
                          .arg(us(m_summary.absMax), 0, 'f', 1)
                          .arg(us(m_summary.spread), 0, 'f', 1),
            Qt::ElideRight, width()));
}

}  // namespace scopesync::ui
