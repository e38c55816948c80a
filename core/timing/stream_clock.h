// StreamClock: a camera's own frame times (relative to its pipeline, in an unknown base) moved onto
// CLOCK_MONOTONIC, where the strobe thread and every other timestamp live.
//
// The offset (monotonic − device time) is estimated as the smallest (arrival − device time) seen: a
// frame cannot arrive before it started, so a stamp is late by at most the quickest delivery and never
// early. Two things a real pipeline does are handled, and counted:
//  - its device clock goes back (Qt's GStreamer pipeline, just after a start, delivers a frame on its
//    earlier running time and then frames with smaller times): that starts a new estimate, since the old
//    offset would make the frames after it early;
//  - a stamp that would not come after the previous one (a frame without a device time, stamped at its
//    arrival, between frames that have one) is put just after the previous stamp: later than the
//    estimate, never earlier, so stamps always increase.
#pragma once

#include "core/common/clocks.h"

#include <optional>

namespace scopesync::core::timing {

class StreamClock {
public:
    struct Stamp {
        MonoTime time {};
        bool fromDevice = false;  // placed by the device time; false: the arrival time was used
        qint64 heldBackNs = 0;  // how much later than its estimate it was put to keep the order
        bool repeat = false;  // the same device time as the frame before: the same frame given again
    };

    // The monotonic time of a frame with device time `deviceNs` (none when the frame has no time) that
    // arrived at `arrival`. Frames are given in the order they arrived.
    Stamp stamp(std::optional<qint64> deviceNs, MonoTime arrival);

    // A new estimate from the next frame on (the pipeline restarts, perhaps with a new clock base).
    // Stamps still come after every stamp given before.
    void restart();

    [[nodiscard]] std::optional<qint64> offsetNs() const { return m_offsetNs; }  // monotonic − device
    [[nodiscard]] qint64 frames() const { return m_frames; }  // frames in the current estimate
    [[nodiscard]] qint64 clockJumps() const { return m_clockJumps; }  // device times that went back
    [[nodiscard]] qint64 heldBack() const { return m_heldBack; }  // stamps put after the previous one
    [[nodiscard]] qint64 repeats() const { return m_repeats; }  // frames with the previous one's device time

private:
    std::optional<qint64> m_offsetNs;
    std::optional<qint64> m_lastDeviceNs;
    std::optional<MonoTime> m_last;
    qint64 m_frames = 0;
    qint64 m_clockJumps = 0;
    qint64 m_heldBack = 0;
    qint64 m_repeats = 0;
};

}  // namespace scopesync::core::timing
