// PiController: the heater's proportional-integral control law with a bias, an output limit and
// anti-windup (the integral stops growing while the output is saturated in the direction of the error).
#pragma once

#include <chrono>

namespace scopesync::core::instrument {

struct PiGains {
    double pPerMillePerKelvin = 800.0;
    double iPerMillePerKelvinSecond = 0.2;
    double biasPerMille = 100.0;
    double maxPerMille = 1000.0;
};

class PiController {
public:
    explicit PiController(PiGains gains) : m_gains(gains) { }

    // The duty (0–maxPerMille, per mille) for a reading `measuredK` against `setPointK`, `dt` after
    // the previous update.
    double update(double setPointK, double measuredK, std::chrono::duration<double> dt);
    void reset() { m_integral = 0.0; }
    [[nodiscard]] double integralPerMille() const { return m_integral; }
    [[nodiscard]] const PiGains &gains() const { return m_gains; }

private:
    PiGains m_gains;
    double m_integral = 0.0;  // per mille, already multiplied by the I gain
};

}  // namespace scopesync::core::instrument
