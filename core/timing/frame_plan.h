// The frame plan: a protocol and the camera timing unrolled into the ordered actions a run performs.
#pragma once

#include "core/protocol/protocol.h"

#include <QList>

#include <chrono>
#include <optional>
#include <vector>

namespace scopesync::core::timing {

// Camera timing the plan needs to estimate durations.
struct PlanTiming {
    PlanTiming() = default;
    // The camera's timing alone; the instrument's terms stay at "none" until the rig fills them in.
    PlanTiming(std::chrono::microseconds exposure_, std::chrono::microseconds minFramePeriod_)
        : exposure(exposure_), minFramePeriod(minFramePeriod_)
    {
    }

    std::chrono::microseconds exposure {250'000};
    std::chrono::microseconds minFramePeriod {100'000};  // the rig's frame period (acquisition/rig_timing)
    // Frames a strobed image costs. The first of a run of back-to-back images waits for the next frame
    // start and is exposed and read out in the frame after it; each strobed image that directly follows
    // another is armed ahead by the capture pipeline and takes the very next frame. A wait, an
    // illumination step, a temperature step or a filter change between images ends the run.
    int framesPerFirstImage = 2;
    int framesPerNextImage = 1;
    // The instrument's slow devices, from the rig (acquisition/rig_timing): the time one filter change
    // takes (0: no wheel), and the heater's rate (none: heating time not estimated) and the time the
    // reading must hold its band before a set point counts as reached.
    std::chrono::milliseconds filterMove {0};
    std::optional<double> heatingKelvinPerSecond;
    std::chrono::milliseconds heatingHold {0};
    double startKelvin = 273.15 + 22.0;  // the slide's temperature when the run starts
    [[nodiscard]] std::chrono::microseconds framePeriod() const { return std::max(exposure, minFramePeriod); }
};

enum class ActionKind {
    Capture,  // one frame; `flashes` fire at the rig's delay, or the light is already on
    Wait,  // `duration` idle
    SetTemperature,  // `temperatureKelvin`
    Illuminate,  // `flashes` on for `duration`; `captures` Capture actions follow, one per period
};

struct PlanAction {
    ActionKind kind = ActionKind::Capture;
    qint64 frameIndex = -1;  // Capture: 0-based index among captured frames
    QString label;  // the step's label
    QString stepPath;  // JSON path of the step in its source file
    QList<int> iterations;  // iteration index of each enclosing group, outermost first
    QString filter;
    std::vector<protocol::Flash> flashes;
    std::chrono::milliseconds duration {0};
    std::chrono::milliseconds capturePeriod {0};  // Illuminate: period between its captures
    qint64 captures = 0;  // Illuminate: number of Capture actions that follow
    bool underContinuousLight = false;  // Capture inside an Illuminate step: no strobe
    double temperatureKelvin = 0.0;

    friend bool operator==(const PlanAction &, const PlanAction &) = default;
};

// Walks a protocol lazily (memory O(nesting depth)), so a plan of millions of frames costs nothing
// until it runs.
class FramePlanCursor {
public:
    explicit FramePlanCursor(const protocol::Protocol &protocol);
    // Fills `out` with the next action; false at the end.
    bool next(PlanAction &out);

private:
    struct Level {
        const std::vector<protocol::Step> *steps;
        std::size_t index;
        int iteration;
        int iterations;
    };
    const protocol::Protocol &m_protocol;
    std::vector<Level> m_stack;
    qint64 m_frameIndex = 0;
    // Pending captures of the current Illuminate step.
    const protocol::Step *m_illuminating = nullptr;
    qint64 m_pendingCaptures = 0;
};

struct PlanSummary {
    qint64 frames = 0;  // saturates at kMaxCountable
    qint64 actions = 0;
    std::chrono::duration<double> estimatedDuration {0};
    // The plan has set-temperature steps and the heating time is not in the estimate (the rig has no
    // heating rate); "heating time not estimated".
    bool temperatureSteps = false;
    bool heatingEstimated = false;  // set-temperature steps whose heating is in the estimate
    std::chrono::duration<double> heatingTime {0};  // included in estimatedDuration
    qint64 filterMoves = 0;  // filter changes the plan makes ("any_filter" leaves the wheel)
    std::chrono::duration<double> filterMoveTime {0};  // included in estimatedDuration

    static constexpr qint64 kMaxCountable = qint64(1) << 53;
};

// Counts frames and estimates duration arithmetically (iterations multiply), without unrolling.
PlanSummary summarize(const protocol::Protocol &protocol, const PlanTiming &timing);

// Frames captured during an Illuminate step: one at the end of every full capture period.
qint64 illuminateCaptures(const protocol::Step &step);

// Unrolls the whole plan; for tests and small protocols only.
std::vector<PlanAction> unroll(const protocol::Protocol &protocol);

}  // namespace scopesync::core::timing
