// FocusSweep: sharpness over a range of focus positions, and the sharpest of them (pure: it asks a
// `measure(steps)` callback for each position's score, like the delay search).
#pragma once

#include "core/common/result.h"

#include <QList>

#include <functional>

namespace scopesync::core::analysis {

struct FocusSample {
    int steps = 0;
    double score = 0.0;
};

struct FocusSweepResult {
    QList<FocusSample> samples;  // in sweep order
    int bestSteps = 0;  // the sharpest position (refined between the samples around the peak)
    double bestScore = 0.0;  // the highest measured score
    double contrast = 0.0;  // (highest − lowest) / highest
};

struct FocusSweepSettings {
    int fromSteps = -200;
    int toSteps = 200;
    int stepSteps = 20;  // > 0
    // A curve whose (highest − lowest) / highest is below this is flat: no position is picked.
    double minContrast = 0.10;
    // How a flat curve is reported: what was scored, in which unit positions are, and what to do. A filter
    // wheel's centring scan (brightness over raw positions) says its own.
    QString quantity = QStringLiteral("sharpness");
    QString unit = QStringLiteral("steps");
    QString flatHint = QStringLiteral("put a slide with structure in view and light it, or widen the range");
};

class FocusSweep {
public:
    explicit FocusSweep(FocusSweepSettings settings) : m_settings(settings) { }

    // The positions the sweep visits, from `fromSteps` towards `toSteps` inclusive; an error naming the
    // field for an empty range or a step ≤ 0.
    [[nodiscard]] Result<QList<int>> positions() const;

    // Measures every position in order. `measure` returns a score or an error (which ends the sweep with it);
    // `progress(done, total, sample)` after each; `cancelled()` is asked before each position.
    using Measure = std::function<Result<double>(int steps)>;
    using Progress = std::function<void(int done, int total, const FocusSample &sample)>;
    [[nodiscard]] Result<FocusSweepResult> run(const Measure &measure, const Progress &progress = {},
        const std::function<bool()> &cancelled = {}) const;

    // The sharpest of measured samples: the highest score, refined by a parabola through it and its
    // neighbours; an error when fewer than three samples, or the curve is flat (no structure in view,
    // or the range misses the focus by far).
    [[nodiscard]] Result<FocusSweepResult> pickBest(const QList<FocusSample> &samples) const;

    [[nodiscard]] const FocusSweepSettings &settings() const { return m_settings; }

private:
    FocusSweepSettings m_settings;
};

}  // namespace scopesync::core::analysis
