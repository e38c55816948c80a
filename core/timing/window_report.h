// windowReport: the valid flash window of a sensor mode, shutter, flash and trigger offset as one JSON
// object — what `scopesync timing --json` prints and what the API's GET /timing answers.
#pragma once

#include "core/timing/sensor_catalog.h"

#include <QJsonObject>

namespace scopesync::core::timing {

// Figures in ms rounded to the µs; when no delay works, also the shortest shutter and the longest flash
// that would ("min_shutter_us", "max_flash_ms").
[[nodiscard]] QJsonObject windowReport(
    const SensorInfo &sensor, const SensorMode &mode, double shutterUs, double flashMs, double offsetUs);

}  // namespace scopesync::core::timing
