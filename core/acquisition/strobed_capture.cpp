// StrobedCapture: takes one frame lit by given LED pulses, matched to its strobe event by timestamp.
#include "core/acquisition/strobed_capture.h"

#include <csignal>
#include <ctime>

namespace scopesync::core::acquisition {

using namespace std::chrono_literals;

namespace {
double seconds(std::chrono::nanoseconds d)
{
    return std::chrono::duration<double>(d).count();
}
}  // namespace

MonoNs monotonicNow()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return MonoNs(qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec);
}

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

Result<Shot> StrobedCapture::strobed(const std::vector<LedPulse> &pulses)
{
    FrameJob job;
    job.id = m_nextJobId++;
    job.pulses = pulses;
    m_rig.strobe().arm(job);

    const auto period = m_rig.framePeriod();
    std::chrono::microseconds latest {0};
    for (const auto &p : pulses)
        latest = std::max(latest, p.delay + p.duration);
    // The job waits for the next frame start, then for its flashes to finish.
    const auto eventTimeout
        = std::chrono::duration_cast<std::chrono::milliseconds>(2 * period + latest) + 1000ms;
    std::optional<StrobeEvent> event;
    const MonoNs giveUp = monotonicNow() + eventTimeout;
    while (!event) {
        if (const QString why = stopRequested(); !why.isEmpty())
            return Error {why, QString()};
        if (const QString f = m_rig.strobe().fault(); !f.isEmpty())
            return Error {f, QStringLiteral("strobe")};
        if (monotonicNow() > giveUp)
            return Error {
                QStringLiteral("no trigger pulse from the camera for %1 s; check the XVS wire and the "
                               "camera's trigger_mode")
                    .arg(seconds(eventTimeout), 0, 'f', 1),
                QStringLiteral("trigger")};
        event = m_rig.strobe().waitEvent(job.id, 50ms);
    }

    // The frame whose row 0 started nearest the trigger edge is the one the flash lit (the rig's
    // trigger offset is far smaller than half a frame period).
    const MonoNs half = period / 2;
    const MonoNs frameGiveUp
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
        const MonoNs d = frame->exposureStart - event->triggerTime;
        if (d < -half)
            continue;  // an older frame
        if (d > half)
            return Error {
                QStringLiteral("the frame lit by trigger %1 was lost before it could be saved (the camera "
                               "dropped it)")
                    .arg(event->triggerSequence),
                QStringLiteral("camera")};
        return Shot {std::move(*frame), std::move(event)};
    }
}

Result<Shot> StrobedCapture::next()
{
    const MonoNs giveUp
        = monotonicNow() + std::chrono::duration_cast<std::chrono::nanoseconds>(2 * m_rig.framePeriod()) + 2s;
    const MonoNs notBefore = monotonicNow();
    while (true) {
        if (const QString why = stopRequested(); !why.isEmpty())
            return Error {why, QString()};
        if (monotonicNow() > giveUp)
            return Error {
                QStringLiteral("the camera delivered no frame (camera stall)"), QStringLiteral("camera")};
        auto frame = m_rig.camera().waitFrame(50ms);
        if (frame && frame->exposureStart >= notBefore)
            return Shot {std::move(*frame), std::nullopt};
    }
}

}  // namespace scopesync::core::acquisition
