// A filter wheel turned by a hobby servo: 50 Hz pulses, one pulse width per filter, a settle time after
// each change.
#pragma once

#include "core/instrument/devices.h"
#include "core/instrument/instrument_description.h"
#include "hal/instrument/duty_output.h"
#include "hal/strobe/line_interfaces.h"

#include <memory>
#include <mutex>

namespace scopesync::hal::instrument {

class ServoFilterWheel final : public core::instrument::FilterChanger {
public:
    static constexpr std::chrono::milliseconds kServoPeriod {20};  // 50 Hz, what hobby servos expect

    // `pulses` has a 20 ms period (hardware PWM, or a software PWM borrowing `lines`, which it then owns).
    ServoFilterWheel(core::instrument::FilterWheelDescription description, std::unique_ptr<DutyOutput> pulses,
        std::unique_ptr<strobe::OutputLines> lines = {});
    ~ServoFilterWheel() override;

    [[nodiscard]] QStringList positions() const override { return m_d.order; }
    // A servo knows its position from the pulse; nothing to find.
    core::Status home() override { return core::Ok {}; }
    core::Status moveTo(const QString &filter) override;
    // Any pulse width from 500 to 2500 µs.
    core::Status moveToRaw(int at) override;
    core::Status waitSettled(std::chrono::milliseconds timeout) override;
    [[nodiscard]] std::optional<QString> current() const override;
    [[nodiscard]] std::chrono::milliseconds moveTime(const QString &from, const QString &to) const override;
    // Stops the pulses (the servo goes limp where it is; the wheel's detent holds the filter).
    void release() override;

private:
    core::instrument::FilterWheelDescription m_d;
    std::unique_ptr<strobe::OutputLines> m_lines;
    std::unique_ptr<DutyOutput> m_pulses;  // after m_lines: a software PWM borrows them
    mutable std::mutex m_mutex;  // protects the three below
    QString m_target;  // the filter configured at the pulse width sent, or empty
    std::optional<int> m_pulseUs;  // the pulse width sent; none before the first move
    std::chrono::steady_clock::time_point m_settledAt {};
    bool m_pulsing = false;
};

}  // namespace scopesync::hal::instrument
