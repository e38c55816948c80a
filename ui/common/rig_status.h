// RigStatus: a snapshot of the rig for the status strip, sent from the worker thread to the GUI.
#pragma once

#include "core/acquisition/ports.h"

#include <QString>

#include <optional>

namespace scopesync::ui {

struct RigStatus {
    bool open = false;
    QString summary;  // the rig's one-line summary
    QString backend;  // "sim" or "pi"
    QString sensorMode;  // "imx477 4056x3040"
    QString trigger;  // "xvs-sink"
    double framesPerSecond = 0;  // measured from frame timestamps
    core::acquisition::StrobeStats strobe;
    qint64 previewFrames = 0;  // handed to the preview
    qint64 previewDropped = 0;  // replaced in the mailbox before the GUI took them
    qint64 cameraDropped = 0;  // dropped by the camera itself
    bool ledsOff = true;
    QString litLeds;  // what the app is lighting now: "red (strobed each frame)", "green (flash)"
    bool live = false;
    bool running = false;
    // The instrument's devices, when the rig has them.
    bool hasFilterWheel = false;
    QString filterInPlace;  // empty while the wheel moves
    std::optional<int> focusSteps;
    std::optional<double> temperatureKelvin;
    std::optional<double> setPointKelvin;  // none: the heater is off
    double heaterDutyPerMille = 0;
    QString heaterFault;
};

}  // namespace scopesync::ui
