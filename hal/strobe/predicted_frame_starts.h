// PredictedFrameStarts: the trigger input of a rig with no trigger wire, predicted from frame timestamps.
#pragma once

#include "hal/strobe/line_interfaces.h"

#include <condition_variable>
#include <mutex>

namespace scopesync::hal::strobe {

// A free-running camera's frames start on a crystal clock: once a frame's exposure start is known
// (SensorTimestamp − ExposureTime on libcamera), the next ones are that time plus whole frame periods.
// The camera reports each frame start through observe(); waitEdge() hands the strobe engine the next
// predicted start a little ahead of time, so a flash with no delay is not late. The precision is the
// timestamp's jitter plus the period's drift over a frame or two — lower than a wired XVS edge, and
// a frame the camera skips is invisible until the next timestamp arrives.
class PredictedFrameStarts final : public TriggerInput {
public:
    // `lead`: how long before a predicted start the engine is told of it. `maxRateError`: how far (a
    // fraction) a measured period may be from the current one and still refine it; further is a mode
    // change or a glitch.
    explicit PredictedFrameStarts(std::chrono::nanoseconds nominalPeriod,
        std::chrono::nanoseconds lead = std::chrono::milliseconds(2), double maxRateError = 0.02);

    // From the camera's completion path: cheap (a lock and a notify).
    void observe(MonoTime exposureStart);
    // The next predicted frame start, never one already returned or in the past; nullopt on timeout or
    // before the first frame was observed.
    core::Result<std::optional<MonoTime>> waitEdge(std::chrono::nanoseconds timeout) override;
    void wake() override;

    [[nodiscard]] std::chrono::nanoseconds period() const;
    [[nodiscard]] qint64 observed() const;

private:
    // Guards every member below.
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::chrono::nanoseconds m_period;
    std::chrono::nanoseconds m_lead;
    double m_maxRateError;
    MonoTime m_anchor {};  // the latest observed frame start
    MonoTime m_lastReturned {};
    qint64 m_observed = 0;
    bool m_woken = false;
};

}  // namespace scopesync::hal::strobe
