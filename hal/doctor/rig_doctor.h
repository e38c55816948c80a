// The rig doctor: checks a machine against a rig (camera, trigger_mode, GPIO, groups, real-time, disk);
// changes nothing.
#pragma once

#include "core/acquisition/rig_description.h"
#include "hal/doctor/doctor_check.h"

#include <QList>

namespace scopesync::hal::doctor {

// Where the doctor looks; tests point these at a fake tree.
struct DoctorPaths {
    QString sys = QStringLiteral("/sys");
    QString proc = QStringLiteral("/proc");
    QString dev = QStringLiteral("/dev");
    QString boot = QStringLiteral("/boot");
    QString dataDir;  // free-space check; empty: the home directory
    bool probeCamera = true;  // ask libcamera (false in tests on a fake tree)
};

class RigDoctor {
public:
    explicit RigDoctor(core::acquisition::RigDescription rig, DoctorPaths paths = {});

    // Every check, in the order a user fixes them.
    [[nodiscard]] QList<DoctorCheck> run() const;

    // The trigger_mode value the sensor's driver needs for the rig's wiring; nullopt when the sensor
    // has no such parameter.
    static std::optional<int> expectedTriggerMode(const QString &sensor, core::acquisition::TriggerMode mode);

    [[nodiscard]] DoctorCheck checkCamera() const;
    [[nodiscard]] DoctorCheck checkTriggerModeParameter() const;
    [[nodiscard]] DoctorCheck checkKernelCommandLine() const;
    [[nodiscard]] DoctorCheck checkGpioChip() const;
    [[nodiscard]] QList<DoctorCheck> checkLinesFree() const;
    [[nodiscard]] DoctorCheck checkGroups() const;
    [[nodiscard]] DoctorCheck checkRealtime() const;
    [[nodiscard]] DoctorCheck checkVersions() const;
    [[nodiscard]] DoctorCheck checkDisk() const;

private:
    [[nodiscard]] QString cmdlineTxt() const;

    core::acquisition::RigDescription m_rig;
    DoctorPaths m_paths;
};

}  // namespace scopesync::hal::doctor
