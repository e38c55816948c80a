// Builds the concrete rig (simulated or Raspberry Pi) a rig description asks for, and detects which one fits.
#pragma once

#include "core/acquisition/rig.h"
#include "core/camera/camera_settings.h"

#include <memory>

namespace scopesync::hal {

struct RigFactoryOptions {
    bool useSettingsFlips = false;  // a camera config was given: its vflip/hflip drive the simulated sensor
    bool requestRealtime = true;
    bool rawStream = true;  // Pi backend: raw Bayer stream (false: the ISP's processed stream)
    int previewMaxSide = 0;  // Pi backend: > 0 asks for the ISP's preview stream (PiRigOptions)
};

core::Result<std::unique_ptr<core::acquisition::Rig>> createRig(const core::acquisition::RigDescription &rig,
    const core::camera::CameraSettings &settings, RigFactoryOptions options = {});

struct BackendChoice {
    QString backend;  // "pi" or "sim"
    QString reason;  // one sentence for logs: "camera imx477 and /dev/gpiochip0 found"
};

// With no rig file: the Pi backend when libcamera sees a camera and a GPIO chip exists, else the
// simulated rig. `gpioChip` is the chip a Pi rig would use.
BackendChoice detectBackend(const QString &gpioChip = QStringLiteral("gpiochip0"));

}  // namespace scopesync::hal
