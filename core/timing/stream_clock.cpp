#include "core/timing/stream_clock.h"

#include <algorithm>

namespace scopesync::core::timing {

StreamClock::Stamp StreamClock::stamp(std::optional<qint64> deviceNs, MonoTime arrival)
{
    Stamp s;
    s.time = arrival;
    if (deviceNs) {
        if (m_lastDeviceNs && *deviceNs < *m_lastDeviceNs) {
            ++m_clockJumps;
            m_offsetNs.reset();
            m_frames = 0;
        }
        if (m_lastDeviceNs && *deviceNs == *m_lastDeviceNs) {
            s.repeat = true;
            ++m_repeats;
        }
        m_lastDeviceNs = deviceNs;
        const qint64 candidate = toNs(arrival) - *deviceNs;
        m_offsetNs = m_offsetNs ? std::min(*m_offsetNs, candidate) : candidate;
        ++m_frames;
        s.time = monoFromNs(*deviceNs + *m_offsetNs);
        s.fromDevice = true;
    }
    if (m_last && s.time <= *m_last) {
        const MonoTime after = *m_last + std::chrono::nanoseconds(1);
        s.heldBackNs = toNs(after) - toNs(s.time);
        s.time = after;
        ++m_heldBack;
    }
    m_last = s.time;
    return s;
}

void StreamClock::restart()
{
    m_offsetNs.reset();
    m_lastDeviceNs.reset();
    m_frames = 0;
}

}  // namespace scopesync::core::timing
