// PiRig: the Raspberry Pi rig — libcamera camera, libgpiod lines and the strobe engine, wired together.
#include "hal/pi/pi_rig.h"

#include "core/acquisition/rig_timing.h"

namespace scopesync::hal::pi {

QSize previewStreamSize(QSize mode, int maxSide)
{
    if (mode.isEmpty() || maxSide <= 0)
        return {};
    for (int k = 1; k <= 16; ++k) {
        if (mode.width() % k != 0 || mode.height() % k != 0)
            continue;
        const QSize size = mode / k;
        if (size.width() <= maxSide && size.height() <= maxSide && size.width() % 2 == 0
            && size.height() % 2 == 0)
            return size;
    }
    return {};
}

using core::acquisition::TriggerMode;
using namespace std::chrono_literals;

core::Result<std::unique_ptr<PiRig>> PiRig::create(const core::acquisition::RigDescription &rig,
    const core::camera::CameraSettings &settings, PiRigOptions options)
{
    const auto *sensor = rig.sensorInfo();
    const auto *mode = rig.sensorMode();
    if (!sensor || !mode)
        return core::Error {
            QStringLiteral("the rig's sensor or mode is not in the catalog"), QStringLiteral("rig")};
    if (!settings.shutter || settings.shutter->count() <= 0)
        return core::Error {QStringLiteral("no shutter time: a run needs fixed camera settings; add "
                                           "'shutter=250000' to the camera config"),
            QStringLiteral("shutter")};

    std::unique_ptr<PiRig> r(new PiRig);
    r->m_rig = rig;
    r->m_framePeriod = core::acquisition::framePeriodFor(*mode, *settings.shutter, settings.framerateFps);

    // Lines first: they fail fastest and most often (busy, permission). The instrument's devices
    // first of all, as they start the guard that turns heater and coils off if this process dies.
    if (rig.filterWheel || rig.focus || rig.heater) {
        auto devices = instrument::InstrumentDevices::open(rig);
        if (!devices.ok())
            return devices.error();
        r->m_devices = std::move(devices).value();
    }
    std::vector<gpiod::OutputLineSpec> ledSpecs;
    for (auto it = rig.leds.cbegin(); it != rig.leds.cend(); ++it)
        ledSpecs.push_back({it.key(), it->bcm, false, true, it->gangedBcm});
    auto leds = gpiod::GpiodOutputLines::open(rig.gpioChip, ledSpecs, QStringLiteral("scopesync-led"));
    if (!leds.ok())
        return leds.error();
    r->m_leds = std::move(leds).value();
    if (rig.trigger == TriggerMode::XvsSink) {
        auto xvs = gpiod::GpiodTriggerInput::open(rig.gpioChip, rig.xvsLine);
        if (!xvs.ok())
            return xvs.error();
        r->m_xvs = std::move(xvs).value();
    } else if (rig.trigger != TriggerMode::FreeRun) {
        // XVS source and the GS camera's XTR input are both active low.
        auto out = gpiod::GpiodOutputLines::open(rig.gpioChip,
            {{QStringLiteral("trigger"), rig.xvsLine, true, false}}, QStringLiteral("scopesync-trigger"));
        if (!out.ok())
            return out.error();
        r->m_triggerOut = std::move(out).value();
    }

    libcamera::LibcameraCameraConfig cc;
    cc.cameraId = options.cameraId;
    cc.sensor = rig.sensor;
    cc.width = rig.modeWidth;
    cc.height = rig.modeHeight;
    cc.raw = options.rawStream;
    // In source and external modes the trigger sets the pace; the camera's own frame time must be shorter.
    cc.frameDuration
        = rig.trigger == TriggerMode::XvsSink || rig.trigger == TriggerMode::FreeRun ? r->m_framePeriod : 0ns;
    cc.cameraSync = rig.cameraSync;
    if (options.previewMaxSide > 0) {
        const QSize preview = previewStreamSize(QSize(rig.modeWidth, rig.modeHeight), options.previewMaxSide);
        cc.previewWidth = preview.width();
        cc.previewHeight = preview.height();
    }
    auto cam = libcamera::LibcameraCamera::open(cc, settings);
    if (!cam.ok())
        return cam.error();
    r->m_camera = std::move(cam).value();
    // No trigger wire (free-run): the LEDs follow frame starts predicted from SensorTimestamp.
    auto wired = strobe::createRigEngine(rig, *sensor, *settings.shutter, r->m_framePeriod, 1,
        options.requestRealtime, *r->m_camera, *r->m_leds, r->m_xvs.get(), r->m_triggerOut.get());
    if (!wired.ok())
        return wired.error();
    r->m_predicted = std::move(wired->predicted);
    r->m_engine = std::move(wired->engine);
    return r;
}

PiRig::~PiRig()
{
    // LEDs off first, then the camera; the lines are released last.
    if (m_engine)
        m_engine->stop();
    if (m_camera)
        m_camera->stop();
}

QStringList PiRig::notes() const
{
    QStringList n;
    if (m_devices)
        n << m_devices->notes();
    if (m_leds)
        n << m_leds->notes();
    if (m_triggerOut)
        n << m_triggerOut->notes();
    if (m_camera)
        n << m_camera->notes();
    return n;
}

QString PiRig::summary() const
{
    return QStringLiteral("Raspberry Pi rig: %1 %2x%3 (libcamera %4), %5 on %6 line %7, delay %8 ms")
        .arg(m_rig.sensor)
        .arg(m_camera ? m_camera->width() : m_rig.modeWidth)
        .arg(m_camera ? m_camera->height() : m_rig.modeHeight)
        .arg(m_camera ? m_camera->model() : QString())
        .arg(core::acquisition::triggerModeName(m_rig.trigger), m_rig.gpioChip)
        .arg(m_rig.xvsLine)
        .arg(static_cast<double>(m_rig.delay.count()) / 1000.0);
}

}  // namespace scopesync::hal::pi
