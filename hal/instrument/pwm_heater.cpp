// The slide heater on a GPIO line, a slow software PWM.
#include "hal/instrument/pwm_heater.h"

#include <algorithm>

namespace scopesync::hal::instrument {

PwmHeater::PwmHeater(
    std::unique_ptr<strobe::OutputLines> lines, int maxPerMille, std::chrono::nanoseconds period)
    : m_lines(std::move(lines)),
      m_pwm(std::make_unique<SoftwarePwm>(*m_lines, 0, period)),
      m_max(std::clamp(maxPerMille, 0, 1000) / 1000.0)
{
}

PwmHeater::~PwmHeater()
{
    off();
    m_pwm.reset();
    (void)m_lines->set(0, false);
}

core::Status PwmHeater::setDuty(double fraction)
{
    const double d = std::clamp(fraction, 0.0, m_max);
    auto st = m_pwm->setDuty(d);
    if (!st.ok()) {
        off();
        return st;
    }
    m_duty.store(d);
    return core::Ok {};
}

void PwmHeater::off()
{
    m_duty.store(0.0);
    m_pwm->off();
}

}  // namespace scopesync::hal::instrument
