// PiController: the heater's proportional-integral control law with a bias, an output limit and anti-windup.
#include "core/instrument/pi_controller.h"

#include <algorithm>

namespace scopesync::core::instrument {

double PiController::update(double setPointK, double measuredK, std::chrono::duration<double> dt)
{
    const double error = setPointK - measuredK;
    const double p = m_gains.pPerMillePerKelvin * error;
    const double step = m_gains.iPerMillePerKelvinSecond * error * std::max(0.0, dt.count());
    const double unclamped = m_gains.biasPerMille + p + m_integral + step;
    // Conditional integration: only integrate when doing so does not push a saturated output further.
    const bool saturatedHigh = unclamped > m_gains.maxPerMille && step > 0;
    const bool saturatedLow = unclamped < 0.0 && step < 0;
    if (!saturatedHigh && !saturatedLow)
        m_integral += step;
    return std::clamp(m_gains.biasPerMille + p + m_integral, 0.0, m_gains.maxPerMille);
}

}  // namespace scopesync::core::instrument
