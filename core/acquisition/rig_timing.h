// The one rule for a rig's frame period, and the plan timing and validation context that follow from it.
#pragma once

#include "core/acquisition/rig_description.h"
#include "core/camera/camera_settings.h"
#include "core/protocol/protocol_validator.h"
#include "core/timing/frame_plan.h"
#include "core/timing/sensor_catalog.h"

#include <chrono>
#include <optional>

namespace scopesync::core::acquisition {

// The camera's frame period for a mode and exposure: the exposure plus the sensor's minimum vertical
// blanking, 1 / max fps, or 1 / the requested framerate, whichever is longest.
std::chrono::nanoseconds framePeriodFor(const timing::SensorMode &mode, std::chrono::microseconds exposure,
    std::optional<double> framerateFps = std::nullopt);

// The frame period of `rig` with `settings`; zero when the rig's sensor mode is not in the catalog.
std::chrono::nanoseconds rigFramePeriod(const RigDescription &rig, const camera::CameraSettings &settings);

// What the frame plan needs to estimate a run on this rig: the shutter, the frame period, the mean
// filter change and the heater's rate (instrumentPlanTiming).
timing::PlanTiming rigPlanTiming(const RigDescription &rig, const camera::CameraSettings &settings);

// The filter-change and heating terms of a plan estimate from the rig's device descriptions, written
// into `timing`: a filter change costs the mean move between two of the wheel's positions; heating runs
// at the rig file's measured rate, or a simulated plant's full-power rate; otherwise it is not estimated.
void instrumentPlanTiming(const RigDescription &rig, timing::PlanTiming &timing);

// The mean time of a move between two distinct positions of a wheel so described.
std::chrono::milliseconds meanFilterMove(const instrument::FilterWheelDescription &wheel);

// Everything validateProtocol() checks a protocol against on this rig: its LEDs, sensor mode, shutter
// and frame period.
protocol::ValidationContext rigValidationContext(
    const RigDescription &rig, const camera::CameraSettings &settings);

}  // namespace scopesync::core::acquisition
