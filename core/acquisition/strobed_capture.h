// StrobedCapture: takes one frame lit by given LED pulses, matched to its strobe event by timestamp.
#pragma once

#include "core/acquisition/rig.h"

#include <atomic>

namespace scopesync::core::acquisition {

struct Shot {
    CapturedFrame frame;
    std::optional<StrobeEvent> event;  // none for frames taken under continuous light
};

// Used by protocol runs, calibration and manual captures alike. The rig's strobe and camera must be
// started. Not thread-safe: one caller at a time.
class StrobedCapture {
public:
    explicit StrobedCapture(Rig &rig, const std::atomic<int> *stopFlag = nullptr)
        : m_rig(rig), m_stopFlag(stopFlag)
    {
    }

    // Arms the pulses (delays relative to the trigger edge) for the next frame start, waits for their
    // strobe event, and returns the frame whose row 0 started nearest that trigger.
    Result<Shot> strobed(const std::vector<LedPulse> &pulses);
    // The first frame whose exposure starts after this call (continuous light, or a dark frame).
    Result<Shot> next();

    // A non-zero value (a signal number, or any code) makes every wait return an error.
    void setStopFlag(const std::atomic<int> *flag) { m_stopFlag = flag; }
    // "terminated (SIGTERM)" etc. when the stop flag is set, else empty.
    [[nodiscard]] QString stopRequested() const;

private:
    Rig &m_rig;
    const std::atomic<int> *m_stopFlag;
    quint64 m_nextJobId = 1;
};

// CLOCK_MONOTONIC now, in the units of frame and edge timestamps.
MonoNs monotonicNow();

}  // namespace scopesync::core::acquisition
