// CalibrationResult: the valid flash-delay window a calibration found, its recommendation and score curve.
#pragma once

#include "core/analysis/uniformity_scorer.h"
#include "core/timing/exposure_model.h"

#include <QJsonObject>
#include <QStringList>

#include <vector>

namespace scopesync::core::calibration {

using timing::Micros;

// One frame the calibration took.
struct CurvePoint {
    Micros delay {0};
    QString phase;  // "reference", "probe", "confirm" (just inside an edge), "check" (just outside), "sweep"
    analysis::UniformityScore score;  // the final scoring (against the final reference)
};

struct CalibrationResult {
    QString method;  // "model-guided" or "sweep"
    Micros windowStart {0};
    Micros windowEnd {0};
    Micros recommended {0};
    bool earliest = false;  // recommended = start + margin rather than the centre
    Micros margin {0};
    Micros predictedStart {0};  // the model's window with no trigger offset
    Micros predictedEnd {0};
    int framesUsed = 0;
    std::vector<CurvePoint> curve;  // in the order the frames were taken
    QStringList notes;

    // Trigger offset the frames revealed: measured start − predicted start.
    [[nodiscard]] Micros measuredOffset() const { return windowStart - predictedStart; }
    // {window_start_ms, window_end_ms, recommended_ms, frames_used, curve: [...], ...}
    [[nodiscard]] QJsonObject toJson() const;
};

// The recommendation policy: the window's centre, or its start plus a margin (never past the end).
Micros recommendDelay(Micros start, Micros end, bool earliest, Micros margin);

}  // namespace scopesync::core::calibration
