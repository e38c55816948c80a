// Absolute CLOCK_MONOTONIC deadline sleeps with a busy-wait tail, shared by every strobe path.
#include "hal/strobe/precise_clock.h"

#include <cerrno>
#include <ctime>

namespace scopesync::hal::strobe {

namespace {
timespec toTimespec(MonoNs t)
{
    timespec ts {};
    ts.tv_sec = static_cast<time_t>(t.count() / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(t.count() % 1'000'000'000);
    return ts;
}
}  // namespace

MonoNs sleepUntil(MonoNs deadline, std::chrono::nanoseconds busyTail)
{
    const MonoNs coarse = deadline - busyTail;
    if (coarse > monotonicNow()) {
        const timespec ts = toTimespec(coarse);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) { }
    }
    MonoNs now = monotonicNow();
    while (now < deadline)
        now = monotonicNow();
    return now;
}

}  // namespace scopesync::hal::strobe
