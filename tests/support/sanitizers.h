// What a test must know of the sanitizer it is built with (the asan and tsan presets).
#pragma once

#include "core/common/sanitizer_build.h"

#include <QTest>

// Under ThreadSanitizer (clang 14, and 16 alike) a process that starts another through QProcess aborts in
// TSan's own fork handling ("CHECK failed: tsan_rtl.cpp … !thr->slot"), so a test that starts processes is
// skipped there, with this reason in its log; it runs in the main build and under ASan+UBSan.
#ifdef SCOPESYNC_UNDER_TSAN
#define SCOPESYNC_SKIP_UNDER_TSAN_WHEN_STARTING_PROCESSES()                                                  \
    QSKIP("built with ThreadSanitizer, which aborts when QProcess starts a process: this case runs in the "  \
          "main and ASan+UBSan builds")
#else
#define SCOPESYNC_SKIP_UNDER_TSAN_WHEN_STARTING_PROCESSES() static_cast<void>(0)
#endif

// ThreadSanitizer slows every thread 5–15×: the simulated camera then drops frames and the strobe misses its
// 0.1 ms tolerance, and the product rightly stops the run or refuses the calibration. Suites built on the
// simulated rig's real-time behaviour (protocol runs, instrument runs, calibration) skip there, with this
// reason; the same threads still run under TSan in test_whole_instrument, test_sim_focus_sweep, test_api and
// the unit suites, and these suites' timing is checked by the main build and ASan.
#ifdef SCOPESYNC_UNDER_TSAN
#define SCOPESYNC_SKIP_UNDER_TSAN_WHEN_REAL_TIME()                                                           \
    QSKIP("built with ThreadSanitizer, whose slowdown breaks the simulated rig's real-time timing: this "    \
          "case's timing is checked in the main and ASan+UBSan builds")
#else
#define SCOPESYNC_SKIP_UNDER_TSAN_WHEN_REAL_TIME() static_cast<void>(0)
#endif
