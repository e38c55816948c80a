// PiRig: the Raspberry Pi rig — libcamera camera, libgpiod lines and the strobe engine, wired together.
#include "hal/pi/pi_rig.h"

#include "core/acquisition/rig_timing.h"

#ifdef SCOPESYNC_HAVE_QT_CAMERA
#include "hal/qtcamera/qt_camera.h"
#endif

#include <cmath>

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

// A Qt Multimedia camera runs its own frame rate: the rig file states it, the timing model is built on it,
// so a camera that runs another rate (or an exposure that does not fit its frame) is refused, not run on a
// wrong model.
core::Status PiRig::openQtCamera(
    PiRig &r, const core::acquisition::RigDescription &rig, const core::camera::CameraSettings &settings)
{
#ifdef SCOPESYNC_HAVE_QT_CAMERA
    const auto frame = std::chrono::duration<double, std::micro>(1e6 / rig.camera.fps);
    if (std::chrono::duration<double, std::micro>(*settings.shutter) > frame)
        return core::Error {QStringLiteral("a %1 ms shutter does not fit a frame of the camera at %2 fps "
                                           "(%3 ms); set 'shutter' to at most %4 in the camera config")
                                .arg(double(settings.shutter->count()) / 1000.0)
                                .arg(rig.camera.fps)
                                .arg(frame.count() / 1000.0, 0, 'f', 3)
                                .arg(std::floor(frame.count())),
            QStringLiteral("shutter")};
    qtcamera::QtCameraConfig qc;
    qc.device = rig.camera.device;
    qc.width = rig.modeWidth;
    qc.height = rig.modeHeight;
    qc.exposure = *settings.shutter;
    auto cam = qtcamera::QtCamera::open(qc);
    if (!cam.ok())
        return cam.error();
    const double fps = cam.value()->frameRate();
    if (std::abs(fps - rig.camera.fps) > 0.01 * rig.camera.fps)
        return core::Error {QStringLiteral("camera \"%1\" runs %2x%3 at %4 fps, not the rig file's %5; set "
                                           "\"fps\": %4 in \"camera\"")
                                .arg(cam.value()->description())
                                .arg(rig.modeWidth)
                                .arg(rig.modeHeight)
                                .arg(fps, 0, 'g', 6)
                                .arg(rig.camera.fps, 0, 'g', 6),
            QStringLiteral("camera.fps")};
    qtcamera::QtCamera *qt = cam.value().get();
    r.m_qtCameraNotes = [qt] { return qt->notes(); };
    r.m_qtCameraName = qt->description();
    r.m_camera = std::move(cam).value();
    return core::Ok {};
#else
    Q_UNUSED(r)
    Q_UNUSED(rig)
    Q_UNUSED(settings)
    return core::Error {QStringLiteral("this build of ScopeSync has no Qt Multimedia cameras (it was built "
                                       "without qt6-multimedia-dev); use a libcamera camera"),
        QStringLiteral("camera.backend")};
#endif
}

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

    if (rig.camera.isQt()) {
        auto opened = openQtCamera(*r, rig, settings);
        if (!opened.ok())
            return opened.error();
    } else {
        libcamera::LibcameraCameraConfig cc;
        cc.cameraId = options.cameraId;
        cc.sensor = rig.sensor;
        cc.width = rig.modeWidth;
        cc.height = rig.modeHeight;
        cc.raw = options.rawStream;
        // In source and external modes the trigger sets the pace; the camera's own frame time must be
        // shorter.
        cc.frameDuration = rig.trigger == TriggerMode::XvsSink || rig.trigger == TriggerMode::FreeRun
            ? r->m_framePeriod
            : 0ns;
        cc.cameraSync = rig.cameraSync;
        if (options.previewMaxSide > 0) {
            const QSize preview
                = previewStreamSize(QSize(rig.modeWidth, rig.modeHeight), options.previewMaxSide);
            cc.previewWidth = preview.width();
            cc.previewHeight = preview.height();
        }
        auto cam = libcamera::LibcameraCamera::open(cc, settings);
        if (!cam.ok())
            return cam.error();
        r->m_libcamera = cam.value().get();
        r->m_camera = std::move(cam).value();
    }
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
    if (m_libcamera)
        n << m_libcamera->notes();
    if (m_qtCameraNotes)
        n << m_qtCameraNotes();
    return n;
}

QString PiRig::summary() const
{
    if (m_rig.camera.isQt())
        return QStringLiteral("GPIO rig: Qt Multimedia camera \"%1\" %2x%3 at %4 fps, free-run (no trigger "
                              "wire) with LEDs on %5, delay %6 ms")
            .arg(m_qtCameraName.isEmpty() ? m_rig.camera.device : m_qtCameraName)
            .arg(m_rig.modeWidth)
            .arg(m_rig.modeHeight)
            .arg(m_rig.camera.fps, 0, 'g', 6)
            .arg(m_rig.gpioChip)
            .arg(static_cast<double>(m_rig.delay.count()) / 1000.0);
    return QStringLiteral("Raspberry Pi rig: %1 %2x%3 (libcamera %4), %5 on %6 line %7, delay %8 ms")
        .arg(m_rig.sensor)
        .arg(m_libcamera ? m_libcamera->width() : m_rig.modeWidth)
        .arg(m_libcamera ? m_libcamera->height() : m_rig.modeHeight)
        .arg(m_libcamera ? m_libcamera->model() : QString())
        .arg(core::acquisition::triggerModeName(m_rig.trigger), m_rig.gpioChip)
        .arg(m_rig.xvsLine)
        .arg(static_cast<double>(m_rig.delay.count()) / 1000.0);
}

}  // namespace scopesync::hal::pi
