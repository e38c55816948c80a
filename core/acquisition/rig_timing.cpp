// The one rule for a rig's frame period, plan timing and validation context.
#include "core/acquisition/rig_timing.h"

#include <algorithm>

namespace scopesync::core::acquisition {

std::chrono::nanoseconds framePeriodFor(
    const timing::SensorMode &mode, std::chrono::microseconds exposure, std::optional<double> framerateFps)
{
    // IMX477 needs frame_length ≥ exposure lines + 22 (imx477.c IMX477_EXPOSURE_OFFSET); used for all.
    const auto blanking = std::chrono::duration_cast<std::chrono::nanoseconds>(mode.lineTime * 22);
    const std::chrono::nanoseconds minimum(1'000'000'000LL / std::max(1, mode.maxFps));
    std::chrono::nanoseconds requested {0};
    if (framerateFps && *framerateFps > 0)
        requested = std::chrono::nanoseconds(static_cast<qint64>(1e9 / *framerateFps));
    return std::max(
        {std::chrono::duration_cast<std::chrono::nanoseconds>(exposure) + blanking, minimum, requested});
}

std::chrono::nanoseconds rigFramePeriod(const RigDescription &rig, const camera::CameraSettings &settings)
{
    const auto *mode = rig.sensorMode();
    if (!mode)
        return std::chrono::nanoseconds(0);
    return framePeriodFor(
        *mode, settings.shutter.value_or(std::chrono::microseconds(0)), settings.framerateFps);
}

timing::PlanTiming rigPlanTiming(const RigDescription &rig, const camera::CameraSettings &settings)
{
    return {settings.shutter.value_or(std::chrono::microseconds(0)),
        std::chrono::duration_cast<std::chrono::microseconds>(rigFramePeriod(rig, settings))};
}

protocol::ValidationContext rigValidationContext(
    const RigDescription &rig, const camera::CameraSettings &settings)
{
    protocol::ValidationContext ctx;
    ctx.leds = rig.ledNames();
    ctx.sensor = rig.sensorInfo();
    ctx.mode = rig.sensorMode();
    ctx.exposure = settings.shutter.value_or(std::chrono::microseconds(0));
    ctx.planTiming = rigPlanTiming(rig, settings);
    return ctx;
}

}  // namespace scopesync::core::acquisition
