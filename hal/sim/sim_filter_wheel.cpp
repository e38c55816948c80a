// SimFilterWheel: the simulated filter wheel, with moves that take their time and a history for the sensor.
#include "hal/sim/sim_filter_wheel.h"

#include <thread>

namespace scopesync::hal::sim {

using namespace std::chrono_literals;

SimFilterWheel::SimFilterWheel(core::instrument::FilterWheelDescription description)
    : m_description(std::move(description))
{
    // Like a servo wheel, the simulated one knows its position at power-up: the first filter.
    m_history.push_back({core::MonoTime {}, m_description.order.value(0)});
}

std::optional<QString> SimFilterWheel::filterAtLocked(core::MonoTime t) const
{
    std::optional<QString> f;
    for (const auto &s : m_history) {
        if (s.from > t)
            break;
        f = s.filter;
    }
    return f;
}

std::optional<QString> SimFilterWheel::filterAt(core::MonoTime t) const
{
    const std::lock_guard lock(m_mutex);
    return filterAtLocked(t);
}

std::optional<QString> SimFilterWheel::current() const
{
    return filterAt(core::monotonicNow());
}

std::chrono::milliseconds SimFilterWheel::moveTime(const QString &from, const QString &to) const
{
    const auto a = m_description.order.indexOf(from);
    const auto b = m_description.order.indexOf(to);
    if (a < 0 || b < 0)
        return m_description.simMoveTime * std::max<qsizetype>(1, m_description.order.size() - 1);
    return m_description.simMoveTime * std::abs(b - a);
}

core::Status SimFilterWheel::home()
{
    const std::lock_guard lock(m_mutex);
    const auto now = core::monotonicNow();
    m_history.push_back({now, std::nullopt});
    // Homing turns the wheel once round at most.
    m_history.push_back(
        {now + m_description.simMoveTime * std::max<qsizetype>(1, m_description.order.size() - 1),
            m_description.order.value(0)});
    return core::Ok {};
}

core::Status SimFilterWheel::moveTo(const QString &filter)
{
    if (!m_description.order.contains(filter))
        return core::Error {QStringLiteral("the filter wheel has no filter '%1'; it has %2")
                                .arg(filter, m_description.order.join(QStringLiteral(", "))),
            QStringLiteral("filter wheel")};
    const std::lock_guard lock(m_mutex);
    const auto now = core::monotonicNow();
    // A move starts where the wheel is (or is heading): from the last segment's filter.
    const std::optional<QString> from = m_history.back().filter;
    if (from == filter && m_history.back().from <= now)
        return core::Ok {};
    const auto start = std::max(now, m_history.back().from);
    m_history.push_back({now, std::nullopt});
    m_history.push_back({start + moveTime(from.value_or(QString()), filter), filter});
    ++m_moves;
    while (m_history.size() > 64)
        m_history.pop_front();
    return core::Ok {};
}

core::Status SimFilterWheel::waitSettled(std::chrono::milliseconds timeout)
{
    core::MonoTime arrival;
    {
        const std::lock_guard lock(m_mutex);
        arrival = m_history.back().from;
        if (!m_history.back().filter)
            return core::Error {QStringLiteral("the filter wheel is not homed; home it first"),
                QStringLiteral("filter wheel")};
    }
    const auto now = core::monotonicNow();
    if (arrival - now > timeout)
        return core::Error {
            QStringLiteral("the filter wheel did not settle within %1 ms").arg(timeout.count()),
            QStringLiteral("filter wheel")};
    if (arrival > now)
        std::this_thread::sleep_for(arrival - now);
    return core::Ok {};
}

int SimFilterWheel::moves() const
{
    const std::lock_guard lock(m_mutex);
    return m_moves;
}

}  // namespace scopesync::hal::sim
