// Builds the concrete rig (simulated or Raspberry Pi) a rig description asks for.
#pragma once

#include "core/acquisition/rig.h"
#include "core/camera/camera_settings.h"

#include <memory>

namespace scopesync::hal {

struct RigFactoryOptions {
    bool useSettingsFlips = false;  // a camera config was given: its vflip/hflip drive the simulated sensor
    bool requestRealtime = true;
};

core::Result<std::unique_ptr<core::acquisition::Rig>> createRig(const core::acquisition::RigDescription &rig,
    const core::camera::CameraSettings &settings, RigFactoryOptions options = {});

}  // namespace scopesync::hal
