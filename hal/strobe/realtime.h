// Real-time scheduling for the strobe thread: SCHED_FIFO and locked memory, where the system permits.
#pragma once

#include <QString>

namespace scopesync::hal::strobe {

struct RealtimeStatus {
    bool fifo = false;
    bool memoryLocked = false;
    QString note;  // what was refused and how to allow it
};

// Applies to the calling thread (SCHED_FIFO at `priority`) and the process (mlockall of current pages).
RealtimeStatus enterRealtime(int priority);

}  // namespace scopesync::hal::strobe
