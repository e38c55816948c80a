// SimRig: the simulated rig — virtual sensor, simulated GPIO and the real strobe engine, wired together.
#pragma once

#include "core/acquisition/rig.h"
#include "core/camera/camera_settings.h"
#include "hal/sim/sim_filter_wheel.h"
#include "hal/sim/sim_focus.h"
#include "hal/sim/sim_lines.h"
#include "hal/sim/sim_sensor.h"
#include "hal/sim/sim_thermal_stage.h"
#include "hal/strobe/predicted_frame_starts.h"
#include "hal/strobe/strobe_engine.h"

#include <memory>

namespace scopesync::hal::sim {

struct SimRigOptions {
    bool requestRealtime = true;
};

class SimRig final : public core::acquisition::Rig {
public:
    // The exposure and gain come from `settings` (shutter is required); the flips too when
    // `useSettingsFlips`, otherwise from the rig's `sim` object.
    static core::Result<std::unique_ptr<SimRig>> create(const core::acquisition::RigDescription &rig,
        const core::camera::CameraSettings &settings, bool useSettingsFlips, SimRigOptions options = {});
    ~SimRig() override;

    [[nodiscard]] const core::acquisition::RigDescription &description() const override { return m_rig; }
    core::acquisition::Camera &camera() override { return *m_sensor; }
    core::acquisition::StrobeController &strobe() override { return *m_engine; }
    [[nodiscard]] QString summary() const override;
    [[nodiscard]] std::chrono::nanoseconds framePeriod() const override { return m_framePeriod; }
    core::instrument::FilterChanger *filterChanger() override { return m_wheel.get(); }
    core::instrument::FocusDrive *focusDrive() override { return m_focus.get(); }
    core::instrument::Thermometer *thermometer() override { return m_thermal.get(); }
    core::instrument::Heater *heater() override { return m_thermal.get(); }

    // For tests and fault injection.
    SimLedBank &leds() { return *m_leds; }
    SimSensor &sensor() { return *m_sensor; }
    strobe::StrobeEngine &engine() { return *m_engine; }
    SimFilterWheel *wheel() { return m_wheel.get(); }
    SimThermalStage *thermalStage() { return m_thermal.get(); }

private:
    SimRig() = default;

    core::acquisition::RigDescription m_rig;
    std::chrono::nanoseconds m_framePeriod {0};
    std::unique_ptr<SimLedBank> m_leds;
    std::unique_ptr<SimXvsInput> m_xvs;
    std::unique_ptr<SimTriggerOutput> m_triggerOut;
    std::unique_ptr<strobe::PredictedFrameStarts> m_predicted;  // free-run: outlives sensor and engine
    // The devices outlive the sensor, which asks the wheel what filter was in place.
    std::unique_ptr<SimFilterWheel> m_wheel;
    std::unique_ptr<SimFocus> m_focus;
    std::unique_ptr<SimThermalStage> m_thermal;
    std::unique_ptr<SimSensor> m_sensor;
    std::unique_ptr<strobe::StrobeEngine> m_engine;
};

}  // namespace scopesync::hal::sim
