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

// realtime − monotonic, from the narrowest bracket of a few samples.
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

MonoNs monotonicNow()
{
    return read(CLOCK_MONOTONIC);
}

WallNs realtimeNow()
{
    return read(CLOCK_REALTIME);
}

WallNs sleepUntilRealtime(
    WallNs deadline, const std::atomic<bool> *cancel, std::chrono::nanoseconds pollEvery)
{
    while (true) {
        const WallNs now = realtimeNow();
        if (now >= deadline || (cancel && cancel->load()))
            return now;
        // Bounded steps so a cancel request is seen; each step is still an absolute realtime sleep.
        const WallNs step = std::min(deadline, now + pollEvery);
        const timespec ts = toTimespec(step);
        while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
            if (cancel && cancel->load())
                break;
        }
    }
}

MonoNs realtimeToMonotonic(WallNs t)
{
    return t - clockOffset();
}

WallNs monotonicToRealtime(MonoNs t)
{
    return t + clockOffset();
}

}  // namespace scopesync::core
