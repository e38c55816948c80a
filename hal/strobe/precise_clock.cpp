// Absolute CLOCK_MONOTONIC deadline sleeps with a busy-wait tail, shared by every strobe path.
#include "hal/strobe/precise_clock.h"

#include <cerrno>
#include <ctime>

namespace scopesync::hal::strobe {

namespace {
timespec toTimespec(MonoTime t)
{
    timespec ts {};
    ts.tv_sec = static_cast<time_t>(core::toNs(t) / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(core::toNs(t) % 1'000'000'000);
    return ts;
}
}  // namespace

MonoTime sleepUntil(MonoTime deadline, std::chrono::nanoseconds busyTail)
{
    const MonoTime coarse = deadline - busyTail;
    if (coarse > monotonicNow()) {
        const timespec ts = toTimespec(coarse);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) { }
    }
    MonoTime now = monotonicNow();
    while (now < deadline)
        now = monotonicNow();
    return now;
}

}  // namespace scopesync::hal::strobe
