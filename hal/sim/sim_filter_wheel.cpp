// SimFilterWheel: the simulated filter wheel, with moves that take their time and a history for the sensor.
#include "hal/sim/sim_filter_wheel.h"

#include "hal/sim/emission_filter.h"

#include <cstdlib>
#include <thread>

namespace scopesync::hal::sim {

using namespace std::chrono_literals;
using core::instrument::kSimWheelPitch;

SimFilterWheel::SimFilterWheel(core::instrument::FilterWheelDescription description)
    : m_description(std::move(description))
{
    // A filter without a configured position sits at its slot's nominal one.
    for (int slot = 0; slot < m_description.order.size(); ++slot)
        if (!m_description.positions.contains(m_description.order.at(slot)))
            m_description.positions.insert(
                m_description.order.at(slot), core::instrument::kSimWheelFirst + slot * kSimWheelPitch);
    // Like a servo wheel, the simulated one knows its position at power-up: the first filter's.
    m_history.push_back({core::MonoTime {}, m_description.positions.value(m_description.order.value(0))});
}

std::optional<int> SimFilterWheel::rawAtLocked(core::MonoTime t) const
{
    std::optional<int> raw;
    for (const auto &s : m_history) {
        if (s.from > t)
            break;
        raw = s.raw;
    }
    return raw;
}

std::optional<SimFilterWheel::Optics> SimFilterWheel::opticsAt(core::MonoTime t) const
{
    std::optional<int> raw;
    {
        const std::lock_guard lock(m_mutex);
        raw = rawAtLocked(t);
    }
    if (!raw)
        return std::nullopt;
    // The slot whose filter really sits nearest the beam.
    std::optional<Optics> best;
    int bestOff = 0;
    for (int slot = 0; slot < m_description.order.size(); ++slot) {
        const QString &name = m_description.order.at(slot);
        const int off = *raw - simFilterCentre(name, slot);
        if (!best || std::abs(off) < std::abs(bestOff)) {
            best = Optics {name, simFilterPass(off)};
            bestOff = off;
        }
    }
    if (!best || best->pass <= 0.0)
        return std::nullopt;
    return best;
}

std::optional<QString> SimFilterWheel::filterAt(core::MonoTime t) const
{
    const auto o = opticsAt(t);
    return o ? std::optional<QString>(o->filter) : std::nullopt;
}

std::optional<QString> SimFilterWheel::current() const
{
    std::optional<int> raw;
    {
        const std::lock_guard lock(m_mutex);
        raw = rawAtLocked(core::monotonicNow());
    }
    if (!raw)
        return std::nullopt;
    for (const QString &name : m_description.order)
        if (m_description.positions.value(name, -1) == *raw)
            return name;
    return std::nullopt;
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
            m_description.positions.value(m_description.order.value(0))});
    return core::Ok {};
}

core::Status SimFilterWheel::moveTo(const QString &filter)
{
    if (!m_description.order.contains(filter))
        return core::Error {QStringLiteral("the filter wheel has no filter '%1'; it has %2")
                                .arg(filter, m_description.order.join(QStringLiteral(", "))),
            QStringLiteral("filter wheel")};
    const std::lock_guard lock(m_mutex);
    return moveLocked(m_description.positions.value(filter));
}

core::Status SimFilterWheel::moveToRaw(int at)
{
    if (at < 500 || at > 2500)
        return core::Error {
            QStringLiteral("position %1 is outside the simulated wheel's 500–2500; choose one in that range")
                .arg(at),
            QStringLiteral("filter wheel")};
    const std::lock_guard lock(m_mutex);
    return moveLocked(at);
}

core::Status SimFilterWheel::moveLocked(int at)
{
    const auto now = core::monotonicNow();
    // A move starts where the wheel is (or is heading): from the last segment's position.
    const std::optional<int> from = m_history.back().raw;
    if (from == at && m_history.back().from <= now)
        return core::Ok {};
    const auto start = std::max(now, m_history.back().from);
    // The move's time in proportion to the distance (one pitch: one simMoveTime), at least a few ms.
    const int distance = from ? std::abs(at - *from) : kSimWheelPitch;
    const auto travel = std::max<std::chrono::microseconds>(
        3ms, std::chrono::microseconds(m_description.simMoveTime) * distance / kSimWheelPitch);
    m_history.push_back({now, std::nullopt});
    m_history.push_back({start + travel, at});
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
        if (!m_history.back().raw)
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
