// The rig doctor: checks a machine against a rig (camera, trigger_mode, GPIO, groups, real-time, disk);
// changes nothing.
#pragma once

#include "core/acquisition/rig_check.h"
#include "core/acquisition/rig_description.h"

#include <QList>

namespace scopesync::hal::doctor {

// Where the doctor looks; tests point these at a fake tree.
struct DoctorPaths {
    QString sys = QStringLiteral("/sys");
    QString proc = QStringLiteral("/proc");  // cmdline, self/limits, self/status
    QString dev = QStringLiteral("/dev");
    QString boot = QStringLiteral("/boot");
    QString dataDir;  // free-space check (on its nearest existing folder); empty: the home directory
    bool probeCamera = true;  // ask libcamera and Qt Multimedia (false in tests on a fake tree)
};

// The cameras libcamera and Qt Multimedia see on this machine, with the rig-file entry for each. May take
// seconds (libcamera and the media backend start); needs a QCoreApplication, not the GUI thread.
QList<core::acquisition::CameraOffer> camerasOnThisMachine();

class RigDoctor {
public:
    explicit RigDoctor(core::acquisition::RigDescription rig, DoctorPaths paths = {});

    // Every check, in the order a user fixes them.
    [[nodiscard]] QList<core::acquisition::RigCheck> run() const;

    // The trigger_mode value the sensor's driver needs for the rig's wiring; nullopt when the sensor
    // has no such parameter.
    static std::optional<int> expectedTriggerMode(const QString &sensor, core::acquisition::TriggerMode mode);

    [[nodiscard]] core::acquisition::RigCheck checkCamera() const;
    [[nodiscard]] core::acquisition::RigCheck checkTriggerModeParameter() const;
    [[nodiscard]] core::acquisition::RigCheck checkKernelCommandLine() const;
    [[nodiscard]] core::acquisition::RigCheck checkGpioChip() const;
    [[nodiscard]] QList<core::acquisition::RigCheck> checkLinesFree() const;
    [[nodiscard]] core::acquisition::RigCheck checkGroups() const;
    [[nodiscard]] core::acquisition::RigCheck checkRealtime() const;
    [[nodiscard]] core::acquisition::RigCheck checkVersions() const;
    [[nodiscard]] core::acquisition::RigCheck checkDisk() const;
    // The cameras Qt Multimedia sees (USB and other V4L2 cameras): information, never a problem.
    [[nodiscard]] core::acquisition::RigCheck checkOtherCameras() const;
    // checkCamera() for a rig whose camera is a Qt Multimedia one.
    [[nodiscard]] core::acquisition::RigCheck checkQtCamera() const;
    // The heater's sensor: 1-wire or I²C enabled and the sensor answers; nullopt without a heater.
    [[nodiscard]] std::optional<core::acquisition::RigCheck> checkThermometer() const;
    // The helper that turns heater and coils off when scopesync is killed; nullopt without such outputs.
    [[nodiscard]] std::optional<core::acquisition::RigCheck> checkOutputGuard() const;

private:
    [[nodiscard]] QString cmdlineTxt() const;
    // The chip's device node under DoctorPaths::dev, named as gpiod::chipDevicePath names it.
    [[nodiscard]] QString chipPath() const;

    core::acquisition::RigDescription m_rig;
    DoctorPaths m_paths;
};

}  // namespace scopesync::hal::doctor
