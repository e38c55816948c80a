// The slide heater on a GPIO line: a slow software PWM (1 s period: the slide's thermal time constant is
// minutes) limited to the rig's maximum duty.
#pragma once

#include "core/instrument/devices.h"
#include "hal/instrument/software_pwm.h"

#include <atomic>
#include <memory>

namespace scopesync::hal::instrument {

class PwmHeater final : public core::instrument::Heater {
public:
    static constexpr std::chrono::milliseconds kPeriod {1000};

    // Owns `lines` (the heater at index 0), which start low.
    PwmHeater(std::unique_ptr<strobe::OutputLines> lines, int maxPerMille,
        std::chrono::nanoseconds period = kPeriod);
    ~PwmHeater() override;
    PwmHeater(const PwmHeater &) = delete;
    PwmHeater &operator=(const PwmHeater &) = delete;

    // Clamped to [0, maxPerMille/1000].
    core::Status setDuty(double fraction) override;
    void off() override;
    [[nodiscard]] double duty() const override { return m_duty.load(); }

private:
    std::unique_ptr<strobe::OutputLines> m_lines;
    std::unique_ptr<SoftwarePwm> m_pwm;  // after m_lines: borrows them
    double m_max;
    std::atomic<double> m_duty {0.0};
};

}  // namespace scopesync::hal::instrument
