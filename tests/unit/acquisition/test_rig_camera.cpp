// Unit tests for the rig file's "camera" object: a Qt Multimedia camera named by device, its size, frame
// rate and readout turned into the timing model every run and plan uses; the mistakes a user can make
// named by their field; and the description written back reading as it was.
#include "core/acquisition/rig_description.h"
#include "core/acquisition/rig_timing.h"
#include "core/protocol/protocol_reader.h"
#include "core/protocol/protocol_validator.h"
#include "core/timing/exposure_model.h"

#include <QDir>
#include <QJsonDocument>
#include <QTest>

using namespace scopesync::core;
using namespace scopesync::core::acquisition;
using namespace std::chrono_literals;

namespace {

QByteArray qtRig(const QByteArray &camera, const QByteArray &extra = {})
{
    return R"({"version": 1, "backend": "pi", "name": "usb bench", "camera": )" + camera
        + R"(, "lines": {"chip": "gpiochip0", "leds": {"red": 16}})" + extra + "}";
}

const QByteArray kCamera = R"({"backend": "qt", "device": "HD USB Camera", "mode": "1280x720",
    "fps": 30, "readout_ms": 20})";

// The diagnostics at `path`, as text, for QVERIFY2 messages.
QStringList at(const RigReadResult &r, const QString &path, Severity severity)
{
    QStringList out;
    for (const auto &d : r.diagnostics.all())
        if (d.path == path && d.severity == severity)
            out << d.message;
    return out;
}

QString all(const RigReadResult &r)
{
    QStringList out;
    for (const auto &d : r.diagnostics.all())
        out << d.toString();
    return out.join(u'\n');
}

}  // namespace

class TestRigCamera : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aQtCameraBecomesTheRigsTimingModel()
    {
        const auto r = RigReader::readBytes(qtRig(kCamera));
        QVERIFY2(r.rig, qPrintable(all(r)));
        const RigDescription &rig = *r.rig;
        QVERIFY(rig.camera.isQt());
        QCOMPARE(rig.camera.device, QStringLiteral("HD USB Camera"));
        QCOMPARE(rig.camera.fps, 30.0);
        QCOMPARE(rig.camera.readout, std::optional(20000us));
        QCOMPARE(rig.sensor, QStringLiteral("qt:HD USB Camera"));
        QCOMPARE(rig.modeWidth, 1280);
        QCOMPARE(rig.modeHeight, 720);
        // No trigger wire reaches it: free-run without being told.
        QCOMPARE(rig.trigger, TriggerMode::FreeRun);

        const auto *sensor = rig.sensorInfo();
        const auto *mode = rig.sensorMode();
        QVERIFY(sensor && mode);
        QVERIFY(sensor->camera.contains(QStringLiteral("HD USB Camera")));
        QVERIFY(
            !sensor->triggers.xvsSource && !sensor->triggers.xvsSink && !sensor->triggers.externalSnapshot);
        QCOMPARE(sensor->shutter, timing::ShutterType::Rolling);
        QCOMPARE(mode->maxFps, 30.0);
        QVERIFY(std::abs(mode->readout().count() - 20000.0) < 1e-6);

        // The frame period is the camera's 1/30 s as long as the exposure fits in it.
        camera::CameraSettings settings;
        settings.shutter = 10'000us;
        QCOMPARE(rigFramePeriod(rig, settings), std::chrono::nanoseconds(33'333'333));
        // Every row exposes together from the last row's start (20 ms) to the first row's end (10 ms):
        // never, with a 10 ms exposure; from 20 ms to 30 ms with a 30 ms one.
        const timing::ExposureModel shortExposure(sensor->shutter, *mode, timing::Micros(10'000));
        QVERIFY(shortExposure.rowWindow(mode->height - 1).start > shortExposure.rowWindow(0).end);
        const timing::ExposureModel longExposure(sensor->shutter, *mode, timing::Micros(30'000));
        QVERIFY(std::abs(longExposure.rowWindow(mode->height - 1).start.count() - 20'000.0) < 1.0);
        QVERIFY(std::abs(longExposure.rowWindow(0).end.count() - 30'000.0) < 1.0);
    }

    void anUnknownReadoutIsTakenAsTheWholeFrame()
    {
        const auto r = RigReader::readBytes(
            qtRig(R"({"backend": "qt", "device": "vivid", "mode": "320x180", "fps": 50})"));
        QVERIFY2(r.rig, qPrintable(all(r)));
        QVERIFY(!r.rig->camera.readout);
        const auto *mode = r.rig->sensorMode();
        QVERIFY(mode);
        QVERIFY(std::abs(mode->readout().count() - 20'000.0) < 1e-6);
        QVERIFY2(mode->source.contains(QStringLiteral("readout_ms")), qPrintable(mode->source));
    }

    // With the whole frame assumed for the readout, no moment has every row exposing: a flash is refused
    // before the run, while an illumination step (the LED on for whole frames) is not.
    void withoutAReadoutOnlyIlluminationSteps_data()
    {
        QTest::addColumn<QByteArray>("steps");
        QTest::addColumn<bool>("refused");
        QTest::newRow("a flash") << QByteArray(
            R"([{"type": "image", "flashes": [{"led": "red", "duration_ms": 5}]}])")
                                 << true;
        QTest::newRow("an illumination step")
            << QByteArray(R"([{"type": "illuminate", "flashes": [{"led": "red"}], "duration_ms": 500}])")
            << false;
    }

    void withoutAReadoutOnlyIlluminationSteps()
    {
        QFETCH(QByteArray, steps);
        QFETCH(bool, refused);
        const auto r = RigReader::readBytes(
            qtRig(R"({"backend": "qt", "device": "vivid", "mode": "320x180", "fps": 50})"));
        QVERIFY(r.rig);
        camera::CameraSettings settings;
        settings.shutter = 15'000us;
        const auto p = protocol::ProtocolReader::readBytes(
            R"({"format": "scopesync-protocol", "version": 1, "name": "p", "steps": )" + steps + "}");
        QVERIFY(p.protocol);
        const Diagnostics d = protocol::validateProtocol(*p.protocol, rigValidationContext(*r.rig, settings));
        QStringList text;
        for (const auto &x : d.all())
            text << x.toString();
        QVERIFY2(d.hasErrors() == refused, qPrintable(text.join(u'\n')));
    }

    void mistakesAreNamedByTheirField_data()
    {
        QTest::addColumn<QByteArray>("rig");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("says");
        const QByteArray simRig = R"({"backend": "sim", "camera": )" + kCamera + "}";
        QTest::newRow("a simulated rig") << simRig << "$.backend"
                                         << "needs real LED lines";
        QTest::newRow("no device") << qtRig(R"({"backend": "qt", "mode": "640x480", "fps": 30})")
                                   << "$.camera.device"
                                   << "doctor";
        QTest::newRow("no mode") << qtRig(R"({"backend": "qt", "device": "vivid", "fps": 30})")
                                 << "$.camera.mode"
                                 << "1280x720";
        QTest::newRow("no fps") << qtRig(R"({"backend": "qt", "device": "vivid", "mode": "640x480"})")
                                << "$.camera.fps"
                                << "frame rate";
        QTest::newRow("a bad size") << qtRig(
            R"({"backend": "qt", "device": "vivid", "mode": "640 by 480", "fps": 30})")
                                    << "$.camera.mode"
                                    << "WIDTHxHEIGHT";
        QTest::newRow("a readout longer than a frame")
            << qtRig(R"({"backend": "qt", "device": "vivid", "mode": "640x480", "fps": 30,
                         "readout_ms": 40})")
            << "$.camera.readout_ms"
            << "longer than a frame";
        QTest::newRow("an unknown camera backend")
            << qtRig(R"({"backend": "v4l2", "device": "vivid", "mode": "640x480", "fps": 30})")
            << "$.camera.backend"
            << "\"qt\"";
        QTest::newRow("a trigger wire") << qtRig(kCamera, R"(, "trigger": "xvs-sink")") << "$.trigger"
                                        << "use free-run";
        QTest::newRow("camera sync") << qtRig(kCamera, R"(, "camera_sync": "server")") << "$.camera_sync"
                                     << "remove";
    }

    void mistakesAreNamedByTheirField()
    {
        QFETCH(QByteArray, rig);
        QFETCH(QString, path);
        QFETCH(QString, says);
        const auto r = RigReader::readBytes(rig);
        QVERIFY(!r.rig);
        const QStringList errors = at(r, path, Severity::Error);
        QVERIFY2(!errors.isEmpty(), qPrintable(all(r)));
        QVERIFY2(errors.join(u'\n').contains(says), qPrintable(all(r)));
    }

    void theRootsSensorAndModeAreIgnoredAndSaid()
    {
        const auto r = RigReader::readBytes(qtRig(kCamera, R"(, "sensor": "imx477", "mode": "4056x3040")"));
        QVERIFY2(r.rig, qPrintable(all(r)));
        QCOMPARE(r.rig->modeWidth, 1280);
        QCOMPARE(r.rig->sensor, QStringLiteral("qt:HD USB Camera"));
        QVERIFY2(!at(r, QStringLiteral("$.sensor"), Severity::Warning).isEmpty(), qPrintable(all(r)));
        QVERIFY2(!at(r, QStringLiteral("$.mode"), Severity::Warning).isEmpty(), qPrintable(all(r)));
    }

    void aLibcameraRigIsUnchanged()
    {
        const auto r = RigReader::readBytes(R"({"backend": "pi", "sensor": "imx477", "mode": "2028x1520",
            "camera": {"device": "HD USB Camera"}, "lines": {"xvs": 6, "leds": {"red": 16}}})");
        QVERIFY2(r.rig, qPrintable(all(r)));
        QVERIFY(!r.rig->camera.isQt());
        QVERIFY(!r.rig->describedSensor);
        QCOMPARE(r.rig->trigger, TriggerMode::XvsSink);
        QCOMPARE(r.rig->sensorInfo()->id, QStringLiteral("imx477"));
        // A Qt camera's key without "backend": "qt" says how to ask for one.
        const QStringList w = at(r, QStringLiteral("$.camera.device"), Severity::Warning);
        QVERIFY2(!w.isEmpty() && w.first().contains(QStringLiteral("\"qt\"")), qPrintable(all(r)));
        QVERIFY(!r.rig->toJson().contains(QStringLiteral("camera")));
    }

    // The rig files shipped as examples read without a warning, the USB-camera one among them.
    void theExampleRigFilesRead()
    {
        const QDir rigs(QStringLiteral(SCOPESYNC_RESOURCES_DIR "/rigs"));
        const QStringList files = rigs.entryList({QStringLiteral("*.json")}, QDir::Files);
        QVERIFY(files.contains(QStringLiteral("usb-camera-pi.json")));
        for (const QString &name : files) {
            const auto r = RigReader::readFile(rigs.filePath(name));
            QVERIFY2(r.rig, qPrintable(name + u'\n' + all(r)));
            for (const auto &d : r.diagnostics.all())
                QVERIFY2(d.severity != Severity::Warning, qPrintable(name + u' ' + d.toString()));
        }
        const auto usb = RigReader::readFile(rigs.filePath(QStringLiteral("usb-camera-pi.json")));
        QVERIFY(usb.rig && usb.rig->camera.isQt());
    }

    void theDescriptionWrittenBackReadsTheSame()
    {
        const auto first = RigReader::readBytes(qtRig(kCamera));
        QVERIFY(first.rig);
        const QJsonObject json = first.rig->toJson();
        QVERIFY(!json.contains(QStringLiteral("sensor")));
        QVERIFY(!json.contains(QStringLiteral("mode")));
        const auto again = RigReader::readBytes(QJsonDocument(json).toJson());
        QVERIFY2(again.rig, qPrintable(all(again)));
        for (const auto &d : again.diagnostics.all())
            QVERIFY2(d.severity != Severity::Warning, qPrintable(d.toString()));
        QCOMPARE(again.rig->camera.device, first.rig->camera.device);
        QCOMPARE(again.rig->camera.fps, first.rig->camera.fps);
        QCOMPARE(again.rig->camera.readout, first.rig->camera.readout);
        QCOMPARE(again.rig->modeWidth, 1280);
        QCOMPARE(again.rig->modeHeight, 720);
        QCOMPARE(again.rig->trigger, TriggerMode::FreeRun);
    }
};

QTEST_GUILESS_MAIN(TestRigCamera)
#include "test_rig_camera.moc"
