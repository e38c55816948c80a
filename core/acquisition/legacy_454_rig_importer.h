// Legacy454RigImporter: turns a 454 instrument's hardware configuration file (schema 3: servo filter
// wheel and DS18B20; schema 4: stepper wheel and focus and an NTC through an ADS1115) into a rig.
#pragma once

#include "core/acquisition/rig_description.h"
#include "core/common/diagnostics.h"

#include <QByteArray>

#include <optional>

namespace scopesync::core::acquisition {

struct Legacy454RigOptions {
    bool simulated = false;  // the devices as their simulated kinds, on the simulated backend
    std::optional<int> servoBcm;  // the servo's PWM line: the 454 files do not name it
};

struct Legacy454RigResult {
    std::optional<RigDescription> rig;  // set when there are no errors
    Diagnostics diagnostics;  // errors with their JSON paths; notes on what was assumed or left out
};

class Legacy454RigImporter {
public:
    static Legacy454RigResult importBytes(const QByteArray &bytes, const Legacy454RigOptions &options);
};

}  // namespace scopesync::core::acquisition
