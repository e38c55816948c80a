// Plots for the calibration wizard: uniformity against delay with the window, and the row profile.
#include "ui/calibration/calibration_plots.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace scopesync::ui {

namespace {
constexpr int kMargin = 36;
}

ScoreCurvePlot::ScoreCurvePlot(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ScoreCurvePlot::clear()
{
    m_steps.clear();
    m_selected = -1;
    update();
}

void ScoreCurvePlot::setRange(double minMs, double maxMs)
{
    m_minMs = minMs;
    m_maxMs = std::max(maxMs, minMs + 1.0);
    update();
}

void ScoreCurvePlot::addStep(const CalibrationStep &step)
{
    CalibrationStep s = step;
    s.rowProfile.clear();
    s.frameImage = QImage();
    m_steps.push_back(std::move(s));
    if (step.delayMs < m_minMs || step.delayMs > m_maxMs)
        setRange(std::min(m_minMs, step.delayMs - 5), std::max(m_maxMs, step.delayMs + 5));
    update();
}

QRectF ScoreCurvePlot::plotArea() const
{
    return QRectF(kMargin, 8, width() - kMargin - 8, height() - kMargin - 8);
}

double ScoreCurvePlot::xFor(double ms) const
{
    const QRectF a = plotArea();
    return a.left() + (ms - m_minMs) / (m_maxMs - m_minMs) * a.width();
}

double ScoreCurvePlot::yFor(double score) const
{
    const QRectF a = plotArea();
    return a.bottom() - std::clamp(score, 0.0, 1.0) * a.height();
}

void ScoreCurvePlot::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF a = plotArea();
    p.fillRect(rect(), palette().base());
    p.setPen(palette().color(QPalette::Text));

    if (!m_steps.empty()) {
        const auto &last = m_steps.back();
        const QRectF window(
            QPointF(xFor(last.windowStartMs), a.top()), QPointF(xFor(last.windowEndMs), a.bottom()));
        p.fillRect(window.intersected(a), QColor(60, 170, 90, 60));
        for (const auto &[ms, measured] : {std::pair {last.windowStartMs, last.startMeasured},
                 std::pair {last.windowEndMs, last.endMeasured}}) {
            QPen pen(QColor(30, 130, 60), 2, measured ? Qt::SolidLine : Qt::DashLine);
            p.setPen(pen);
            p.drawLine(QPointF(xFor(ms), a.top()), QPointF(xFor(ms), a.bottom()));
        }
    }

    p.setPen(palette().color(QPalette::Text));
    p.drawRect(a);
    const QFontMetrics fm(font());
    for (int i = 0; i <= 4; ++i) {
        const double ms = m_minMs + (m_maxMs - m_minMs) * i / 4.0;
        const QString label = QString::number(ms, 'f', 0);
        p.drawText(QPointF(xFor(ms) - fm.horizontalAdvance(label) / 2.0, a.bottom() + fm.height()), label);
    }
    p.drawText(QPointF(a.right() - fm.horizontalAdvance(tr("delay (ms)")), a.bottom() + 2 * fm.height()),
        tr("delay (ms)"));
    p.drawText(QPointF(2, yFor(1.0) + fm.ascent() / 2.0), QStringLiteral("1"));
    p.drawText(QPointF(2, yFor(0.0)), QStringLiteral("0"));

    for (int i = 0; i < int(m_steps.size()); ++i) {
        const auto &s = m_steps[std::size_t(i)];
        const QColor c = s.darkEdge == QLatin1String("none") ? QColor(30, 130, 60) : QColor(200, 80, 40);
        p.setBrush(c);
        p.setPen(i == m_selected ? QPen(palette().color(QPalette::Highlight), 3) : QPen(c));
        p.drawEllipse(QPointF(xFor(s.delayMs), yFor(s.uniformity)), 5, 5);
    }
    if (m_selected >= 0 && m_selected < int(m_steps.size())) {
        const auto &s = m_steps[std::size_t(m_selected)];
        const QString text = tr("%1 ms: uniformity %2, %3 % of rows lit, dark edge %4")
                                 .arg(s.delayMs, 0, 'f', 2)
                                 .arg(s.uniformity, 0, 'f', 3)
                                 .arg(s.litFraction * 100, 0, 'f', 1)
                                 .arg(s.darkEdge);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(a.adjusted(4, 4, -4, -4), Qt::AlignTop | Qt::AlignLeft | Qt::TextWordWrap, text);
    }
}

void ScoreCurvePlot::mousePressEvent(QMouseEvent *event)
{
    // Tap or click: pick the nearest frame within a finger's width.
    double best = 24.0;
    m_selected = -1;
    for (int i = 0; i < int(m_steps.size()); ++i) {
        const auto &s = m_steps[std::size_t(i)];
        const double d = QLineF(event->position(), QPointF(xFor(s.delayMs), yFor(s.uniformity))).length();
        if (d < best) {
            best = d;
            m_selected = i;
        }
    }
    update();
}

RowProfilePlot::RowProfilePlot(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void RowProfilePlot::setProfile(const QVector<double> &profile, const QString &caption)
{
    m_profile = profile;
    m_caption = caption;
    update();
}

void RowProfilePlot::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const QRectF a(kMargin, 8, width() - kMargin - 8, height() - kMargin);
    p.setPen(palette().color(QPalette::Text));
    p.drawRect(a);
    const QFontMetrics fm(font());
    p.drawText(QPointF(a.left(), a.bottom() + fm.height()), tr("row 0"));
    const QString last = tr("last row");
    p.drawText(QPointF(a.right() - fm.horizontalAdvance(last), a.bottom() + fm.height()), last);
    if (!m_caption.isEmpty())
        p.drawText(a.adjusted(4, 4, -4, -4), Qt::AlignTop | Qt::AlignRight, m_caption);
    if (m_profile.size() < 2)
        return;
    const double maxV = std::max(1.0, *std::max_element(m_profile.cbegin(), m_profile.cend()));
    QPainterPath path;
    for (qsizetype i = 0; i < m_profile.size(); ++i) {
        const QPointF pt(a.left() + a.width() * double(i) / double(m_profile.size() - 1),
            a.bottom() - std::max(0.0, m_profile[i]) / maxV * a.height());
        if (i == 0)
            path.moveTo(pt);
        else
            path.lineTo(pt);
    }
    p.setPen(QPen(QColor(40, 100, 200), 2));
    p.drawPath(path);
}

}  // namespace scopesync::ui
