// ThermalPlant: the simulated slide heater's physics (lumped capacity, loss to ambient, lagged noisy sensor).
#include "hal/sim/thermal_plant.h"

#include <algorithm>
#include <cmath>

namespace scopesync::hal::sim {

ThermalPlant::ThermalPlant(const core::instrument::HeaterDescription &d, unsigned seed)
    : m_ambient(d.simAmbientKelvin),
      m_maxPowerW(d.simMaxPowerW),
      m_capacityJPerK(std::max(1e-3, d.simHeatCapacityJPerK)),
      m_lossWPerK(std::max(0.0, d.simLossWPerK)),
      m_lagSeconds(std::chrono::duration<double>(d.simSensorLag).count()),
      m_slide(d.simAmbientKelvin),
      m_sensed(d.simAmbientKelvin),
      m_rng(seed),
      m_noise(0.0, std::max(0.0, d.simSensorNoiseKelvin))
{
}

void ThermalPlant::advance(std::chrono::duration<double> dt, double duty)
{
    // Sub-steps well below both time constants keep the explicit integration stable at any dt.
    double left = std::max(0.0, dt.count());
    const double power = m_maxPowerW * std::clamp(duty, 0.0, 1.0);
    while (left > 0.0) {
        const double h = std::min(left, 0.05);
        m_slide += h * (power - m_lossWPerK * (m_slide - m_ambient)) / m_capacityJPerK;
        if (m_lagSeconds > 0.0)
            m_sensed += (m_slide - m_sensed) * (1.0 - std::exp(-h / m_lagSeconds));
        else
            m_sensed = m_slide;
        left -= h;
    }
}

double ThermalPlant::sensorKelvin()
{
    return m_sensed + m_noise(m_rng);
}

double ThermalPlant::timeConstantSeconds() const
{
    return m_lossWPerK > 0.0 ? m_capacityJPerK / m_lossWPerK : INFINITY;
}

}  // namespace scopesync::hal::sim
