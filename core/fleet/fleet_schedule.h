// FleetSchedule: a protocol laid out on a fixed timeline from T, so that every follower running it
// fires frame k at the same instant T + offset(k), not merely starts together.
#pragma once

#include "core/common/result.h"
#include "core/protocol/protocol.h"
#include "core/timing/frame_plan.h"

#include <chrono>
#include <optional>

namespace scopesync::core::fleet {

// One thing a follower does at T + offset.
struct ScheduledStep {
    enum class Kind {
        Capture,  // trigger edge at offset; `action` is a Capture (strobed, or under the light already on)
        LightsOn,  // `action` is the Illuminate step: its LEDs on from offset
        LightsOff,  // the illumination that began at the last LightsOn ends at offset
        Note,  // nothing to drive (a heater set point on a rig without heater); `note` says so
    };
    Kind kind = Kind::Capture;
    std::chrono::nanoseconds offset {0};
    timing::PlanAction action;
    QString note;
};

// The layout, identical on every follower given the same protocol and slot:
// - a strobed image takes one slot: its trigger edge at the slot's start;
// - a wait moves the timeline by its duration;
// - an illumination step turns its LEDs on at its start and off at its end; its k-th capture
//   (k = 1…n, one per capture period) has its edge at start + k·period − slot, so the frame lies
//   inside the lit time and ends by the capture moment; a capture period shorter than the slot is an
//   error naming the step;
// - after an illumination step the timeline waits lightGuard(slot) more, and its first capture comes at
//   least that long after the light comes on: a follower switches the light at its time and then needs
//   time to hand the next frame over before that frame's T (with camera sync, half a frame earlier);
// - a temperature step becomes a note (the followers have no heater).
// The slot must cover a follower's whole image (exposure, readout, saving): each follower checks it
// against its own rig before it accepts the run.
// Half a slot: a slot holds at least two frame periods and 50 ms, so half of it covers the 10 ms
// hand-off and, with camera sync, the half frame period before T.
inline std::chrono::nanoseconds lightGuard(std::chrono::nanoseconds slot)
{
    return slot / 2;
}

class FleetScheduleCursor {
public:
    FleetScheduleCursor(const protocol::Protocol &protocol, std::chrono::nanoseconds slot);

    // Fills `out` with the next step in time order; false at the end, or on a problem (see error()).
    bool next(ScheduledStep &out);
    [[nodiscard]] const std::optional<Error> &error() const { return m_error; }
    // Where the timeline stands: after the last step handed out, including the waits that followed it.
    [[nodiscard]] std::chrono::nanoseconds position() const { return m_t; }

private:
    timing::FramePlanCursor m_plan;
    std::chrono::nanoseconds m_slot;
    std::chrono::nanoseconds m_t {0};  // where the next strobed image or step begins
    std::optional<timing::PlanAction> m_pending;  // read ahead while a LightsOff was emitted first
    std::optional<std::chrono::nanoseconds> m_lightsOffAt;
    std::chrono::nanoseconds m_lightsOnAt {0};
    std::chrono::nanoseconds m_capturePeriod {0};
    qint64 m_captureIndex = 0;
    std::optional<Error> m_error;
};

struct FleetScheduleSummary {
    qint64 frames = 0;
    std::chrono::nanoseconds lastEdge {0};  // offset of the last capture's trigger edge
    std::chrono::nanoseconds end {0};  // offset when the last step (capture slot, wait, light) is over
    int notes = 0;
};

// Walks the whole schedule (O(frames), nothing kept): its size and length, or the first problem.
Result<FleetScheduleSummary> summarizeSchedule(
    const protocol::Protocol &protocol, std::chrono::nanoseconds slot);

}  // namespace scopesync::core::fleet
