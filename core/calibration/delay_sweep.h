// DelaySweep: the plain method — a frame at every delay from start to stop, the window read off the scores.
#pragma once

#include "core/calibration/calibration_request.h"
#include "core/calibration/calibration_result.h"
#include "core/calibration/delay_search.h"

namespace scopesync::core::calibration {

struct SweepRange {
    Micros start {0};
    Micros stop {100'000};
    Micros step {1'000};

    // "START:STOP:STEP" in milliseconds, e.g. "0:100:1".
    static Result<SweepRange> parse(const QString &text);
};

// Every frame is scored against the row-wise brightest of all frames (each row's fully lit value, as
// long as one frame lit it fully). An edge lies halfway between the last banded and the first evenly
// lit delay, so its error is at most half a step.
class DelaySweep {
public:
    DelaySweep(CalibrationRequest request, SweepRange range) : m_request(std::move(request)), m_range(range)
    {
    }

    Result<CalibrationResult> run(const MeasureFn &measure, const ProgressFn &progress = {});

private:
    CalibrationRequest m_request;
    SweepRange m_range;
};

}  // namespace scopesync::core::calibration
