// StrobedCapture: takes one frame lit by given LED pulses, matched to its strobe event by timestamp.
#pragma once

#include "core/acquisition/rig.h"

#include <atomic>
#include <vector>

namespace scopesync::core::acquisition {

// Light of an earlier job's flash that was still on, or came on, after this frame's row 0 began to
// expose: a late off edge of the image before reaches into this one. Counted from the earliest the light
// can have come on (before its write) to the latest it can have gone off (after its write).
struct StrayLight {
    QString led;
    MonoTime from {};
    MonoTime to {};
};

struct Shot {
    CapturedFrame frame;
    std::optional<StrobeEvent> event;  // none for frames taken under continuous light
    std::vector<StrayLight> strayLight;  // measured; empty when no other job's light reached this frame
};

// A job handed to the strobe controller, not yet collected.
struct ArmedCapture {
    quint64 jobId = 0;
    std::optional<MonoTime> at;  // the frame's time, when one was asked for
    bool nearestFrame = false;  // a free-running camera: the frame that starts nearest `at`
    std::chrono::microseconds lastLight {0};  // the end of the latest pulse, from the trigger edge
};

// Used by protocol runs, calibration, manual captures and fleet captures alike. The rig's strobe and
// camera must be started. Not thread-safe: one caller at a time.
class StrobedCapture {
public:
    explicit StrobedCapture(Rig &rig, const std::atomic<int> *stopFlag = nullptr)
        : m_rig(rig), m_stopFlag(stopFlag)
    {
    }

    // Arms the pulses (delays relative to the trigger edge) for the next frame start, waits for their
    // strobe event, and returns the frame whose row 0 started nearest that trigger.
    Result<Shot> strobed(const std::vector<LedPulse> &pulses) { return collect(arm(pulses)); }
    // The first frame whose exposure starts after this call (continuous light, or a dark frame).
    Result<Shot> next();

    // The two halves of strobed(), for callers that must do something between them. arm() gives the
    // pulses to the next frame start.
    ArmedCapture arm(const std::vector<LedPulse> &pulses);
    // The frame at `when` (CLOCK_MONOTONIC): with `nearestFrame` false the controller drives the camera's
    // trigger at `when` (xvs-source, external); with true the camera runs free on a shared timing and
    // the job takes the frame that starts nearest `when`. Hand it over at least the controller's
    // requestLead() (plus half a frame period for the nearest frame) before `when`.
    ArmedCapture armAt(const std::vector<LedPulse> &pulses, MonoTime when, bool nearestFrame);
    // Waits for the armed job's strobe event and its frame. A job that never ran is taken back.
    Result<Shot> collect(const ArmedCapture &armed);

    // True when the last collect() failed because the camera dropped the lit frame (its queue was full):
    // the light was given, the frame is gone, and a following frame can take the image again.
    [[nodiscard]] bool lastFrameDropped() const { return m_lastFrameDropped; }

    // A non-zero value (a signal number, or any code) makes every wait return an error.
    void setStopFlag(const std::atomic<int> *flag) { m_stopFlag = flag; }
    // "terminated (SIGTERM)" etc. when the stop flag is set, else empty.
    [[nodiscard]] QString stopRequested() const;

private:
    Rig &m_rig;
    const std::atomic<int> *m_stopFlag;
    quint64 m_nextJobId = 1;
    std::vector<DrivenEdge> m_lastEdges;  // the LED edges of the last job collected
    bool m_lastFrameDropped = false;
};

using core::monotonicNow;

}  // namespace scopesync::core::acquisition
