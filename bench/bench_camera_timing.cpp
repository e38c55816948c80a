// bench_camera_timing: how evenly two camera paths timestamp their frames, measured in the same process.
//
// Run:  build/bench/bench_camera_timing [frames=300] [qt_device] [WxH]
// In the VM of tests/vm/run_vm_tests.sh (vivid and vimc loaded):
//   tests/vm/run_vm_tests.sh /tmp/vm "$PWD/build/dev/bench/bench_camera_timing" 300
// A free-running camera's LED timing is predicted from its frame timestamps, so the spread of its frame
// intervals around their median is the error of every predicted flash. The baseline is the libcamera
// path (SensorTimestamp, CLOCK_MONOTONIC from the kernel), on the first camera libcamera lists; the path
// under test is the Qt Multimedia camera (pipeline times moved onto CLOCK_MONOTONIC by StreamClock), on
// `qt_device` or the first camera Qt can read, at `WxH` or its smallest readable size. A path with no
// camera is reported as skipped. The two devices differ (Qt reads none of vimc's formats and libcamera
// has no handler for vivid), so the ratio compares paths, each with its own device's clock.
#include "core/timing/interval_error.h"
#include "hal/libcamera/camera_manager_access.h"
#include "hal/libcamera/libcamera_camera.h"
#if defined(SCOPESYNC_HAVE_QT_CAMERA)
#include "hal/qtcamera/qt_camera.h"
#endif

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <cstdio>
#include <optional>

using namespace scopesync;
using namespace std::chrono_literals;

namespace {

struct Measured {
    QString what;
    core::timing::IntervalError error;
    qint64 dropped = 0;
    double seconds = 0;
};

void print(const Measured &m)
{
    const auto &e = m.error;
    std::printf(
        "  %-44s %4d intervals in %5.1f s, median %7.3f ms; |interval - median| p50 %6.3f  p90 %6.3f  "
        "p99 %6.3f  max %7.3f ms; dropped %lld\n",
        qPrintable(m.what), e.intervals, m.seconds, e.medianIntervalMs, e.p50, e.p90, e.p99, e.max,
        static_cast<long long>(m.dropped));
}

struct Taken {
    std::vector<core::MonoTime> stamps;
    double seconds = 0;
};

// Starts the camera, takes `frames` frames with their timestamps by `stampOf`, stops it. Nothing (and
// why, printed under `path`) when it does not start or a frame does not come.
template <typename StampOf>
std::optional<Taken> startAndTake(
    const char *path, core::acquisition::Camera &cam, int frames, StampOf stampOf)
{
    if (auto s = cam.start(); !s.ok()) {
        std::printf("  %s: %s; skipped\n", path, qPrintable(s.error().toString()));
        return std::nullopt;
    }
    Taken out;
    out.stamps.reserve(std::size_t(frames));
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < frames; ++i) {
        auto f = cam.waitFrame(20s);
        if (!f) {
            std::printf("  %s: no frame %d within 20 s\n", path, i);
            cam.stop();
            return std::nullopt;
        }
        out.stamps.push_back(stampOf(*f));
    }
    out.seconds = double(t.elapsed()) / 1000.0;
    cam.stop();
    return out;
}

std::optional<Measured> libcameraPath(int frames)
{
    auto cams = hal::libcamera::listCameras();
    if (!cams.ok() || cams.value().isEmpty()) {
        std::printf("  libcamera: no camera; skipped (%s)\n",
            cams.ok() ? "none listed" : qPrintable(cams.error().toString()));
        return std::nullopt;
    }
    hal::libcamera::LibcameraCameraConfig cc;
    cc.cameraId = cams.value().constFirst().id;
    cc.raw = false;
    cc.width = 640;
    cc.height = 480;
    auto cam = hal::libcamera::LibcameraCamera::open(cc, core::camera::CameraSettings::referenceRig());
    if (!cam.ok()) {
        std::printf("  libcamera: %s; skipped\n", qPrintable(cam.error().toString()));
        return std::nullopt;
    }
    const auto taken = startAndTake("libcamera", *cam.value(), frames,
        [](const core::acquisition::CapturedFrame &f) { return f.sensorTimestamp; });
    if (!taken)
        return std::nullopt;
    return Measured {QStringLiteral("libcamera, %1 (%2), 640x480")
                         .arg(cams.value().constFirst().model, cams.value().constFirst().id.left(24)),
        core::timing::intervalError(taken->stamps), cam.value()->droppedFrames(), taken->seconds};
}

#if defined(SCOPESYNC_HAVE_QT_CAMERA)
std::optional<Measured> qtPath(int frames, const QString &wanted, QSize size)
{
    std::optional<hal::qtcamera::QtCameraInfo> chosen;
    for (const auto &c : hal::qtcamera::listCameras()) {
        if (!wanted.isEmpty() && c.description != wanted && c.id != wanted)
            continue;
        for (int i = int(c.sizes.size()) - 1; i >= 0; --i)  // smallest readable size first
            if (c.maxFps.value(i) > 0 && (size.isEmpty() || c.sizes[i] == size)) {
                chosen = c;
                if (size.isEmpty())
                    size = c.sizes[i];
                break;
            }
        if (chosen)
            break;
    }
    if (!chosen) {
        std::printf("  Qt Multimedia: no camera %s it can read; skipped\n",
            wanted.isEmpty() ? "" : qPrintable(QStringLiteral("\"%1\"").arg(wanted)));
        return std::nullopt;
    }
    auto cam = hal::qtcamera::QtCamera::open(
        {chosen->description, size.width(), size.height(), {}, 8, std::chrono::milliseconds(120'000)});
    if (!cam.ok()) {
        std::printf("  Qt Multimedia: %s; skipped\n", qPrintable(cam.error().toString()));
        return std::nullopt;
    }
    const auto taken = startAndTake("Qt Multimedia", *cam.value(), frames,
        [](const core::acquisition::CapturedFrame &f) { return f.exposureStart; });
    if (!taken)
        return std::nullopt;
    const auto est = cam.value()->timestampEstimate();
    std::printf(
        "  Qt Multimedia timestamps: offset %.3f s from %lld frames; start times went back %lld time(s); "
        "%lld stamp(s) held back\n",
        double(est.offsetNs) / 1e9, static_cast<long long>(est.frames),
        static_cast<long long>(est.clockJumps), static_cast<long long>(est.heldBack));
    return Measured {QStringLiteral("Qt Multimedia, \"%1\", %2x%3 at %4 fps")
                         .arg(chosen->description)
                         .arg(size.width())
                         .arg(size.height())
                         .arg(cam.value()->frameRate(), 0, 'f', 1),
        core::timing::intervalError(taken->stamps), cam.value()->droppedFrames(), taken->seconds};
}
#endif

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int frames = args.size() > 1 ? std::max(30, args[1].toInt()) : 300;
    const QString device = args.value(2);
    QSize size;
    if (const QStringList wh = args.value(3).split(u'x'); wh.size() == 2)
        size = QSize(wh[0].toInt(), wh[1].toInt());
    std::printf("bench_camera_timing: %d frames per camera path; frame-interval error, ms\n", frames);

    const auto baseline = libcameraPath(frames);
    if (baseline)
        print(*baseline);
#if defined(SCOPESYNC_HAVE_QT_CAMERA)
    const auto qt = qtPath(frames, device, size);
    if (qt)
        print(*qt);
    if (baseline && qt && baseline->error.p50 > 0 && baseline->error.p99 > 0)
        std::printf(
            "  Qt Multimedia / libcamera: p50 %.2fx, p99 %.2fx (different devices: each path with its "
            "own device's clock)\n",
            qt->error.p50 / baseline->error.p50, qt->error.p99 / baseline->error.p99);
#else
    (void)device;
    std::printf("  Qt Multimedia: not built (qt6-multimedia-dev missing); skipped\n");
#endif
    return 0;
}
