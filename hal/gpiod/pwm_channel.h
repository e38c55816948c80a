// A hardware PWM channel in /sys/class/pwm driving an LED pin with an intensity (Raspberry Pi BCM
// 12/13/18/19).
#pragma once

#include "core/common/result.h"

#include <QString>

#include <chrono>
#include <memory>
#include <optional>

namespace scopesync::hal::gpiod {

class PwmChannel {
public:
    // The PWM channel a BCM pin can carry on a Raspberry Pi (12/18 → 0, 13/19 → 1); nullopt for others.
    static std::optional<int> channelForBcm(int bcm);

    // Opens (exporting if needed) `channel` of `/sys/class/pwm/<chip>` with `period`, duty 0, enabled.
    // The error says what to add to config.txt when the chip or channel is missing.
    static core::Result<std::unique_ptr<PwmChannel>> open(int bcm, int channel,
        std::chrono::nanoseconds period = std::chrono::microseconds(100),
        const QString &sysfsRoot = QStringLiteral("/sys/class/pwm"),
        const QString &chip = QStringLiteral("pwmchip0"));
    ~PwmChannel();

    PwmChannel(const PwmChannel &) = delete;
    PwmChannel &operator=(const PwmChannel &) = delete;

    // Drives the pin: duty = intensity when on, 0 when off. One write(), no allocation.
    core::Status set(bool on);
    void setIntensity(int perMille);
    // Drives the pin with an exact high time per period (a servo's pulse width, a heater's duty);
    // clamped to the period.
    core::Status setHighTime(std::chrono::nanoseconds high);
    [[nodiscard]] std::chrono::nanoseconds period() const { return std::chrono::nanoseconds(m_periodNs); }
    [[nodiscard]] bool isOn() const { return m_on; }
    [[nodiscard]] QString path() const { return m_dir; }

private:
    PwmChannel() = default;
    core::Status writeDuty(qint64 dutyNs);
    QString m_dir;
    int m_dutyFd = -1;
    qint64 m_periodNs = 0;
    int m_perMille = 1000;
    bool m_on = false;
};

}  // namespace scopesync::hal::gpiod
