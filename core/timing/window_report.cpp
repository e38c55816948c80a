// windowReport: the flash window as JSON.
#include "core/timing/window_report.h"

#include "core/timing/exposure_model.h"

#include <cmath>

namespace scopesync::core::timing {

namespace {
double msValue(Micros t)
{
    return std::round(t.count()) / 1000.0;
}
}  // namespace

QJsonObject windowReport(
    const SensorInfo &sensor, const SensorMode &mode, double shutterUs, double flashMs, double offsetUs)
{
    const ExposureModel model(sensor.shutter, mode, Micros(shutterUs), Micros(offsetUs));
    const auto window = model.validWindow(Micros(flashMs * 1000.0));
    const bool rolling = sensor.shutter == ShutterType::Rolling;
    QJsonObject o {
        {QStringLiteral("sensor"), sensor.id},
        {QStringLiteral("mode"), mode.name()},
        {QStringLiteral("shutter_type"), rolling ? QStringLiteral("rolling") : QStringLiteral("global")},
        {QStringLiteral("line_time_us"), std::round(mode.lineTime.count()) / 1000.0},
        {QStringLiteral("readout_ms"), msValue(model.readout())},
        {QStringLiteral("shutter_us"), shutterUs},
        {QStringLiteral("flash_ms"), flashMs},
        {QStringLiteral("offset_us"), offsetUs},
        {QStringLiteral("window_start_ms"), msValue(window.start)},
        {QStringLiteral("window_end_ms"), msValue(window.end)},
        {QStringLiteral("feasible"), window.feasible},
    };
    if (!window.feasible) {
        o.insert(QStringLiteral("min_shutter_us"), std::ceil(window.minimumExposure.count()));
        o.insert(QStringLiteral("max_flash_ms"), msValue(window.maximumFlash));
    }
    return o;
}

}  // namespace scopesync::core::timing
