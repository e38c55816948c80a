// HistogramWidget: the live 12-bit histogram (log counts) with the black and white levels, draggable.
#include "ui/preview/histogram_widget.h"

#include <QMouseEvent>
#include <QPainter>

#include <cmath>

namespace scopesync::ui {

HistogramWidget::HistogramWidget(QWidget *parent) : QWidget(parent)
{
    setMinimumSize(120, 48);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void HistogramWidget::setHistogram(const std::array<quint32, PreviewFrame::kLevels> &histogram)
{
    m_histogram = histogram;
    update();
}

void HistogramWidget::setLevels(int black, int white)
{
    m_black = black;
    m_white = white;
    update();
}

int HistogramWidget::valueAt(double x) const
{
    return std::clamp(int(x / std::max(1, width()) * PreviewFrame::kLevels), 0, PreviewFrame::kLevels - 1);
}

void HistogramWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const int w = width();
    const int h = height();
    // One column per screen pixel: the tallest bucket it covers, on a log scale so faint signal shows.
    double peak = 1;
    for (auto c : m_histogram)
        peak = std::max(peak, double(c));
    const double logPeak = std::log1p(peak);
    p.setPen(palette().text().color());
    for (int x = 0; x < w; ++x) {
        const int from = x * PreviewFrame::kLevels / w;
        const int to = std::max(from + 1, (x + 1) * PreviewFrame::kLevels / w);
        quint32 m = 0;
        for (int v = from; v < to && v < PreviewFrame::kLevels; ++v)
            m = std::max(m, m_histogram[std::size_t(v)]);
        if (m == 0)
            continue;
        const int bar = int(std::log1p(double(m)) / logPeak * (h - 2));
        p.drawLine(x, h - 1, x, h - 1 - bar);
    }
    const auto xOf = [&](int v) { return int(double(v) / (PreviewFrame::kLevels - 1) * (w - 1)); };
    p.fillRect(QRect(0, 0, xOf(m_black), h), QColor(0, 0, 0, 70));
    p.fillRect(QRect(xOf(m_white), 0, w - xOf(m_white), h), QColor(255, 255, 255, 70));
    p.setPen(QPen(QColor(40, 120, 255), 2));
    p.drawLine(xOf(m_black), 0, xOf(m_black), h);
    p.setPen(QPen(QColor(255, 160, 0), 2));
    p.drawLine(xOf(m_white), 0, xOf(m_white), h);
}

void HistogramWidget::drag(double x, bool choose)
{
    const int v = valueAt(x);
    if (choose)
        m_draggingBlack = std::abs(v - m_black) <= std::abs(v - m_white);
    if (m_draggingBlack)
        m_black = std::min(v, m_white - 1);
    else
        m_white = std::max(v, m_black + 1);
    update();
    Q_EMIT levelsEdited(m_black, m_white);
}

void HistogramWidget::mousePressEvent(QMouseEvent *event)
{
    drag(event->position().x(), true);
}

void HistogramWidget::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton)
        drag(event->position().x(), false);
}

}  // namespace scopesync::ui
