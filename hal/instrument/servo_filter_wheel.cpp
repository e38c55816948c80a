// A filter wheel turned by a hobby servo.
#include "hal/instrument/servo_filter_wheel.h"

#include <thread>

namespace scopesync::hal::instrument {

using Clock = std::chrono::steady_clock;

ServoFilterWheel::ServoFilterWheel(core::instrument::FilterWheelDescription description,
    std::unique_ptr<DutyOutput> pulses, std::unique_ptr<strobe::OutputLines> lines)
    : m_d(std::move(description)), m_lines(std::move(lines)), m_pulses(std::move(pulses))
{
}

ServoFilterWheel::~ServoFilterWheel()
{
    m_pulses->off();
}

core::Status ServoFilterWheel::moveTo(const QString &filter)
{
    if (!m_d.positions.contains(filter))
        return core::Error {QStringLiteral("the filter wheel has no filter '%1'; it holds %2")
                                .arg(filter, m_d.order.join(QStringLiteral(", "))),
            QStringLiteral("filter wheel")};
    return moveToRaw(m_d.positions.value(filter));
}

core::Status ServoFilterWheel::moveToRaw(int at)
{
    if (at < 500 || at > 2500)
        return core::Error {
            QStringLiteral("a servo pulse of %1 µs is outside 500–2500 µs; choose a width in that range")
                .arg(at),
            QStringLiteral("filter wheel")};
    const std::lock_guard lock(m_mutex);
    if (m_pulsing && m_pulseUs == at)
        return core::Ok {};
    auto st = m_pulses->setHighTime(std::chrono::microseconds(at));
    if (!st.ok())
        return st;
    m_pulseUs = at;
    m_target.clear();
    for (const QString &name : m_d.order)
        if (m_d.positions.value(name, -1) == at)
            m_target = name;
    m_pulsing = true;
    m_settledAt = Clock::now() + m_d.servoSettle;
    return core::Ok {};
}

core::Status ServoFilterWheel::waitSettled(std::chrono::milliseconds timeout)
{
    Clock::time_point settledAt;
    {
        const std::lock_guard lock(m_mutex);
        if (!m_pulseUs)
            return core::Error {QStringLiteral("the servo filter wheel has not been sent to a filter yet"),
                QStringLiteral("filter wheel")};
        settledAt = m_settledAt;
    }
    const auto now = Clock::now();
    if (settledAt > now + timeout) {
        std::this_thread::sleep_for(timeout);
        return core::Error {
            QStringLiteral("the servo filter wheel needs %1 ms more to settle than the %2 ms "
                           "allowed")
                .arg(std::chrono::ceil<std::chrono::milliseconds>(settledAt - now - timeout).count())
                .arg(timeout.count()),
            QStringLiteral("filter wheel")};
    }
    std::this_thread::sleep_until(settledAt);
    return core::Ok {};
}

std::optional<QString> ServoFilterWheel::current() const
{
    const std::lock_guard lock(m_mutex);
    if (m_target.isEmpty() || Clock::now() < m_settledAt)
        return std::nullopt;
    return m_target;
}

std::chrono::milliseconds ServoFilterWheel::moveTime(const QString &from, const QString &to) const
{
    return from == to ? std::chrono::milliseconds(0) : m_d.servoSettle;
}

void ServoFilterWheel::release()
{
    const std::lock_guard lock(m_mutex);
    m_pulses->off();
    m_pulsing = false;
}

}  // namespace scopesync::hal::instrument
