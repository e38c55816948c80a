// FocusSweep: scores over a range of focus positions and the sharpest of them.
#include "core/analysis/focus_sweep.h"

#include <algorithm>
#include <cmath>

namespace scopesync::core::analysis {

namespace {
const QString kWhere = QStringLiteral("focus sweep");
}

Result<QList<int>> FocusSweep::positions() const
{
    const FocusSweepSettings &s = m_settings;
    if (s.stepSteps <= 0)
        return Error {
            QStringLiteral("the step is %1 steps: give a step of at least 1").arg(s.stepSteps), kWhere};
    if (s.fromSteps == s.toSteps)
        return Error {QStringLiteral("the range %1–%2 steps is empty: give two different ends")
                          .arg(s.fromSteps)
                          .arg(s.toSteps),
            kWhere};
    const int direction = s.toSteps > s.fromSteps ? 1 : -1;
    const int span = std::abs(s.toSteps - s.fromSteps);
    QList<int> out;
    for (int d = 0; d < span; d += s.stepSteps)
        out.append(s.fromSteps + direction * d);
    out.append(s.toSteps);
    if (out.size() < 3)
        return Error {
            QStringLiteral("the range %1–%2 steps in steps of %3 gives %4 positions: give at least three")
                .arg(s.fromSteps)
                .arg(s.toSteps)
                .arg(s.stepSteps)
                .arg(out.size()),
            kWhere};
    return out;
}

Result<FocusSweepResult> FocusSweep::run(
    const Measure &measure, const Progress &progress, const std::function<bool()> &cancelled) const
{
    auto where = positions();
    if (!where.ok())
        return where.error();
    QList<FocusSample> samples;
    const int total = int(where->size());
    for (const int steps : *where) {
        if (cancelled && cancelled())
            return Error {
                QStringLiteral("cancelled after %1 of %2 positions").arg(samples.size()).arg(total), kWhere};
        const Result<double> score = measure(steps);
        if (!score.ok())
            return Error {score.error().message,
                QStringLiteral("%1 at %2 steps")
                    .arg(score.error().where.isEmpty() ? kWhere : score.error().where)
                    .arg(steps)};
        samples.append(FocusSample {steps, *score});
        if (progress)
            progress(int(samples.size()), total, samples.back());
    }
    return pickBest(samples);
}

Result<FocusSweepResult> FocusSweep::pickBest(const QList<FocusSample> &samples) const
{
    if (samples.size() < 3)
        return Error {
            QStringLiteral("%1 positions measured: a focus needs at least three").arg(samples.size()),
            kWhere};
    QList<FocusSample> sorted = samples;
    std::stable_sort(sorted.begin(), sorted.end(),
        [](const FocusSample &a, const FocusSample &b) { return a.steps < b.steps; });
    qsizetype best = 0;
    double lowest = sorted.front().score;
    for (qsizetype i = 0; i < sorted.size(); ++i) {
        if (!std::isfinite(sorted[i].score))
            return Error {
                QStringLiteral("the score at %1 steps is not a number").arg(sorted[i].steps), kWhere};
        if (sorted[i].score > sorted[best].score)
            best = i;
        lowest = std::min(lowest, sorted[i].score);
    }
    const double highest = sorted[best].score;
    const double contrast = highest > 0.0 ? (highest - lowest) / highest : 0.0;
    if (contrast < m_settings.minContrast)
        return Error {
            QStringLiteral("the sharpness barely changes from %1 to %2 steps (%3 % against the %4 % "
                           "needed): put a slide with structure in view and light it, or widen the range")
                .arg(sorted.front().steps)
                .arg(sorted.back().steps)
                .arg(contrast * 100.0, 0, 'f', 1)
                .arg(m_settings.minContrast * 100.0, 0, 'f', 0),
            kWhere};
    FocusSweepResult out;
    out.samples = samples;
    out.bestScore = highest;
    out.contrast = contrast;
    out.bestSteps = sorted[best].steps;
    if (best > 0 && best + 1 < sorted.size()) {
        // The vertex of the parabola through the peak and its neighbours (unequal spacing allowed).
        const double x0 = sorted[best - 1].steps, x1 = sorted[best].steps, x2 = sorted[best + 1].steps;
        const double y0 = sorted[best - 1].score, y1 = sorted[best].score, y2 = sorted[best + 1].score;
        const double denom = (x0 - x1) * (x0 - x2) * (x1 - x2);
        const double a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denom;
        const double b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denom;
        if (a < 0.0) {
            const double vertex = std::clamp(-b / (2.0 * a), x0, x2);
            out.bestSteps = int(std::lround(vertex));
        }
    }
    return out;
}

}  // namespace scopesync::core::analysis
