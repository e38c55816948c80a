// SimFocus: the simulated focus stepper; a move takes its step time per step.
#include "hal/sim/sim_focus.h"

#include <thread>

namespace scopesync::hal::sim {

std::chrono::milliseconds SimFocus::moveTime(int fromSteps, int toSteps) const
{
    return std::chrono::ceil<std::chrono::milliseconds>(
        m_description.stepper.stepTime * std::abs(toSteps - fromSteps));
}

core::Status SimFocus::home()
{
    const std::lock_guard lock(m_mutex);
    m_target = 0;
    m_arrival = core::monotonicNow();
    return core::Ok {};
}

core::Status SimFocus::moveTo(int steps)
{
    if (steps < m_description.minSteps || steps > m_description.maxSteps)
        return core::Error {QStringLiteral("focus position %1 is outside the drive's range %2 to %3 steps")
                                .arg(steps)
                                .arg(m_description.minSteps)
                                .arg(m_description.maxSteps),
            QStringLiteral("focus")};
    const std::lock_guard lock(m_mutex);
    if (!m_target)
        return core::Error {QStringLiteral("the focus is not homed; home it first"), QStringLiteral("focus")};
    const auto now = core::monotonicNow();
    m_arrival = std::max(now, m_arrival) + moveTime(*m_target, steps);
    m_target = steps;
    return core::Ok {};
}

core::Status SimFocus::waitSettled(std::chrono::milliseconds timeout)
{
    core::MonoTime arrival;
    {
        const std::lock_guard lock(m_mutex);
        arrival = m_arrival;
    }
    const auto now = core::monotonicNow();
    if (arrival - now > timeout)
        return core::Error {QStringLiteral("the focus did not settle within %1 ms").arg(timeout.count()),
            QStringLiteral("focus")};
    if (arrival > now)
        std::this_thread::sleep_for(arrival - now);
    return core::Ok {};
}

int SimFocus::targetSteps() const
{
    const std::lock_guard lock(m_mutex);
    return m_target.value_or(0);
}

std::optional<int> SimFocus::position() const
{
    const std::lock_guard lock(m_mutex);
    if (!m_target || core::monotonicNow() < m_arrival)
        return std::nullopt;
    return m_target;
}

}  // namespace scopesync::hal::sim
