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

Result<Image16> RigDelayProbe::measure(Micros delay)
{
    if (!m_started)
        return Error {QStringLiteral("the rig is not started"), QStringLiteral("calibration")};
    const acquisition::LedPulse pulse {
        m_led, std::chrono::microseconds(std::llround(delay.count())), m_flash, 1000};
    // A frame the camera dropped (a loaded machine, a hiccup) is taken again: the delay, not the frame, is
    // what is measured. Twice at most, so a camera that really stalls still ends the calibration.
    auto shot = m_capture.strobed({pulse});
    for (int retry = 0; retry < 2 && !shot.ok() && shot.error().where == QLatin1String("camera"); ++retry)
        shot = m_capture.strobed({pulse});
    if (!shot.ok())
        return shot.error();
    if (shot->event && shot->event->clipped)
        return Error {
            QStringLiteral("the strobe cut the flash to the LED's safety limit; use a shorter --flash-ms"),
            QStringLiteral("strobe")};
    ++m_frames;
    return std::move(shot.value().frame.image);
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
