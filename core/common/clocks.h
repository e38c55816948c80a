// The two clocks ScopeSync times things with — CLOCK_MONOTONIC and CLOCK_REALTIME — as distinct
// std::chrono clocks, so that a monotonic time mixed with a wall-clock time does not compile, and the
// conversions between them, in one place.
#pragma once

#include <QtGlobal>

#include <atomic>
#include <chrono>

namespace scopesync::core {

// CLOCK_MONOTONIC: the clock of the kernel's GPIO edge timestamps, libcamera's SensorTimestamp and every
// deadline the strobe thread keeps.
struct MonotonicClock {
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<MonotonicClock>;
    static constexpr bool is_steady = true;
    static time_point now() noexcept;
};

// CLOCK_REALTIME, nanoseconds since the Unix epoch: the clock chrony/PTP keep equal across machines, the
// clock of a fleet's T.
struct RealtimeClock {
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<RealtimeClock>;
    static constexpr bool is_steady = false;
    static time_point now() noexcept;
};

using MonoTime = MonotonicClock::time_point;
using WallTime = RealtimeClock::time_point;

// Nanoseconds since the clock's epoch, for files, the wire and the kernel's timestamps.
template <typename Clock> constexpr qint64 toNs(std::chrono::time_point<Clock, std::chrono::nanoseconds> t)
{
    return t.time_since_epoch().count();
}
constexpr MonoTime monoFromNs(qint64 ns)
{
    return MonoTime(std::chrono::nanoseconds(ns));
}
constexpr WallTime wallFromNs(qint64 ns)
{
    return WallTime(std::chrono::nanoseconds(ns));
}

inline MonoTime monotonicNow()
{
    return MonotonicClock::now();
}
inline WallTime realtimeNow()
{
    return RealtimeClock::now();
}

// Sleeps until `deadline` with clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME), so a clock step or slew
// while waiting is honoured (unlike a relative or monotonic sleep computed in advance). Returns early,
// with the time, if `*cancel` becomes true (checked at least every `pollEvery`).
WallTime sleepUntilRealtime(WallTime deadline, const std::atomic<bool> *cancel = nullptr,
    std::chrono::nanoseconds pollEvery = std::chrono::milliseconds(100));

// The CLOCK_MONOTONIC instant that corresponds to wall-clock time `t` right now: the offset between the
// two clocks is sampled with the realtime read bracketed by two monotonic reads (narrowest of a few
// tries), so it is good to well under a microsecond. Valid while the clocks are not stepped, which is
// why callers convert only shortly before a deadline.
MonoTime realtimeToMonotonic(WallTime t);
WallTime monotonicToRealtime(MonoTime t);

}  // namespace scopesync::core
