// CLOCK_MONOTONIC and CLOCK_REALTIME: reads, absolute realtime sleeps and conversions.
#include "core/common/clocks.h"

#include <algorithm>
#include <cerrno>
#include <ctime>

namespace scopesync::core {

namespace {
std::chrono::nanoseconds read(clockid_t id)
{
    timespec ts {};
    clock_gettime(id, &ts);
    return std::chrono::nanoseconds(static_cast<long long>(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec);
}

timespec toTimespec(std::chrono::nanoseconds t)
{
    timespec ts {};
    ts.tv_sec = static_cast<time_t>(t.count() / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(t.count() % 1'000'000'000);
    return ts;
}

// realtime − monotonic (both since their epochs), from the narrowest bracket of a few samples.
std::chrono::nanoseconds clockOffset()
{
    std::chrono::nanoseconds best {0};
    std::chrono::nanoseconds bestWidth = std::chrono::nanoseconds::max();
    for (int i = 0; i < 5; ++i) {
        const auto m0 = read(CLOCK_MONOTONIC);
        const auto r = read(CLOCK_REALTIME);
        const auto m1 = read(CLOCK_MONOTONIC);
        if (m1 - m0 < bestWidth) {
            bestWidth = m1 - m0;
            best = r - (m0 + (m1 - m0) / 2);
        }
    }
    return best;
}
}  // namespace

MonotonicClock::time_point MonotonicClock::now() noexcept
{
    return time_point(read(CLOCK_MONOTONIC));
}

RealtimeClock::time_point RealtimeClock::now() noexcept
{
    return time_point(read(CLOCK_REALTIME));
}

WallTime sleepUntilRealtime(
    WallTime deadline, const std::atomic<bool> *cancel, std::chrono::nanoseconds pollEvery)
{
    while (true) {
        const WallTime now = realtimeNow();
        if (now >= deadline || (cancel && cancel->load()))
            return now;
        // Bounded steps so a cancel request is seen; each step is still an absolute realtime sleep.
        const WallTime step = std::min(deadline, now + pollEvery);
        const timespec ts = toTimespec(step.time_since_epoch());
        while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
            if (cancel && cancel->load())
                break;
        }
    }
}

MonoTime realtimeToMonotonic(WallTime t)
{
    return MonoTime(t.time_since_epoch() - clockOffset());
}

WallTime monotonicToRealtime(MonoTime t)
{
    return WallTime(t.time_since_epoch() + clockOffset());
}

}  // namespace scopesync::core
