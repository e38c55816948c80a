// Absolute CLOCK_MONOTONIC deadline sleeps with a busy-wait tail, shared by every strobe path.
#pragma once

#include "core/common/clocks.h"

#include <chrono>

namespace scopesync::hal::strobe {

using core::MonoTime;
using core::monotonicNow;

// Sleeps until `deadline` with clock_nanosleep(TIMER_ABSTIME), waking `busyTail` early and spinning
// the rest, so the wake-up latency of the scheduler does not land on the LED edge. Returns the time
// at which it returned (≥ deadline).
MonoTime sleepUntil(MonoTime deadline, std::chrono::nanoseconds busyTail);

}  // namespace scopesync::hal::strobe
