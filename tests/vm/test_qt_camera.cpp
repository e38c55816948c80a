// The Qt Multimedia camera backend against a real V4L2 driver, run inside the VM: vivid's capture node as Qt
// lists it, frames with CLOCK_MONOTONIC timestamps, an OME-TIFF written and read back. Also prints the
// frame-interval error of this path and of libcamera on vimc, for comparison (inside a TCG guest the
// figures show the method, not the hardware's timing).
#include "core/acquisition/protocol_run.h"
#include "core/acquisition/rig_description.h"
#include "core/calibration/rig_delay_probe.h"
#include "core/protocol/protocol_reader.h"
#include "core/storage/manifest_reader.h"
#include "core/storage/ome_tiff_writer.h"
#include "core/storage/run_folder.h"
#include "core/storage/tiff_reader.h"
#include "core/timing/interval_error.h"
#include "hal/doctor/rig_doctor.h"
#include "hal/libcamera/camera_manager_access.h"
#include "hal/libcamera/libcamera_camera.h"
#include "hal/qtcamera/qt_camera.h"
#include "hal/rig_factory.h"
#include "ui/common/frame_mailbox.h"
#include "ui/common/rig_controller.h"
#include "ui/preview/preview_frame.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "support/verify_ok.h"
#include "vm_gpio_sim.h"
#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

using namespace std::chrono_literals;
using namespace scopesync;
using core::acquisition::MonoTime;

namespace {

constexpr auto kFirstFrame = 60s;  // under TCG the media backend takes tens of seconds to start

void report(const char *what, const core::timing::IntervalError &e)
{
    qInfo("%s: %d intervals, median %.3f ms; interval error p50 %.3f ms, p99 %.3f ms", what, e.intervals,
        e.medianIntervalMs, e.p50, e.p99);
}

std::optional<hal::qtcamera::QtCameraInfo> vivid()
{
    for (const auto &c : hal::qtcamera::listCameras())
        if (c.description == QLatin1String("vivid"))
            return c;
    return std::nullopt;
}

// The rate vivid runs 320x180 at, which a rig file must state; 0 when it cannot be opened.
double vividFps()
{
    auto cam = hal::qtcamera::QtCamera::open({QStringLiteral("vivid"), 320, 180, {}, 4});
    return cam.ok() ? cam.value()->frameRate() : 0.0;
}

// A rig of vivid at 320x180 with a red LED on line 16 of the gpio-sim chip `chipDev`.
QByteArray vividRigFile(const QString &chipDev, double fps)
{
    return QStringLiteral(R"({"version": 1, "backend": "pi", "name": "vivid bench",
        "camera": {"backend": "qt", "device": "vivid", "mode": "320x180", "fps": %1, "readout_ms": 1},
        "delay_us": 2000, "lines": {"chip": "%2", "leds": {"red": 16}}})")
        .arg(fps, 0, 'g', 10)
        .arg(chipDev)
        .toUtf8();
}

}  // namespace

class TestQtCamera : public QObject {
    Q_OBJECT

private:
    std::optional<hal::qtcamera::QtCameraInfo> m_vivid;

private Q_SLOTS:
    void initTestCase()
    {
        const auto all = hal::qtcamera::listCameras();
        for (const auto &c : all)
            qInfo() << "Qt Multimedia camera" << c.id << c.description << c.sizes.size() << "sizes";
        m_vivid = vivid();
        if (!m_vivid)
            QSKIP("Qt Multimedia lists no vivid camera: this test runs inside the VM started by "
                  "tests/vm/run_vm_tests.sh, which loads vivid");
    }

    void theDoctorListsIt()
    {
        const auto c
            = hal::doctor::RigDoctor(core::acquisition::RigDescription::referenceSim()).checkOtherCameras();
        QCOMPARE(c.id, QStringLiteral("other_cameras"));
        QCOMPARE(c.status, core::acquisition::CheckStatus::Ok);
        QVERIFY2(c.detail.contains(QStringLiteral("\"vivid\" (up to ")), qPrintable(c.detail));
        qInfo() << "doctor:" << c.detail;

        // The first-run dialog's list: vivid with a rig-file entry that a rig file accepts as written.
        const auto offers = hal::doctor::camerasOnThisMachine();
        const auto offer = std::find_if(offers.begin(), offers.end(),
            [](const core::acquisition::CameraOffer &o) { return o.name == QStringLiteral("vivid"); });
        QVERIFY(offer != offers.end());
        QCOMPARE(offer->backend, QStringLiteral("Qt Multimedia"));
        qInfo() << "offered:" << offer->detail << offer->rigFileEntry;
        QVERIFY2(
            offer->rigFileEntry.startsWith(QStringLiteral("\"camera\": {")), qPrintable(offer->rigFileEntry));
        const QByteArray rig = QStringLiteral(
            R"({"version": 1, "name": "offered", "backend": "pi", %1, "lines": {"chip": "gpiochip0", "leds": {"red": 16}}})")
                                   .arg(offer->rigFileEntry)
                                   .toUtf8();
        const auto read = core::acquisition::RigReader::readBytes(rig);
        QStringList problems;
        for (const auto &d : read.diagnostics.all())
            problems << d.toString();
        QVERIFY2(read.rig, qPrintable(problems.join(QStringLiteral("; "))));
        QCOMPARE(read.rig->camera.device, QStringLiteral("vivid"));
        QVERIFY(m_vivid->sizes.contains(QSize(read.rig->modeWidth, read.rig->modeHeight)));
    }

    void anUnknownCameraNamesTheOnesThereAre()
    {
        auto cam = hal::qtcamera::QtCamera::open({QStringLiteral("no such camera"), 0, 0, {}, 4});
        QVERIFY(!cam.ok());
        QVERIFY2(cam.error().message.contains(QStringLiteral("\"vivid\"")), qPrintable(cam.error().message));
        auto size = hal::qtcamera::QtCamera::open({QStringLiteral("vivid"), 123, 45, {}, 4});
        QVERIFY(!size.ok());
        QVERIFY2(size.error().message.contains(QStringLiteral("320x180")), qPrintable(size.error().message));
    }

    void framesComeWithMonotonicTimestamps()
    {
        QVERIFY(m_vivid->sizes.contains(QSize(320, 180)));
        auto opened
            = hal::qtcamera::QtCamera::open({QStringLiteral("vivid"), 320, 180, 10ms, 8, kFirstFrame});
        SCOPESYNC_VERIFY_OK(opened);
        auto &cam = *opened.value();
        qInfo() << "notes:" << cam.notes();
        QCOMPARE(cam.width(), 320);
        QCOMPARE(cam.height(), 180);
        QVERIFY(cam.notes().filter(QStringLiteral("free-running")).size() == 1);
        // vivid has no manual exposure through Qt: the backend must say so rather than claim it.
        QVERIFY(cam.notes().filter(QStringLiteral("exposure fixed")).size()
                + cam.notes().filter(QStringLiteral("exposure not fixed")).size()
            == 1);
        std::atomic<int> observed {0};
        QVERIFY(cam.setFrameStartObserver([&](MonoTime) { ++observed; }));

        for (int round = 0; round < 2; ++round) {  // a clean stop and a restart
            QElapsedTimer started;
            started.start();
            QVERIFY(cam.start().ok());
            qInfo("round %d: start() returned with the first frame after %.1f s", round,
                double(started.elapsed()) / 1000.0);
            std::vector<MonoTime> stamps;
            qint64 previousSequence = -1;
            for (int i = 0; i < (round == 0 ? 120 : 5); ++i) {
                auto f = cam.waitFrame(i == 0 ? std::chrono::milliseconds(kFirstFrame) : 10000ms);
                QVERIFY2(f.has_value(),
                    qPrintable(QStringLiteral("no frame %1 in round %2; notes: %3")
                                   .arg(i)
                                   .arg(round)
                                   .arg(cam.notes().join(QStringLiteral("; ")))));
                QCOMPARE(f->image.width, 320);
                QCOMPARE(f->image.height, 180);
                QCOMPARE(f->image.bitDepth, 8);
                QVERIFY(f->sequence > previousSequence);
                previousSequence = f->sequence;
                QVERIFY(f->exposureStart <= core::monotonicNow());
                if (!stamps.empty())
                    QVERIFY2(f->exposureStart > stamps.back(), "timestamps must increase");
                stamps.push_back(f->exposureStart);
                if (i == 0 && round == 0) {
                    // vivid's test pattern is not flat: the frame carries a picture.
                    const auto [lo, hi] = std::minmax_element(f->image.pixels.begin(), f->image.pixels.end());
                    QVERIFY2(
                        *hi > *lo + 50, qPrintable(QStringLiteral("flat frame %1..%2").arg(*lo).arg(*hi)));
                    writeAndReadBack(*f, cam.description());
                }
            }
            cam.stop();
            if (round == 0) {
                const auto est = cam.timestampEstimate();
                qInfo("timestamp offset (monotonic - Qt start time) %.3f s, from %lld frames; Qt's start "
                      "times went back %lld time(s); %lld stamp(s) held back to keep the order; %lld "
                      "repeated start time(s)",
                    double(est.offsetNs) / 1e9, est.frames, est.clockJumps, est.heldBack, est.repeats);
                // A jump back in Qt's start times starts a new estimate, so it may hold a few frames less.
                QVERIFY(est.frames >= 100);
                report("Qt Multimedia on vivid (320x180)", core::timing::intervalError(stamps));
                // The arrival-based estimate may only put a stamp late, never after the frame came.
                QVERIFY(stamps.back() <= core::monotonicNow());
            }
        }
        // The observer runs on the converter thread just after a frame is queued: the last frame's call
        // may still be under way when waitFrame() has handed it over.
        QTRY_VERIFY_WITH_TIMEOUT(observed.load() >= 125, 5000);
        qInfo() << "dropped" << cam.droppedFrames() << "unreadable" << cam.unreadableFrames();
    }

    // A protocol run on a rig whose camera is vivid through Qt Multimedia and whose LED is a gpio-sim line:
    // the rig file's "camera" object, its frame-rate check, strobes in free-run and OME-TIFFs that say
    // what the camera did not.
    void aProtocolRunsOnAQtCameraRig()
    {
        const auto chip = testing::findSimChip();
        if (!chip)
            QSKIP("no gpio-sim chip: this test runs inside the VM started by tests/vm/run_vm_tests.sh");
        const double fps = vividFps();
        QVERIFY(fps > 0);
        const auto rigFile = [&](double rate) { return vividRigFile(chip->dev, rate); };
        core::camera::CameraSettings settings = core::camera::CameraSettings::referenceRig();
        settings.shutter = 10ms;
        settings.framerateFps.reset();

        // A rig file that states another rate is refused, naming the camera's own.
        {
            const auto wrong = core::acquisition::RigReader::readBytes(rigFile(fps / 2));
            QVERIFY(wrong.rig);
            auto rig = hal::createRig(*wrong.rig, settings);
            QVERIFY(!rig.ok());
            QCOMPARE(rig.error().where, QStringLiteral("camera.fps"));
            QVERIFY2(
                rig.error().message.contains(QString::number(fps, 'g', 6)), qPrintable(rig.error().message));
        }

        const auto read = core::acquisition::RigReader::readBytes(rigFile(fps));
        QVERIFY(read.rig);
        // The doctor checks the camera the rig names, not a Pi camera.
        const auto check = hal::doctor::RigDoctor(*read.rig).checkCamera();
        qInfo() << "doctor:" << check.detail;
        QCOMPARE(check.status, core::acquisition::CheckStatus::Ok);
        auto absent = *read.rig;
        absent.camera.device = QStringLiteral("HD USB Camera");
        const auto missing = hal::doctor::RigDoctor(absent).checkCamera();
        QCOMPARE(missing.status, core::acquisition::CheckStatus::Problem);
        QVERIFY2(missing.detail.contains(QStringLiteral("\"vivid\"")), qPrintable(missing.detail));
        auto rig = hal::createRig(*read.rig, settings);
        SCOPESYNC_VERIFY_OK(rig);
        qInfo() << "rig:" << rig.value()->summary();
        QVERIFY(rig.value()->summary().contains(QStringLiteral("\"vivid\"")));

        const auto protocol = core::protocol::ProtocolReader::readBytes(R"({"format": "scopesync-protocol",
            "version": 1, "name": "vivid strobes", "steps": [{"type": "group", "label": "cycle", "iterations": 3,
            "steps": [{"type": "image", "label": "red", "flashes": [{"led": "red", "duration_ms": 5}]}]}]})");
        QVERIFY(protocol.protocol);
        QTemporaryDir dir;
        auto folder = core::storage::RunFolder::create(dir.filePath(QStringLiteral("run")));
        SCOPESYNC_VERIFY_OK(folder);
        core::acquisition::ProtocolRun run(**rig, **folder, *protocol.protocol, settings);
        const auto outcome = run.execute();
        for (const QString &n : outcome.notes)
            qInfo() << "note:" << n;
        qInfo("images %lld of %lld, retakes %lld, dose errors %lld, triggers %lld, late edges %lld, dropped "
              "frames %lld, images per frame period %.2f, missed %lld, rejected %lld",
            outcome.imagesSaved, outcome.framesPlanned, outcome.retakesSaved, outcome.doseErrors,
            outcome.strobe.triggers, outcome.strobe.lateEdges, outcome.droppedFrames,
            outcome.imagesPerFramePeriod, outcome.strobe.missed, outcome.strobe.rejected);
        QVERIFY2(outcome.completed, qPrintable(outcome.stopReason));
        QCOMPARE(outcome.imagesSaved, 3);
        QVERIFY(outcome.ledsOffAtEnd);
        // What the camera could not do reaches the run's notes.
        QVERIFY2(outcome.notes.filter(QStringLiteral("free-running")).size() == 1,
            qPrintable(outcome.notes.join(u'\n')));
        QVERIFY(!outcome.notes.filter(QStringLiteral("no gain control")).isEmpty());

        const QStringList files = QDir((*folder)->path())
                                      .entryList({QStringLiteral("*.ome.tif")}, QDir::Files, QDir::Name)
                                      .filter(QRegularExpression(QStringLiteral("^\\d+_")));
        QCOMPARE(files.size(), 3);
        for (const QString &name : files) {
            auto back = core::storage::TiffReader::read(QDir((*folder)->path()).filePath(name));
            SCOPESYNC_VERIFY_OK(back);
            QCOMPARE(back->image.width, 320);
            QCOMPARE(back->image.height, 180);
            QCOMPARE(back->image.bitDepth, 8);
            const QString xml = QString::fromUtf8(back->description);
            // The strobe engine drove the gpio-sim line and measured its edges.
            QVERIFY2(xml.contains(QRegularExpression(QStringLiteral("red on_ns=\\d+ off_ns=\\d+"))),
                qPrintable(xml));
            // Qt Multimedia reports no gain: the image says so instead of claiming one.
            QVERIFY2(xml.contains(QStringLiteral("<M K=\"analogue_gain\">unknown")), qPrintable(xml));
        }

        // vivid keeps its own exposure: calibrating its LED delay is refused before any light.
        core::calibration::RigDelayProbe probe(**rig, QStringLiteral("red"), 5ms);
        const auto refused = probe.start();
        QVERIFY(!refused.ok());
        qInfo() << "calibration:" << refused.error().toString();
        QVERIFY2(refused.error().message.contains(QStringLiteral("\"vivid\" keeps its own")),
            qPrintable(refused.error().toString()));
        QVERIFY(rig.value()->strobe().allLedsOff());
    }

    // The GUI's own path (RigController, as MainWindow drives it) on a Qt camera rig: the live preview
    // binned from vivid's frames, and a manual strobed capture saved as OME-TIFF with its manifest line.
    void theGuiPreviewsAndCapturesOnAQtCameraRig()
    {
        const auto chip = testing::findSimChip();
        if (!chip)
            QSKIP("no gpio-sim chip: this test runs inside the VM started by tests/vm/run_vm_tests.sh");
        const double fps = vividFps();
        QVERIFY(fps > 0);
        const auto read = core::acquisition::RigReader::readBytes(vividRigFile(chip->dev, fps));
        QVERIFY(read.rig);
        core::camera::CameraSettings settings = core::camera::CameraSettings::referenceRig();
        settings.shutter = 10ms;
        settings.framerateFps.reset();
        ui::RigController controller(
            [](const core::acquisition::RigDescription &rig, const core::camera::CameraSettings &s) {
                return hal::createRig(rig, s);
            });
        QSignalSpy opened(&controller, &ui::RigController::rigOpened);
        QSignalSpy failed(&controller, &ui::RigController::rigFailed);
        QSignalSpy errors(&controller, &ui::RigController::errorOccurred);
        controller.openRig(*read.rig, settings);
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty() || !failed.isEmpty(), 120000);
        QVERIFY2(
            failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.first().first().toString()));
        qInfo() << "opened:" << opened.first().first().toString();

        controller.setLive(true);
        std::shared_ptr<const ui::PreviewFrame> shown;
        QElapsedTimer waited;
        waited.start();
        const bool came
            = QTest::qWaitFor([&] { return (shown = controller.mailbox().take()) != nullptr; }, 120000);
        QVERIFY2(came,
            qPrintable(
                QStringLiteral("no preview frame in %1 s (live %2, frames posted %3); errors: %4")
                    .arg(double(waited.elapsed()) / 1000.0)
                    .arg(controller.isLive())
                    .arg(controller.mailbox().posted())
                    .arg(errors.isEmpty() ? QStringLiteral("none") : errors.first().at(1).toString())));
        QVERIFY(shown->full);
        QCOMPARE(shown->full->width, 320);
        QCOMPARE(shown->full->height, 180);
        QVERIFY(!shown->cameraPreview);  // a Qt camera has no second stream: binned in software
        QCOMPARE(shown->display.width, 320 / shown->bin);
        quint64 counted = 0;
        for (const quint32 c : shown->histogram)
            counted += c;
        QVERIFY(counted > 0);

        QTemporaryDir dir;
        QSignalSpy saved(&controller, &ui::RigController::manualCaptured);
        QSignalSpy flagged(&controller, &ui::RigController::manualFlagged);
        controller.captureManual(QStringLiteral("red"), 5ms, dir.path());
        QTRY_VERIFY_WITH_TIMEOUT(!saved.isEmpty() || !flagged.isEmpty() || !errors.isEmpty(), 120000);
        QVERIFY2(
            errors.isEmpty(), qPrintable(errors.isEmpty() ? QString() : errors.first().at(1).toString()));
        // Under an emulated CPU the LED's edges may come late: the take is then saved and flagged, never
        // passed off as good. Either way there is a file.
        const QString file
            = !saved.isEmpty() ? saved.first().first().toString() : flagged.first().first().toString();
        if (!flagged.isEmpty())
            qInfo() << "flagged:" << flagged.first().at(1).toStringList();
        auto back = core::storage::TiffReader::read(file);
        SCOPESYNC_VERIFY_OK(back);
        QCOMPARE(back->image.width, 320);
        QCOMPARE(back->image.bitDepth, 8);
        const QString xml = QString::fromUtf8(back->description);
        QVERIFY2(xml.contains(QStringLiteral("qt:vivid")), qPrintable(xml.left(600)));
        QVERIFY2(
            xml.contains(QRegularExpression(QStringLiteral("red on_ns=\\d+ off_ns=\\d+"))), qPrintable(xml));
        auto manifest = core::storage::ManifestReader::read(controller.manualFolder());
        QVERIFY(manifest.ok());
        QVERIFY(!manifest->entries.isEmpty());
        QVERIFY(file.endsWith(manifest->entries.last().file));
        controller.setLive(false);
    }

    // The same measurement on libcamera and vimc: the timing path of the Pi backend, for comparison.
    void libcameraIntervalErrorOnVimcForComparison()
    {
        auto cams = hal::libcamera::listCameras();
        if (!cams.ok() || cams.value().isEmpty())
            QSKIP("libcamera sees no camera (vimc)");
        hal::libcamera::LibcameraCameraConfig cc;
        cc.raw = true;  // vimc has no raw stream: the camera falls back to its processed one
        cc.width = 640;
        cc.height = 480;
        auto cam = hal::libcamera::LibcameraCamera::open(cc, core::camera::CameraSettings::referenceRig());
        SCOPESYNC_VERIFY_OK(cam);
        QVERIFY(cam.value()->start().ok());
        std::vector<MonoTime> stamps;
        for (int i = 0; i < 60; ++i) {
            auto f = cam.value()->waitFrame(20s);
            QVERIFY2(f.has_value(), qPrintable(QStringLiteral("no frame %1").arg(i)));
            stamps.push_back(f->sensorTimestamp);
        }
        cam.value()->stop();
        report("libcamera on vimc (640x480)", core::timing::intervalError(stamps));
    }

private:
    static void writeAndReadBack(const core::acquisition::CapturedFrame &f, const QString &camera)
    {
        core::storage::ImageRecord rec;
        rec.channelName = QStringLiteral("white");
        rec.label = QStringLiteral("qt-camera");
        rec.sensorId = QStringLiteral("qt:%1").arg(camera);
        rec.sensorMode = QStringLiteral("%1x%2").arg(f.image.width).arg(f.image.height);
        rec.frameTimestampNs = core::toNs(f.exposureStart);
        const QString path = QDir::temp().filePath(QStringLiteral("qt_camera_frame.ome.tif"));
        QFile::remove(path);
        auto written = core::storage::OmeTiffWriter().write(path, f.image, rec);
        SCOPESYNC_VERIFY_OK(written);
        auto back = core::storage::TiffReader::read(path);
        SCOPESYNC_VERIFY_OK(back);
        QCOMPARE(back->image.width, f.image.width);
        QCOMPARE(back->image.height, f.image.height);
        QCOMPARE(back->image.bitDepth, 8);
        QVERIFY(back->image.pixels == f.image.pixels);
        const QString xml = QString::fromUtf8(back->description);
        QVERIFY2(xml.contains(QStringLiteral("qt:vivid")), qPrintable(xml.left(400)));
        QVERIFY2(xml.contains(QStringLiteral("SignificantBits=\"8\"")), qPrintable(xml.left(400)));
    }
};

QTEST_GUILESS_MAIN(TestQtCamera)
#include "test_qt_camera.moc"
