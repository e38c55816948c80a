// SimThermalStage: the simulated slide heater and its sensor over the thermal plant. Plant time runs at
// the rig's speed-up times real time and is advanced on every access with the duty held since the last,
// so the physics is exact for a piecewise-constant heater output. Faults can be injected for tests.
#pragma once

#include "core/instrument/devices.h"
#include "hal/sim/thermal_plant.h"

#include <mutex>

namespace scopesync::hal::sim {

class SimThermalStage final : public core::instrument::Thermometer, public core::instrument::Heater {
public:
    enum class SensorFault { None, Silent, Nonsense };

    explicit SimThermalStage(core::instrument::HeaterDescription description);

    core::Result<core::instrument::TemperatureReading> read() override;
    [[nodiscard]] QString name() const override { return QStringLiteral("simulated slide sensor"); }
    core::Status setDuty(double fraction) override;
    void off() override;
    [[nodiscard]] double duty() const override;

    void setSensorFault(SensorFault fault);
    // The slide's true temperature (not the sensor's view), for tests.
    [[nodiscard]] double slideKelvin();

private:
    void advanceLocked();

    core::instrument::HeaterDescription m_description;
    mutable std::mutex m_mutex;  // protects the plant, the duty and the fault
    ThermalPlant m_plant;
    double m_duty = 0.0;
    core::MonoTime m_last;
    SensorFault m_fault = SensorFault::None;
};

}  // namespace scopesync::hal::sim
