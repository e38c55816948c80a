// StrobedCapture: takes one frame lit by given LED pulses, matched to its strobe event by timestamp.
#include "core/acquisition/strobed_capture.h"

#include <algorithm>
#include <csignal>
#include <utility>

namespace scopesync::core::acquisition {

using namespace std::chrono_literals;

namespace {
double seconds(std::chrono::nanoseconds d)
{
    return std::chrono::duration<double>(d).count();
}

// The parts of `edges`' flashes (each on edge with the first off edge of its line after it) that were
// lit after `frameStart`.
std::vector<StrayLight> lightAfter(const std::vector<DrivenEdge> &edges, MonoTime frameStart)
{
    std::vector<StrayLight> out;
    for (const auto &on : edges) {
        if (!on.active)
            continue;
        for (const auto &off : edges) {
            if (off.line != on.line || off.active || off.measured < on.measured)
                continue;
            // The light came on at `issued` at the earliest (a write may stall after the line switched).
            const MonoTime from = on.issued != MonoTime {} ? std::min(on.issued, on.measured) : on.measured;
            if (off.measured > frameStart)
                out.push_back({on.line, std::max(from, frameStart), off.measured});
            break;
        }
    }
    return out;
}
}  // namespace

QString StrobedCapture::stopRequested() const
{
    if (!m_stopFlag)
        return {};
    const int v = m_stopFlag->load();
    if (v == 0)
        return {};
    if (v == SIGINT)
        return QStringLiteral("interrupted (SIGINT)");
    if (v == SIGTERM)
        return QStringLiteral("terminated (SIGTERM)");
    return QStringLiteral("stopped on request");
}

ArmedCapture StrobedCapture::arm(const std::vector<LedPulse> &pulses)
{
    ArmedCapture armed;
    armed.jobId = m_nextJobId++;
    for (const auto &p : pulses)
        armed.lastLight = std::max(armed.lastLight, p.delay + p.duration);
    m_rig.strobe().arm({armed.jobId, pulses, MonoTime {}});
    return armed;
}

ArmedCapture StrobedCapture::armAt(const std::vector<LedPulse> &pulses, MonoTime when, bool nearestFrame)
{
    ArmedCapture armed;
    armed.jobId = m_nextJobId++;
    armed.at = when;
    armed.nearestFrame = nearestFrame;
    for (const auto &p : pulses)
        armed.lastLight = std::max(armed.lastLight, p.delay + p.duration);
    if (nearestFrame) {
        m_rig.strobe().arm({armed.jobId, pulses, when - m_rig.framePeriod() / 2});
    } else {
        // Armed before the trigger is requested, so the edge at `when` always carries this job.
        m_rig.strobe().arm({armed.jobId, pulses, MonoTime {}});
        m_rig.strobe().fireTriggerAt(when);
    }
    return armed;
}

Result<Shot> StrobedCapture::collect(const ArmedCapture &armed)
{
    m_lastFrameDropped = false;
    const auto period = m_rig.framePeriod();
    // The job waits for its frame start (the next one, or the one at or near its time), then for its
    // flashes to finish.
    auto eventTimeout
        = std::chrono::duration_cast<std::chrono::milliseconds>(2 * period + armed.lastLight) + 1000ms;
    // A frame at a given time: at least 2 s after it (plus half a period for the nearest frame), so a
    // strobe thread that is late on a loaded machine still delivers.
    if (armed.at)
        eventTimeout = std::max(eventTimeout,
            std::chrono::duration_cast<std::chrono::milliseconds>(
                (armed.nearestFrame ? period / 2 : 0ns) + 2s));
    const MonoTime now = monotonicNow();
    const MonoTime giveUp = (armed.at ? std::max(now, *armed.at) : now) + eventTimeout;
    const auto timedOut = [&] {
        if (armed.at && armed.nearestFrame)
            return Error {QStringLiteral("no frame started near T: the camera stopped or its frames are not "
                                         "arriving (camera sync)"),
                QStringLiteral("strobe")};
        if (armed.at)
            return Error {QStringLiteral("the strobe thread did not fire the trigger within %1 s of T")
                              .arg(seconds(eventTimeout), 0, 'f', 1),
                QStringLiteral("strobe")};
        if (m_rig.description().trigger == TriggerMode::FreeRun)
            return Error {QStringLiteral("no frame from the camera for %1 s (free-run: the LEDs follow its "
                                         "frames); the camera stopped streaming")
                              .arg(seconds(eventTimeout), 0, 'f', 1),
                QStringLiteral("camera")};
        return Error {QStringLiteral("no trigger pulse from the camera for %1 s; check the XVS wire and the "
                                     "camera's trigger_mode")
                          .arg(seconds(eventTimeout), 0, 'f', 1),
            QStringLiteral("trigger")};
    };
    std::optional<StrobeEvent> event;
    while (!event) {
        if (const QString why = stopRequested(); !why.isEmpty()) {
            (void)m_rig.strobe().disarm(armed.jobId);
            return Error {why, QString()};
        }
        if (const QString f = m_rig.strobe().fault(); !f.isEmpty()) {
            (void)m_rig.strobe().disarm(armed.jobId);
            return Error {f, QStringLiteral("strobe")};
        }
        if (monotonicNow() > giveUp) {
            if (m_rig.strobe().disarm(armed.jobId))
                return timedOut();
            event = m_rig.strobe().waitEvent(armed.jobId, 0ms);  // it ran just now after all
            if (!event)
                return timedOut();
            break;
        }
        event = m_rig.strobe().waitEvent(armed.jobId, 50ms);
    }

    // The job before this one may have kept its light on into this frame (an off edge driven late).
    const std::vector<DrivenEdge> before = std::exchange(m_lastEdges, event->edges);

    // The frame whose row 0 started nearest the trigger edge is the one the flash lit (the rig's
    // trigger offset is far smaller than half a frame period).
    const std::chrono::nanoseconds half = period / 2;
    const MonoTime frameGiveUp
        = monotonicNow() + std::chrono::duration_cast<std::chrono::nanoseconds>(2 * period) + 2s;
    while (true) {
        if (const QString why = stopRequested(); !why.isEmpty())
            return Error {why, QString()};
        if (monotonicNow() > frameGiveUp)
            return Error {QStringLiteral("the camera delivered no frame for %1 s (camera stall)")
                              .arg(seconds(frameGiveUp - event->triggerTime), 0, 'f', 1),
                QStringLiteral("camera")};
        auto frame = m_rig.camera().waitFrame(50ms);
        if (!frame)
            continue;
        const std::chrono::nanoseconds d = frame->exposureStart - event->triggerTime;
        if (d < -half)
            continue;  // an older frame
        if (d > half) {
            m_lastFrameDropped = true;
            return Error {
                QStringLiteral("the frame lit by trigger %1 was lost before it could be saved (the camera "
                               "dropped it)")
                    .arg(event->triggerSequence),
                QStringLiteral("camera")};
        }
        auto stray = lightAfter(before, frame->exposureStart);
        return Shot {std::move(*frame), std::move(event), std::move(stray)};
    }
}

Result<Shot> StrobedCapture::next()
{
    const MonoTime giveUp
        = monotonicNow() + std::chrono::duration_cast<std::chrono::nanoseconds>(2 * m_rig.framePeriod()) + 2s;
    const MonoTime notBefore = monotonicNow();
    while (true) {
        if (const QString why = stopRequested(); !why.isEmpty())
            return Error {why, QString()};
        if (monotonicNow() > giveUp)
            return Error {
                QStringLiteral("the camera delivered no frame (camera stall)"), QStringLiteral("camera")};
        auto frame = m_rig.camera().waitFrame(50ms);
        if (frame && frame->exposureStart >= notBefore)
            return Shot {std::move(*frame), std::nullopt, {}};
    }
}

}  // namespace scopesync::core::acquisition
