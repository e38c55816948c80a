// Loads what a run is made of — protocol, camera settings, rig — and validates them together.
#pragma once

#include "core/acquisition/rig_description.h"
#include "core/camera/camera_settings.h"
#include "core/common/diagnostics.h"
#include "core/protocol/protocol.h"
#include "core/timing/frame_plan.h"

#include <QString>

#include <optional>

namespace scopesync::app {

struct InputFile {
    QString path;  // as given; empty for built-in defaults
    QByteArray bytes;  // what was read, once: the run folder's copy in inputs/ is written from these
    core::Diagnostics diagnostics;
};

struct RunInputs {
    std::optional<core::protocol::Protocol> protocol;
    core::camera::CameraSettings settings;
    bool cameraConfigGiven = false;
    std::optional<core::acquisition::RigDescription> rig;
    InputFile protocolFile;
    InputFile cameraFile;
    InputFile rigFile;
    QString calibrationProfile;  // the profile whose delay the rig uses, when one was found
    core::timing::PlanTiming planTiming;  // shutter and frame period of the rig (or --sensor/--mode)

    [[nodiscard]] bool hasErrors() const;
    // Every diagnostic, one per line, each prefixed with its file.
    void print() const;
};

struct InputRequest {
    QString protocolPath;
    QString cameraConfigPath;  // empty: the reference rig's settings (shutter 250 ms, gain 8, vflip)
    QString rig;  // "sim" (default) or a rig file
    QString sensorOverride;  // validate: check against this sensor and mode instead of the rig's
    QString modeOverride;
};

// Reads all three and validates the protocol against the rig and camera (LEDs, flash window, delay).
RunInputs loadRunInputs(const InputRequest &request);

}  // namespace scopesync::app
