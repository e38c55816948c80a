// CalibrationRequest: what a flash-delay calibration searches for (sensor mode, exposure, flash, flips).
#pragma once

#include "core/analysis/uniformity_scorer.h"
#include "core/common/image.h"
#include "core/common/result.h"
#include "core/timing/exposure_model.h"

#include <functional>
#include <optional>

namespace scopesync::core::calibration {

using timing::Micros;

// One calibration frame, and the flash that lit it as it was really driven, relative to the trigger edge:
// on a rig the LED edges the strobe engine measured, elsewhere the asked delay and flash. The window's
// edges are computed from these, so a flash the machine drove a little late does not move them.
struct DelayShot {
    Image16 image;
    Micros on {0};
    Micros off {0};
};

// Takes one frame lit by the flash `delay` after the trigger edge. The calibration asks for nothing
// else, so it runs the same on a rig, on a recorded set or on synthetic frames.
using MeasureFn = std::function<Result<DelayShot>(Micros delay)>;

struct CalibrationRequest {
    timing::ShutterType shutter = timing::ShutterType::Rolling;
    timing::SensorMode mode;
    Micros exposure {0};
    Micros flash {0};
    bool vflip = false;
    bool hflip = false;
    double blackLevel = -1;  // < 0: the Pi's raw black level for the frames' bit depth
    bool earliest = false;  // recommend the window's start + margin instead of its centre
    Micros margin {500};
    Micros maxDelay {0};  // no delay beyond this is tried; 0: exposure + readout

    // The model with no trigger offset: what the sensor's datasheet figures predict.
    [[nodiscard]] timing::ExposureModel model() const;
    [[nodiscard]] analysis::ScoringGeometry geometry() const;
    [[nodiscard]] Micros delayLimit() const;
    // Rows over which a band fades: flash / line time (infinite for a global shutter).
    [[nodiscard]] double rampRows() const;
    [[nodiscard]] double lineTimeUs() const;

    // Why no delay can work (exposure < readout + flash), with the shortest shutter and the longest
    // flash that would; nullopt when a window exists. Needs no frame.
    [[nodiscard]] std::optional<QString> infeasibility() const;
    // Empty when usable; else a sentence naming the bad field.
    [[nodiscard]] QString problem() const;
};

}  // namespace scopesync::core::calibration
