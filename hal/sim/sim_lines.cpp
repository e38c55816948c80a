// Simulated GPIO: LED outputs that log every edge for the virtual sensor, and the XVS / trigger wire.
#include "hal/sim/sim_lines.h"

#include "hal/strobe/precise_clock.h"

#include <algorithm>

namespace scopesync::hal::sim {

SimLedBank::SimLedBank(QStringList names)
    : m_names(std::move(names)),
      m_onSince(std::size_t(m_names.size()), MonoTime {}),
      m_intensity(std::size_t(m_names.size()), 1.0)
{
}

core::Status SimLedBank::set(int index, bool active)
{
    const MonoTime now = strobe::monotonicNow();
    const std::lock_guard lock(m_mutex);
    if (index < 0 || index >= count())
        return core::Error {QStringLiteral("no LED line %1").arg(index), QStringLiteral("sim")};
    if (m_failAfter == 0 && active)
        return core::Error {
            QStringLiteral("simulated GPIO fault on '%1'").arg(m_names[index]), QStringLiteral("sim")};
    if (m_failAfter > 0)
        --m_failAfter;
    auto &since = m_onSince[std::size_t(index)];
    if (active && since == MonoTime {}) {
        since = now;
    } else if (!active && since != MonoTime {}) {
        m_done.push_back({index, since, now, m_intensity[std::size_t(index)]});
        since = MonoTime {};
    }
    return core::Ok {};
}

bool SimLedBank::isActive(int index) const
{
    const std::lock_guard lock(m_mutex);
    return index >= 0 && index < count() && m_onSince[std::size_t(index)] != MonoTime {};
}

bool SimLedBank::setIntensity(int index, int perMille)
{
    const std::lock_guard lock(m_mutex);
    if (index < 0 || index >= count())
        return false;
    m_intensity[std::size_t(index)] = std::clamp(perMille, 0, 1000) / 1000.0;
    return true;  // the simulated LEDs dim like hardware PWM
}

std::vector<LightInterval> SimLedBank::lightBetween(MonoTime from, MonoTime to) const
{
    const std::lock_guard lock(m_mutex);
    std::vector<LightInterval> out;
    for (const auto &iv : m_done)
        if (iv.off > from && iv.on < to)
            out.push_back(iv);
    for (std::size_t i = 0; i < m_onSince.size(); ++i)
        if (m_onSince[i] != MonoTime {} && m_onSince[i] < to)
            out.push_back({int(i), m_onSince[i], to, m_intensity[i]});
    return out;
}

void SimLedBank::prune(MonoTime before)
{
    const std::lock_guard lock(m_mutex);
    std::erase_if(m_done, [&](const LightInterval &iv) { return iv.off < before; });
}

void SimLedBank::failAfter(int okWrites)
{
    const std::lock_guard lock(m_mutex);
    m_failAfter = okWrites;
}

core::Result<std::optional<MonoTime>> SimXvsInput::waitEdge(std::chrono::nanoseconds timeout)
{
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, timeout, [this] { return !m_edges.empty() || m_woken; });
    m_woken = false;
    if (m_edges.empty())
        return std::optional<MonoTime> {};
    const MonoTime t = m_edges.front();
    m_edges.pop_front();
    return std::optional<MonoTime> {t};
}

void SimXvsInput::wake()
{
    {
        const std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_cv.notify_all();
}

void SimXvsInput::push(MonoTime timestamp)
{
    {
        const std::lock_guard lock(m_mutex);
        // The kernel buffers 16 edge events per line by default; beyond that edges are lost, as on
        // hardware when the reader stalls.
        if (m_edges.size() >= 16)
            m_edges.pop_front();
        m_edges.push_back(timestamp);
    }
    m_cv.notify_one();
}

core::Status SimTriggerOutput::set(int, bool active)
{
    const MonoTime now = strobe::monotonicNow();
    if (m_active.exchange(active) != active && m_listener)
        m_listener(active, now);
    return core::Ok {};
}

}  // namespace scopesync::hal::sim
