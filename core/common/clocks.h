// The two clocks ScopeSync times things with — CLOCK_MONOTONIC and CLOCK_REALTIME — and the conversions
// between them, in one place.
#pragma once

#include <atomic>
#include <chrono>

namespace scopesync::core {

// Nanoseconds on CLOCK_MONOTONIC: the clock of the kernel's GPIO edge timestamps, libcamera's
// SensorTimestamp and every deadline the strobe thread keeps.
using MonoNs = std::chrono::nanoseconds;
// Nanoseconds since the Unix epoch on CLOCK_REALTIME: the clock chrony/PTP keep equal across machines,
// the clock of a fleet's T.
using WallNs = std::chrono::nanoseconds;

MonoNs monotonicNow();
WallNs realtimeNow();

// Sleeps until `deadline` with clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME), so a clock step or slew
// while waiting is honoured (unlike a relative or monotonic sleep computed in advance). Returns early,
// with the time, if `*cancel` becomes true (checked at least every `pollEvery`).
WallNs sleepUntilRealtime(WallNs deadline, const std::atomic<bool> *cancel = nullptr,
    std::chrono::nanoseconds pollEvery = std::chrono::milliseconds(100));

// The CLOCK_MONOTONIC instant that corresponds to wall-clock time `t` right now: the offset between the
// two clocks is sampled with the realtime read bracketed by two monotonic reads (narrowest of a few
// tries), so it is good to well under a microsecond. Valid while the clocks are not stepped, which is
// why callers convert only shortly before a deadline.
MonoNs realtimeToMonotonic(WallNs t);
WallNs monotonicToRealtime(MonoNs t);

}  // namespace scopesync::core
