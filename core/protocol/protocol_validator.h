// validateProtocol: checks a protocol against the limits and against the rig and camera it will run on.
#pragma once

#include "core/common/diagnostics.h"
#include "core/protocol/protocol.h"
#include "core/timing/frame_plan.h"
#include "core/timing/sensor_catalog.h"

#include <QMap>
#include <QStringList>

#include <chrono>

namespace scopesync::core::protocol {

struct ValidationContext {
    QStringList leds;  // the rig's LED names; empty = don't check
    // Sensor mode and shutter the run will use; without all three, flashes are not checked against the
    // rolling-shutter window.
    const timing::SensorInfo *sensor = nullptr;
    const timing::SensorMode *mode = nullptr;
    std::chrono::microseconds exposure {0};
    std::chrono::microseconds offset {0};  // trigger-to-exposure offset (DOMAIN.md §3 `o`)
    timing::PlanTiming planTiming;  // for the frame count and capture-period checks
    // Each LED's safety limit for one strobed flash (the rig's led_max_on_ms); a longer flash is cut.
    QMap<QString, std::chrono::milliseconds> flashMaxOn;
};

// Reports every problem once, at the path of the step or flash (Step/Flash::sourcePath, or a native
// "$.steps[i]…" path for steps built in code): durations ≤ 0 or beyond the limits of ProtocolLimits,
// iterations outside 1–1000000, nesting deeper than 32 groups, more than 10 million frames, intensities
// outside 0–1000, temperatures outside 273–373 K, LEDs the rig lacks, and flashes that cannot light
// every row with the chosen sensor mode and shutter. The walk is iterative and stops descending at the
// nesting limit, so any input, however deep or large, is safe.
Diagnostics validateProtocol(const Protocol &protocol, const ValidationContext &context);

// What can be checked before the rig is known (a fleet leader, before each follower checks the protocol
// against its own rig): every limit, no LED names, no rolling-shutter window, no capture period against a
// frame period.
Diagnostics validateProtocolForAnyRig(const Protocol &protocol);

}  // namespace scopesync::core::protocol
