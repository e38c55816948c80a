// A DutyOutput on a hardware PWM channel (/sys/class/pwm): servo pulses and current PWM without a thread.
#pragma once

#include "hal/gpiod/pwm_channel.h"
#include "hal/instrument/duty_output.h"

#include <memory>

namespace scopesync::hal::instrument {

class PwmChannelDuty final : public DutyOutput {
public:
    explicit PwmChannelDuty(std::unique_ptr<gpiod::PwmChannel> channel) : m_channel(std::move(channel)) { }
    ~PwmChannelDuty() override { off(); }
    PwmChannelDuty(const PwmChannelDuty &) = delete;
    PwmChannelDuty &operator=(const PwmChannelDuty &) = delete;

    core::Status setHighTime(std::chrono::nanoseconds high) override { return m_channel->setHighTime(high); }
    [[nodiscard]] std::chrono::nanoseconds period() const override { return m_channel->period(); }
    void off() override { (void)m_channel->setHighTime(std::chrono::nanoseconds(0)); }
    [[nodiscard]] QString path() const { return m_channel->path(); }

private:
    std::unique_ptr<gpiod::PwmChannel> m_channel;
};

}  // namespace scopesync::hal::instrument
