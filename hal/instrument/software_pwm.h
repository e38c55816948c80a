// PWM on an ordinary GPIO line from a thread: slow periods (a heater's 1 s) and servo pulses where the
// pin has no hardware PWM.
#pragma once

#include "hal/instrument/duty_output.h"
#include "hal/strobe/line_interfaces.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace scopesync::hal::instrument {

class SoftwarePwm final : public DutyOutput {
public:
    // Borrows line `index` of `lines`, drives it low and starts the thread (idle until a high time).
    SoftwarePwm(strobe::OutputLines &lines, int index, std::chrono::nanoseconds period);
    ~SoftwarePwm() override;
    SoftwarePwm(const SoftwarePwm &) = delete;
    SoftwarePwm &operator=(const SoftwarePwm &) = delete;

    core::Status setHighTime(std::chrono::nanoseconds high) override;
    [[nodiscard]] std::chrono::nanoseconds period() const override { return m_period; }
    void off() override;
    // The first write error of the thread, empty when none (a line that cannot be driven stops the PWM
    // low, best effort, and says so here).
    [[nodiscard]] QString fault() const;

private:
    void loop();

    strobe::OutputLines &m_lines;
    int m_index;
    std::chrono::nanoseconds m_period;
    // Protects m_high, m_stopping and m_fault, and serialises line writes between the thread and
    // off(), so that off() cannot be followed by a late "high" from the thread.
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::chrono::nanoseconds m_high {0};
    bool m_stopping = false;
    QString m_fault;
    std::thread m_thread;
};

}  // namespace scopesync::hal::instrument
