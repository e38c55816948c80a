// CLOCK_REALTIME helpers for fleet captures: absolute wall-clock sleeps and wall ↔ monotonic conversion.
#pragma once

#include "hal/strobe/precise_clock.h"

#include <atomic>
#include <chrono>

namespace scopesync::hal::clock {

using strobe::MonoNs;

// Nanoseconds since the Unix epoch on CLOCK_REALTIME: the clock chrony/PTP keep equal across Pis.
using RealNs = std::chrono::nanoseconds;

RealNs realtimeNow();

// Sleeps until `deadline` with clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME), so a clock step or
// slew while waiting is honoured (unlike a relative or monotonic sleep computed in advance). Returns
// early, with the time, if `*cancel` becomes true (checked at least every `pollEvery`).
RealNs sleepUntilRealtime(RealNs deadline, const std::atomic<bool> *cancel = nullptr,
    std::chrono::nanoseconds pollEvery = std::chrono::milliseconds(100));

// The CLOCK_MONOTONIC instant that corresponds to wall-clock time `t` right now: the offset between the
// two clocks is sampled with the realtime read bracketed by two monotonic reads (narrowest of a few
// tries), so it is good to well under a microsecond. Valid while the clocks are not stepped, which is
// why callers convert only shortly before the deadline.
MonoNs realtimeToMonotonic(RealNs t);
RealNs monotonicToRealtime(MonoNs t);

}  // namespace scopesync::hal::clock
