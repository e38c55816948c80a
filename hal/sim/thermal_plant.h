// ThermalPlant: the simulated slide heater's physics. A lumped heat capacity warmed by the heater's
// power and losing heat to ambient through a conductance; the sensor sees the slide through a
// first-order lag and adds Gaussian noise. Time is plant time: the caller advances it.
#pragma once

#include "core/instrument/instrument_description.h"

#include <chrono>
#include <random>

namespace scopesync::hal::sim {

class ThermalPlant {
public:
    explicit ThermalPlant(const core::instrument::HeaterDescription &description, unsigned seed = 1);

    // Advances plant time by `dt` with the heater at `duty` (0–1) throughout.
    void advance(std::chrono::duration<double> dt, double duty);
    [[nodiscard]] double slideKelvin() const { return m_slide; }
    // What the sensor reports now: the lagged temperature plus noise.
    double sensorKelvin();
    // Time constant of the loss to ambient, C / G, in seconds.
    [[nodiscard]] double timeConstantSeconds() const;

private:
    double m_ambient;
    double m_maxPowerW;
    double m_capacityJPerK;
    double m_lossWPerK;
    double m_lagSeconds;
    double m_slide;
    double m_sensed;
    std::mt19937 m_rng;
    std::normal_distribution<double> m_noise;
};

}  // namespace scopesync::hal::sim
