// Builds the concrete rig (simulated or Raspberry Pi) a rig description asks for, and detects which one fits.
#include "hal/rig_factory.h"

#include "hal/gpiod/gpiod_chip_access.h"
#include "hal/libcamera/camera_manager_access.h"
#include "hal/pi/pi_rig.h"
#include "hal/sim/sim_rig.h"

#include <QFileInfo>

namespace scopesync::hal {

core::Result<std::unique_ptr<core::acquisition::Rig>> createRig(const core::acquisition::RigDescription &rig,
    const core::camera::CameraSettings &settings, RigFactoryOptions options)
{
    if (rig.backend == QLatin1String("sim")) {
        auto r = sim::SimRig::create(rig, settings, options.useSettingsFlips, {options.requestRealtime});
        if (!r.ok())
            return r.error();
        return std::unique_ptr<core::acquisition::Rig>(std::move(r).value());
    }
    if (rig.backend == QLatin1String("pi")) {
        auto r = pi::PiRig::create(
            rig, settings, {options.requestRealtime, options.rawStream, QString(), options.previewMaxSide});
        if (!r.ok())
            return r.error();
        return std::unique_ptr<core::acquisition::Rig>(std::move(r).value());
    }
    return core::Error {QStringLiteral("'%1' is not a backend; use \"sim\" or \"pi\"").arg(rig.backend),
        QStringLiteral("backend")};
}

BackendChoice detectBackend(const QString &gpioChip)
{
    const QString chipPath = gpiod::chipDevicePath(gpioChip);
    const bool chip = QFileInfo::exists(chipPath);
    auto cameras = libcamera::listCameras();
    const bool camera = cameras.ok() && !cameras.value().isEmpty();
    if (chip && camera)
        return {QStringLiteral("pi"),
            QStringLiteral("camera %1 and %2 found: using the Raspberry Pi backend")
                .arg(cameras.value().constFirst().model, chipPath)};
    QStringList missing;
    if (!camera)
        missing << QStringLiteral("no camera");
    if (!chip)
        missing << QStringLiteral("no %1").arg(chipPath);
    return {QStringLiteral("sim"),
        QStringLiteral("%1: using the simulated rig (run 'scopesync doctor' to see what is missing)")
            .arg(missing.join(QStringLiteral(", ")))};
}

}  // namespace scopesync::hal
