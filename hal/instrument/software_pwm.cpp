// PWM on an ordinary GPIO line from a thread.
#include "hal/instrument/software_pwm.h"

namespace scopesync::hal::instrument {

using Clock = std::chrono::steady_clock;

SoftwarePwm::SoftwarePwm(strobe::OutputLines &lines, int index, std::chrono::nanoseconds period)
    : m_lines(lines), m_index(index), m_period(period)
{
    (void)m_lines.set(m_index, false);
    m_thread = std::thread([this] { loop(); });
}

SoftwarePwm::~SoftwarePwm()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    (void)m_lines.set(m_index, false);
}

core::Status SoftwarePwm::setHighTime(std::chrono::nanoseconds high)
{
    {
        const std::lock_guard lock(m_mutex);
        if (!m_fault.isEmpty())
            return core::Error {m_fault, m_lines.name(m_index)};
        m_high = std::clamp(high, std::chrono::nanoseconds(0), m_period);
    }
    m_changed.notify_all();
    return core::Ok {};
}

void SoftwarePwm::off()
{
    {
        const std::lock_guard lock(m_mutex);
        m_high = std::chrono::nanoseconds(0);
        (void)m_lines.set(m_index, false);
    }
    m_changed.notify_all();
}

QString SoftwarePwm::fault() const
{
    const std::lock_guard lock(m_mutex);
    return m_fault;
}

void SoftwarePwm::loop()
{
    std::unique_lock lock(m_mutex);
    bool level = false;
    const auto drive = [&](bool high) {
        if (high == level)
            return true;
        const core::Status st = m_lines.set(m_index, high);
        if (!st.ok()) {
            m_fault = st.error().message;
            m_high = std::chrono::nanoseconds(0);
            (void)m_lines.set(m_index, false);
            level = false;
            return false;
        }
        level = high;
        return true;
    };
    Clock::time_point periodStart = Clock::now();
    while (!m_stopping) {
        if (m_high <= std::chrono::nanoseconds(0) || m_high >= m_period) {
            // Constant level: no toggling, sleep until told otherwise.
            drive(m_high >= m_period && m_high > std::chrono::nanoseconds(0));
            level = m_lines.isActive(m_index);
            m_changed.wait(lock);
            periodStart = Clock::now();
            continue;
        }
        // Absolute deadlines, so a late wake-up shortens the next phase instead of stretching the period.
        if (!drive(true))
            continue;
        const auto fallAt = periodStart + m_high;
        m_changed.wait_until(
            lock, fallAt, [&] { return m_stopping || m_high <= std::chrono::nanoseconds(0); });
        // off() or a zero high time may have driven the line low already; this keeps the level honest.
        level = m_lines.isActive(m_index);
        if (m_stopping)
            break;
        if (!drive(false))
            continue;
        periodStart += m_period;
        if (periodStart < Clock::now() - m_period)
            periodStart = Clock::now();  // far behind (suspended): restart rather than burst
        m_changed.wait_until(lock, periodStart, [&] { return m_stopping; });
    }
    drive(false);
}

}  // namespace scopesync::hal::instrument
