// SimThermalStage: the simulated slide heater and its sensor over the thermal plant.
#include "hal/sim/sim_thermal_stage.h"

#include <algorithm>
#include <cmath>

namespace scopesync::hal::sim {

SimThermalStage::SimThermalStage(core::instrument::HeaterDescription description)
    : m_description(std::move(description)), m_plant(m_description), m_last(core::monotonicNow())
{
}

void SimThermalStage::advanceLocked()
{
    const auto now = core::monotonicNow();
    const std::chrono::duration<double> real = now - m_last;
    m_last = now;
    m_plant.advance(real * std::max(1.0, m_description.simSpeedup), m_duty);
}

core::Result<core::instrument::TemperatureReading> SimThermalStage::read()
{
    const std::lock_guard lock(m_mutex);
    advanceLocked();
    switch (m_fault) {
    case SensorFault::Silent:
        return core::Error {QStringLiteral("the simulated sensor does not answer"), name()};
    case SensorFault::Nonsense: return core::instrument::TemperatureReading {std::nan(""), m_last};
    case SensorFault::None: break;
    }
    return core::instrument::TemperatureReading {m_plant.sensorKelvin(), m_last};
}

core::Status SimThermalStage::setDuty(double fraction)
{
    const std::lock_guard lock(m_mutex);
    advanceLocked();
    m_duty = std::clamp(fraction, 0.0, double(m_description.maxPerMille) / 1000.0);
    return core::Ok {};
}

void SimThermalStage::off()
{
    const std::lock_guard lock(m_mutex);
    advanceLocked();
    m_duty = 0.0;
}

double SimThermalStage::duty() const
{
    const std::lock_guard lock(m_mutex);
    return m_duty;
}

void SimThermalStage::setSensorFault(SensorFault fault)
{
    const std::lock_guard lock(m_mutex);
    m_fault = fault;
}

double SimThermalStage::slideKelvin()
{
    const std::lock_guard lock(m_mutex);
    advanceLocked();
    return m_plant.slideKelvin();
}

}  // namespace scopesync::hal::sim
