// PredictedFrameStarts: the trigger input of a rig with no trigger wire, predicted from frame timestamps.
#include "hal/strobe/predicted_frame_starts.h"

#include "hal/strobe/precise_clock.h"

#include <cmath>
#include <utility>

namespace scopesync::hal::strobe {

namespace {
std::chrono::steady_clock::time_point asSteady(MonoTime t)
{
    // libstdc++'s steady_clock is CLOCK_MONOTONIC, the clock of the timestamps.
    return std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(t.time_since_epoch()));
}
}  // namespace

PredictedFrameStarts::PredictedFrameStarts(
    std::chrono::nanoseconds nominalPeriod, std::chrono::nanoseconds lead, double maxRateError)
    : m_period(nominalPeriod), m_lead(lead), m_maxRateError(maxRateError)
{
}

void PredictedFrameStarts::observe(MonoTime exposureStart)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_observed > 0 && exposureStart > m_anchor) {
            // Refine the period from whole-frame intervals (a skipped frame spans two); a stray value
            // further off than m_maxRateError is a mode change or a glitch, not drift, and is not averaged
            // in.
            const double frames
                = std::round(double((exposureStart - m_anchor).count()) / double(m_period.count()));
            if (frames >= 1 && frames <= 8) {
                const double measured = double((exposureStart - m_anchor).count()) / frames;
                if (std::abs(measured - double(m_period.count())) < m_maxRateError * double(m_period.count()))
                    m_period = std::chrono::nanoseconds(
                        std::llround(0.9 * double(m_period.count()) + 0.1 * measured));
            }
        }
        if (exposureStart > m_anchor)
            m_anchor = exposureStart;
        ++m_observed;
    }
    m_changed.notify_all();
}

core::Result<std::optional<MonoTime>> PredictedFrameStarts::waitEdge(std::chrono::nanoseconds timeout)
{
    const MonoTime giveUp = monotonicNow() + timeout;
    std::unique_lock lock(m_mutex);
    while (true) {
        if (std::exchange(m_woken, false))
            return std::optional<MonoTime>();
        const MonoTime now = monotonicNow();
        if (m_observed > 0) {
            // The first start after both the last one handed out and now, on the anchor's grid.
            const MonoTime after = std::max(now, m_lastReturned + m_period / 2);
            const auto periods = (after - m_anchor + m_period - std::chrono::nanoseconds(1)) / m_period;
            const MonoTime next = m_anchor + std::max<qint64>(periods, 0) * m_period;
            const MonoTime tellAt = next - m_lead;
            if (now >= tellAt) {
                m_lastReturned = next;
                return std::optional<MonoTime>(next);
            }
            if (tellAt > giveUp) {
                m_changed.wait_until(lock, asSteady(giveUp));
                return std::optional<MonoTime>();
            }
            // A new observation may move the grid: wake on it too.
            m_changed.wait_until(lock, asSteady(tellAt));
            continue;
        }
        if (now >= giveUp)
            return std::optional<MonoTime>();
        m_changed.wait_until(lock, asSteady(giveUp));
        if (m_observed == 0)
            return std::optional<MonoTime>();
    }
}

void PredictedFrameStarts::wake()
{
    {
        const std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_changed.notify_all();
}

std::chrono::nanoseconds PredictedFrameStarts::period() const
{
    const std::lock_guard lock(m_mutex);
    return m_period;
}

qint64 PredictedFrameStarts::observed() const
{
    const std::lock_guard lock(m_mutex);
    return m_observed;
}

}  // namespace scopesync::hal::strobe
