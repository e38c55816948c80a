// RigDelayProbe: takes calibration frames on a rig — one strobed frame per asked delay — for DelaySearch.
#include "core/calibration/rig_delay_probe.h"

#include <cmath>

namespace scopesync::core::calibration {

RigDelayProbe::RigDelayProbe(
    acquisition::Rig &rig, QString led, std::chrono::microseconds flash, const std::atomic<int> *stopFlag)
    : m_rig(rig), m_led(std::move(led)), m_flash(flash), m_capture(rig, stopFlag)
{
}

RigDelayProbe::~RigDelayProbe()
{
    stop();
}

QString RigDelayProbe::checkLed(
    const acquisition::RigDescription &rig, const QString &led, std::chrono::microseconds flash)
{
    if (!rig.leds.contains(led))
        return QStringLiteral("the rig has no LED '%1'; use one of %2").arg(led, rig.ledNames().join(u','));
    const auto limit = rig.maxOnFor(led);
    if (flash > limit)
        return QStringLiteral("a %1 ms flash exceeds the %2 LED's safety limit of %3 ms (led_max_on_ms); use "
                              "a shorter --flash-ms")
            .arg(double(flash.count()) / 1000.0)
            .arg(led)
            .arg(limit.count());
    if (flash.count() <= 0)
        return QStringLiteral("the flash must last longer than 0 ms; give --flash-ms");
    return {};
}

Result<CalibrationRequest> RigDelayProbe::requestFor(const acquisition::RigDescription &rig,
    const camera::CameraSettings &settings, bool settingsFlipsApply, std::chrono::microseconds flash)
{
    const auto *sensor = rig.sensorInfo();
    const auto *mode = rig.sensorMode();
    if (!sensor || !mode)
        return Error {
            QStringLiteral("the rig's sensor or mode is not in the catalog"), QStringLiteral("rig")};
    if (!settings.shutter || settings.shutter->count() <= 0)
        return Error {QStringLiteral("no shutter time; give --shutter-us or a camera config with shutter=…"),
            QStringLiteral("shutter")};
    CalibrationRequest r;
    r.shutter = sensor->shutter;
    r.mode = *mode;
    r.exposure = Micros(*settings.shutter);
    r.flash = Micros(flash);
    // The simulated sensor flips as its rig says unless a camera config was given; a Pi camera
    // always flips as the settings say.
    const bool fromSettings = settingsFlipsApply || rig.backend != QLatin1String("sim");
    r.vflip = fromSettings ? settings.vflip : rig.sim.vflip;
    r.hflip = fromSettings ? settings.hflip : rig.sim.hflip;
    return r;
}

Status RigDelayProbe::start()
{
    if (m_started)
        return Ok {};
    if (const QString why = checkLed(m_rig.description(), m_led, m_flash); !why.isEmpty())
        return Error {why, QStringLiteral("--led")};
    if (!m_rig.camera().exposureFixed()) {
        const QString device = m_rig.description().camera.device;
        return Error {QStringLiteral("the camera %1 keeps its own (automatic) exposure: it offers no manual "
                                     "exposure time, so no LED delay can be calibrated against the shutter; "
                                     "calibrate with a camera that takes a fixed exposure (a Raspberry Pi "
                                     "camera, or a USB camera whose driver offers manual exposure); no frame "
                                     "was taken")
                          .arg(device.isEmpty() ? QStringLiteral("of this rig") : u'"' + device + u'"'),
            QStringLiteral("camera")};
    }
    if (auto s = m_rig.strobe().start(); !s.ok()) {
        m_rig.strobe().stop();
        return s;
    }
    if (auto s = m_rig.camera().start(); !s.ok()) {
        m_rig.strobe().stop();
        return s;
    }
    m_started = true;
    return Ok {};
}

std::chrono::nanoseconds RigDelayProbe::edgeError(const acquisition::StrobeEvent &event)
{
    std::chrono::nanoseconds worst {0};
    for (const auto &e : event.edges)
        worst = std::max(worst, std::chrono::abs(e.measured - e.intended));
    for (const auto &e : event.triggerEdges)
        if (!e.active)
            worst = std::max(worst, std::chrono::abs(e.measured - e.intended));
    return worst;
}

std::optional<std::chrono::nanoseconds> RigDelayProbe::lateOnEdge(
    const acquisition::StrobeEvent &event, const QString &led)
{
    for (const auto &e : event.edges)
        if (e.line == led && e.active && e.measured - e.intended > edgeTolerance())
            return e.measured - event.triggerTime;
    return std::nullopt;
}

Result<DelayShot> RigDelayProbe::measure(Micros delay)
{
    if (!m_started)
        return Error {QStringLiteral("the rig is not started"), QStringLiteral("calibration")};
    const acquisition::LedPulse pulse {
        m_led, std::chrono::microseconds(std::llround(delay.count())), m_flash, 1000};
    std::chrono::nanoseconds worstSeen {0};
    // Whether every try that missed its timing had its on edge late, and how soon after the trigger that
    // on edge came at the latest.
    bool onEdgeLateEveryTry = true;
    std::chrono::nanoseconds latestOn {0};
    for (int attempt = 0; attempt < maxTriesPerFrame; ++attempt) {
        if (attempt > 0)
            ++m_retaken;
        auto shot = m_capture.strobed({pulse});
        if (!shot.ok()) {
            if (shot.error().where == QLatin1String("camera"))
                continue;  // dropped by the camera: the delay, not the frame, is what is measured
            return shot.error();
        }
        if (!shot->event)
            return Error {
                QStringLiteral("the frame came without its strobe event"), QStringLiteral("strobe")};
        const auto &ev = *shot->event;
        if (ev.clipped)
            return Error {QStringLiteral(
                              "the strobe cut the flash to the LED's safety limit; use a shorter --flash-ms"),
                QStringLiteral("strobe")};
        const auto error = edgeError(ev);
        if (error > edgeTolerance()) {
            worstSeen = std::max(worstSeen, error);
            if (const auto on = lateOnEdge(ev, m_led))
                latestOn = std::max(latestOn, *on);
            else
                onEdgeLateEveryTry = false;
            m_worstError
                = std::max(m_worstError, std::chrono::duration_cast<std::chrono::microseconds>(error));
            continue;
        }
        DelayShot out;
        bool haveOn = false, haveOff = false;
        for (const auto &e : ev.edges) {
            if (e.line != m_led)
                continue;
            const Micros t = e.measured - ev.triggerTime;
            (e.active ? out.on : out.off) = t;
            (e.active ? haveOn : haveOff) = true;
        }
        if (!haveOn || !haveOff)
            return Error {QStringLiteral("the strobe event of the frame lacks the %1 LED's edges").arg(m_led),
                QStringLiteral("strobe")};
        ++m_frames;
        out.image = std::move(shot.value().frame.image);
        return out;
    }
    const std::chrono::nanoseconds asked = std::chrono::microseconds(std::llround(delay.count()));
    if (worstSeen > std::chrono::nanoseconds(0) && onEdgeLateEveryTry && latestOn > asked + edgeTolerance()
        && latestOn < kStrobeReactionBound) {
        // Not a busy machine: the flash was asked sooner after the frame start than the strobe can act
        // (in XVS-sink mode it learns of the camera's edge by an interrupt).
        // A millisecond beyond the latest on edge seen: the strobe's reaction varies from frame to frame.
        const double from = std::ceil(std::chrono::duration<double, std::milli>(latestOn).count()) + 1.0;
        return Error {QStringLiteral("the %1 ms flash was asked sooner after the frame start than the strobe "
                                     "can switch an LED on: in %2 tries its on edge came up to %3 ms after "
                                     "the trigger, every time late; calibrate from %4 ms on "
                                     "(`--sweep %4:END:STEP`)")
                          .arg(delay.count() / 1000.0, 0, 'f', 3)
                          .arg(maxTriesPerFrame)
                          .arg(std::chrono::duration<double, std::milli>(latestOn).count(), 0, 'f', 2)
                          .arg(from, 0, 'f', 0),
            QStringLiteral("strobe")};
    }
    if (worstSeen > std::chrono::nanoseconds(0))
        return Error {
            QStringLiteral("in %1 tries the strobe could not drive the %2 ms flash within %3 ms of its "
                           "time (up to %4 ms off): the machine is too busy or the strobe thread has "
                           "no real-time priority; close other programs and run `scopesync doctor`")
                .arg(maxTriesPerFrame)
                .arg(delay.count() / 1000.0, 0, 'f', 3)
                .arg(double(edgeTolerance().count()) / 1000.0)
                .arg(std::chrono::duration<double, std::milli>(worstSeen).count(), 0, 'f', 2),
            QStringLiteral("strobe")};
    return Error {
        QStringLiteral("the camera dropped the frame of the %1 ms flash %2 times in a row (camera stall)")
            .arg(delay.count() / 1000.0, 0, 'f', 3)
            .arg(maxTriesPerFrame),
        QStringLiteral("camera")};
}

QString RigDelayProbe::retakeNote() const
{
    if (m_retaken == 0)
        return {};
    QString why = m_worstError.count() > 0
        ? QStringLiteral("flash or trigger edges up to %1 ms off their time")
              .arg(double(m_worstError.count()) / 1000.0, 0, 'f', 2)
        : QStringLiteral("frames the camera dropped");
    return QStringLiteral("%1 frame(s) were taken again (%2); the window rests only on frames lit within "
                          "%3 ms of the asked timing. Frequent retakes mean a busy machine or a strobe "
                          "thread without real-time priority")
        .arg(m_retaken)
        .arg(why)
        .arg(double(edgeTolerance().count()) / 1000.0);
}

void RigDelayProbe::stop()
{
    if (!m_started)
        return;
    m_rig.strobe().stop();
    m_rig.camera().stop();
    m_started = false;
}

}  // namespace scopesync::core::calibration
