// Builds the concrete rig (simulated or Raspberry Pi) a rig description asks for.
#include "hal/rig_factory.h"

#include "hal/sim/sim_rig.h"

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
    return core::Error {
        QStringLiteral("the \"pi\" backend (libgpiod and libcamera) is not available in this build; "
                       "use \"backend\": \"sim\" or --rig sim"),
        QStringLiteral("backend")};
}

}  // namespace scopesync::hal
