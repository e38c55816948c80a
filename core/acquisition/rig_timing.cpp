// The one rule for a rig's frame period, plan timing and validation context.
#include "core/acquisition/rig_timing.h"

#include <algorithm>
#include <cmath>

namespace scopesync::core::acquisition {

std::chrono::nanoseconds framePeriodFor(
    const timing::SensorMode &mode, std::chrono::microseconds exposure, std::optional<double> framerateFps)
{
    // IMX477 needs frame_length ≥ exposure lines + 22 (imx477.c IMX477_EXPOSURE_OFFSET); used for all.
    const auto blanking = std::chrono::duration_cast<std::chrono::nanoseconds>(mode.lineTime * 22);
    const std::chrono::nanoseconds minimum(static_cast<qint64>(1e9 / std::max(1.0, mode.maxFps)));
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
    timing::PlanTiming t {settings.shutter.value_or(std::chrono::microseconds(0)),
        std::chrono::duration_cast<std::chrono::microseconds>(rigFramePeriod(rig, settings))};
    instrumentPlanTiming(rig, t);
    return t;
}

std::chrono::milliseconds meanFilterMove(const instrument::FilterWheelDescription &wheel)
{
    const auto &order = wheel.order;
    if (order.size() < 2)
        return std::chrono::milliseconds(0);
    double total = 0.0;
    int pairs = 0;
    for (qsizetype a = 0; a < order.size(); ++a) {
        for (qsizetype b = 0; b < order.size(); ++b) {
            if (a == b)
                continue;
            double ms = 0.0;
            if (wheel.kind == QLatin1String("servo")) {
                ms = double(wheel.servoSettle.count());
            } else if (wheel.kind == QLatin1String("stepper")) {
                const int steps = std::abs(wheel.positions.value(order[a]) - wheel.positions.value(order[b]));
                ms = double(steps) * double(wheel.stepper.stepTime.count()) / 1000.0;
            } else {
                ms = double(std::abs(a - b)) * double(wheel.simMoveTime.count());
            }
            total += ms;
            ++pairs;
        }
    }
    return std::chrono::milliseconds(qint64(std::llround(total / pairs)));
}

void instrumentPlanTiming(const RigDescription &rig, timing::PlanTiming &timing)
{
    if (rig.filterWheel)
        timing.filterMove = meanFilterMove(*rig.filterWheel);
    if (!rig.heater)
        return;
    const auto &h = *rig.heater;
    const double speedup = h.simSpeedup > 0.0 ? h.simSpeedup : 1.0;
    timing.startKelvin = h.kind == QLatin1String("sim") ? h.simAmbientKelvin : timing.startKelvin;
    timing.heatingHold = std::chrono::milliseconds(
        qint64(double(std::chrono::duration_cast<std::chrono::milliseconds>(h.holdTime).count()) / speedup));
    if (h.heatingKelvinPerMinute && *h.heatingKelvinPerMinute > 0.0) {
        timing.heatingKelvinPerSecond = *h.heatingKelvinPerMinute / 60.0 * speedup;
    } else if (h.kind == QLatin1String("sim") && h.simHeatCapacityJPerK > 0.0) {
        // The plant's full-power rate at ambient: optimistic, since the loss to ambient and the PI law's
        // approach to the band slow the end of the climb (22 -> 58 C: 118 s by this rate, about 230 s
        // measured on the plant by test_heater_regulator).
        const double watts = h.simMaxPowerW * double(std::clamp(h.maxPerMille, 0, 1000)) / 1000.0;
        if (watts > 0.0)
            timing.heatingKelvinPerSecond = watts / h.simHeatCapacityJPerK * speedup;
    }
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
    for (const QString &led : rig.ledNames())
        ctx.flashMaxOn.insert(led, rig.maxOnFor(led));
    return ctx;
}

}  // namespace scopesync::core::acquisition
