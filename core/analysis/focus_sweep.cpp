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
            QStringLiteral("the %1 barely changes from %2 to %3 %4 (%5 % against the %6 % needed): %7")
                .arg(m_settings.quantity)
                .arg(sorted.front().steps)
                .arg(sorted.back().steps)
                .arg(m_settings.unit)
                .arg(contrast * 100.0, 0, 'f', 1)
                .arg(m_settings.minContrast * 100.0, 0, 'f', 0)
                .arg(m_settings.flatHint),
            kWhere};
    FocusSweepResult out;
    out.samples = samples;
    out.bestScore = highest;
    out.contrast = contrast;
    out.bestSteps = sorted[best].steps;
    // The vertex of a least-squares parabola through the peak's upper half (at least the peak and its
    // neighbours): near focus the score is flat within the noise, and the half-height points on both
    // flanks place the centre better than the single highest sample.
    const double half = lowest + 0.5 * (highest - lowest);
    qsizetype lo = best, hi = best;
    while (lo > 0 && sorted[lo - 1].score >= half)
        --lo;
    while (hi + 1 < sorted.size() && sorted[hi + 1].score >= half)
        ++hi;
    lo = std::max<qsizetype>(0, std::min(lo, best - 1));
    hi = std::min<qsizetype>(sorted.size() - 1, std::max(hi, best + 1));
    if (best > 0 && best + 1 < sorted.size()) {
        // Centred on the peak's position for conditioning; normal equations of y = a x² + b x + c.
        const double x0 = sorted[best].steps;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, t0 = 0, t1 = 0, t2 = 0;
        for (qsizetype k = lo; k <= hi; ++k) {
            const double x = sorted[k].steps - x0, y = sorted[k].score;
            s0 += 1;
            s1 += x;
            s2 += x * x;
            s3 += x * x * x;
            s4 += x * x * x * x;
            t0 += y;
            t1 += x * y;
            t2 += x * x * y;
        }
        // Cramer's rule on [[s4 s3 s2] [s3 s2 s1] [s2 s1 s0]] (a b c) = (t2 t1 t0).
        const auto det3 = [](double a1, double b1, double c1, double a2, double b2, double c2, double a3,
                              double b3, double c3) {
            return a1 * (b2 * c3 - b3 * c2) - b1 * (a2 * c3 - a3 * c2) + c1 * (a2 * b3 - a3 * b2);
        };
        const double d = det3(s4, s3, s2, s3, s2, s1, s2, s1, s0);
        if (d != 0.0) {
            const double a = det3(t2, s3, s2, t1, s2, s1, t0, s1, s0) / d;
            const double b = det3(s4, t2, s2, s3, t1, s1, s2, t0, s0) / d;
            if (a < 0.0) {
                const double vertex
                    = std::clamp(x0 - b / (2.0 * a), double(sorted[lo].steps), double(sorted[hi].steps));
                out.bestSteps = int(std::lround(vertex));
            }
        }
    }
    return out;
}

}  // namespace scopesync::core::analysis
