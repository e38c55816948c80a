// Command-line tests: run the scopesync executable and check exit codes, messages and JSON output.
#include "core/acquisition/rig_description.h"
#include "core/storage/crc32.h"
#include "core/storage/manifest_reader.h"
#include "core/storage/run_folder.h"
#include "core/storage/tiff_reader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include "support/sanitizers.h"
#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace {

struct Ran {
    int exitCode = -1;
    QString out;
    QString err;
};

Ran runScopesync(const QStringList &args, int timeoutMs = 60000,
    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SCOPESYNC_BINARY), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject json(const Ran &r)
{
    QJsonParseError e {};
    const auto doc = QJsonDocument::fromJson(r.out.toUtf8(), &e);
    if (e.error != QJsonParseError::NoError)
        QTest::qFail(
            qPrintable(QStringLiteral("not JSON: %1\n%2").arg(e.errorString(), r.out)), __FILE__, __LINE__);
    return doc.object();
}

QString data(const QString &name)
{
    return QStringLiteral(SCOPESYNC_TEST_DATA_DIR "/") + name;
}
QString resource(const QString &name)
{
    return QStringLiteral(SCOPESYNC_RESOURCES_DIR "/") + name;
}

// Waits until the run's manifest lists at least `lines` images.
bool waitForImages(const QString &dir, int lines, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        QFile f(dir + QStringLiteral("/manifest.jsonl"));
        if (f.open(QIODevice::ReadOnly) && f.readAll().count('\n') >= lines)
            return true;
        QTest::qWait(50);
    }
    return false;
}

// Every image the manifest lists is complete: readable, the size and CRC the manifest recorded.
void verifyRunFolder(const QString &dir, int atLeast)
{
    auto m = scopesync::core::storage::ManifestReader::read(dir);
    QVERIFY2(m.ok(), m.ok() ? "" : qPrintable(m.error().toString()));
    QVERIFY2(m->entries.size() >= atLeast, qPrintable(QString::number(m->entries.size())));
    for (const auto &e : m->entries) {
        QFile f(dir + u'/' + e.file);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(e.file));
        const QByteArray bytes = f.readAll();
        QCOMPARE(qint64(bytes.size()), e.bytes);
        const quint32 crc = scopesync::core::storage::Crc32::of(bytes.constData(), std::size_t(bytes.size()));
        QCOMPARE(crc, e.crc32);
        auto img = scopesync::core::storage::TiffReader::parse(bytes, e.file);
        QVERIFY2(img.ok(), qPrintable(e.file));
        QCOMPARE(img->image.height, 3040);
    }
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SCOPESYNC_SKIP_UNDER_TSAN_WHEN_STARTING_PROCESSES(); }
    void versionAndHelp()
    {
        auto r = runScopesync({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("scopesync ")));
        r = runScopesync({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char *cmd : {"run", "timing", "validate"})
            QVERIFY2(r.out.contains(QLatin1String(cmd)), cmd);
        r = runScopesync({QStringLiteral("timing"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("--shutter-us")));
    }

    void usageErrorsExitWithTwo()
    {
        QCOMPARE(runScopesync({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(
            runScopesync({QStringLiteral("timing"), QStringLiteral("--sensor"), QStringLiteral("imx477")})
                .exitCode,
            2);
        QCOMPARE(runScopesync({QStringLiteral("timing"), QStringLiteral("--bogus")}).exitCode, 2);
        QCOMPARE(runScopesync({QStringLiteral("validate")}).exitCode, 2);
        QCOMPARE(runScopesync({QStringLiteral("validate"), QStringLiteral("a.json"), QStringLiteral("--mode"),
                                  QStringLiteral("4056x3040")})
                     .exitCode,
            2);
        QCOMPARE(runScopesync({QStringLiteral("run")}).exitCode, 2);
    }

    void timingReferenceRig()
    {
        const auto r = runScopesync({QStringLiteral("timing"), QStringLiteral("--sensor"),
            QStringLiteral("imx477"), QStringLiteral("--mode"), QStringLiteral("4056x3040"),
            QStringLiteral("--shutter-us"), QStringLiteral("250000"), QStringLiteral("--flash-ms"),
            QStringLiteral("150"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const auto o = json(r);
        QVERIFY(o[QStringLiteral("feasible")].toBool());
        QVERIFY(std::abs(o[QStringLiteral("window_start_ms")].toDouble() - 86.9) <= 0.1);
        QCOMPARE(o[QStringLiteral("window_end_ms")].toDouble(), 100.0);
        QVERIFY(std::abs(o[QStringLiteral("line_time_us")].toDouble() - 28.571) < 0.001);
        QVERIFY(std::abs(o[QStringLiteral("readout_ms")].toDouble() - 86.83) < 0.01);
    }

    void timingGlobalShutterStartsAtZero()
    {
        const auto r = runScopesync({QStringLiteral("timing"), QStringLiteral("--sensor"),
            QStringLiteral("imx296"), QStringLiteral("--mode"), QStringLiteral("1456x1088"),
            QStringLiteral("--shutter-us"), QStringLiteral("250000"), QStringLiteral("--flash-ms"),
            QStringLiteral("150"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const auto o = json(r);
        QCOMPARE(o[QStringLiteral("window_start_ms")].toDouble(), 0.0);
        QCOMPARE(o[QStringLiteral("window_end_ms")].toDouble(), 100.0);
    }

    void timingInfeasibleSaysTheFix()
    {
        auto r = runScopesync({QStringLiteral("timing"), QStringLiteral("--sensor"), QStringLiteral("imx477"),
            QStringLiteral("--mode"), QStringLiteral("4056x3040"), QStringLiteral("--shutter-us"),
            QStringLiteral("200000"), QStringLiteral("--flash-ms"), QStringLiteral("150"),
            QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const auto o = json(r);
        QVERIFY(!o[QStringLiteral("feasible")].toBool());
        QCOMPARE(o[QStringLiteral("min_shutter_us")].toDouble(), 236829.0);
        QVERIFY(std::abs(o[QStringLiteral("max_flash_ms")].toDouble() - 113.171) < 0.001);
        r = runScopesync({QStringLiteral("timing"), QStringLiteral("--sensor"), QStringLiteral("imx477"),
            QStringLiteral("--mode"), QStringLiteral("4056x3040"), QStringLiteral("--shutter-us"),
            QStringLiteral("200000"), QStringLiteral("--flash-ms"), QStringLiteral("150")});
        QVERIFY2(r.out.contains(QStringLiteral("at least 236829 µs")), qPrintable(r.out));
    }

    void timingBadValuesExitWithOne()
    {
        auto r = runScopesync({QStringLiteral("timing"), QStringLiteral("--sensor"), QStringLiteral("imx999"),
            QStringLiteral("--mode"), QStringLiteral("1x1"), QStringLiteral("--shutter-us"),
            QStringLiteral("1"), QStringLiteral("--flash-ms"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("imx477")), qPrintable(r.err));  // lists the known sensors
        r = runScopesync({QStringLiteral("timing"), QStringLiteral("--sensor"), QStringLiteral("imx477"),
            QStringLiteral("--mode"), QStringLiteral("640x480"), QStringLiteral("--shutter-us"),
            QStringLiteral("1"), QStringLiteral("--flash-ms"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("4056x3040")), qPrintable(r.err));
        r = runScopesync({QStringLiteral("timing"), QStringLiteral("--sensor"), QStringLiteral("imx477"),
            QStringLiteral("--mode"), QStringLiteral("4056x3040"), QStringLiteral("--shutter-us"),
            QStringLiteral("fast"), QStringLiteral("--flash-ms"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("--shutter-us")), qPrintable(r.err));
    }

    void validateGoodProtocolJson()
    {
        const auto r = runScopesync({QStringLiteral("validate"),
            resource(QStringLiteral("protocols/quick_demo.json")), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const auto o = json(r);
        QVERIFY(o[QStringLiteral("ok")].toBool());
        QCOMPARE(o[QStringLiteral("frames")].toInt(), 7);
        QVERIFY(o[QStringLiteral("duration_s")].toDouble() > 1.0);
        QVERIFY(o[QStringLiteral("errors")].toArray().isEmpty());
    }

    void validate454MatchesItsNativeTwin()
    {
        const auto a = json(runScopesync({QStringLiteral("validate"),
            resource(QStringLiteral("protocols/four_colour_two_cycles.json")), QStringLiteral("--json")}));
        const auto b = json(runScopesync({QStringLiteral("validate"),
            resource(QStringLiteral("protocols/four_colour_two_cycles.454sp.json")),
            QStringLiteral("--json")}));
        QVERIFY(a[QStringLiteral("ok")].toBool());
        QVERIFY(b[QStringLiteral("ok")].toBool());
        QCOMPARE(a[QStringLiteral("frames")], b[QStringLiteral("frames")]);
        QCOMPARE(a[QStringLiteral("duration_s")], b[QStringLiteral("duration_s")]);
    }

    void validateBadFilesExitWithOneAndNameThePath()
    {
        QTemporaryDir tmp;
        const QString notJson = tmp.filePath(QStringLiteral("bad.json"));
        QFile f(notJson);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\n  \"format\": \"scopesync-protocol\",\n  oops\n}");
        f.close();
        auto r = runScopesync({QStringLiteral("validate"), notJson, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        auto o = json(r);
        QVERIFY(!o[QStringLiteral("ok")].toBool());
        QVERIFY2(o[QStringLiteral("errors")]
                     .toArray()
                     .first()
                     .toObject()[QStringLiteral("message")]
                     .toString()
                     .contains(QStringLiteral("line 3")),
            qPrintable(r.out));

        r = runScopesync({QStringLiteral("validate"), tmp.filePath(QStringLiteral("missing.json"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("missing.json")), qPrintable(r.err));

        // An LED the rig does not have, and a bad camera config line: both reported, each with its place.
        const QString proto = tmp.filePath(QStringLiteral("violet.json"));
        QFile p(proto);
        QVERIFY(p.open(QIODevice::WriteOnly));
        p.write(R"({"format": "scopesync-protocol", "version": 1, "name": "v", "steps": [
            {"type": "image", "label": "405", "flashes": [{"led": "violet", "duration_ms": 50}]}]})");
        p.close();
        const QString cfg = tmp.filePath(QStringLiteral("cam.txt"));
        QFile c(cfg);
        QVERIFY(c.open(QIODevice::WriteOnly));
        c.write("shutter=250000\ndenoise=fast\n");
        c.close();
        r = runScopesync({QStringLiteral("validate"), proto, QStringLiteral("--camera-config"), cfg,
            QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        o = json(r);
        QStringList paths;
        for (const auto &e : o[QStringLiteral("errors")].toArray())
            paths << e.toObject()[QStringLiteral("path")].toString();
        QVERIFY2(paths.contains(QStringLiteral("$.steps[0].flashes[0].led"))
                || paths.contains(QStringLiteral("$.steps[0].flashes[0]")),
            qPrintable(paths.join(u',')));
        QVERIFY2(paths.contains(QStringLiteral("line 2")), qPrintable(paths.join(u',')));
    }

    // `gui --help` answers without a display (no platform plugin is started for it).
    void guiHelpNeedsNoDisplay()
    {
        auto env = QProcessEnvironment::systemEnvironment();
        for (const char *v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QLatin1String(v));
        const auto r = runScopesync({QStringLiteral("gui"), QStringLiteral("--help")}, 20000, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("--rig")), qPrintable(r.out));
    }

    // A rig file that is a device is refused at once, not read until memory runs out.
    void deviceAsRigFileIsRefused()
    {
        if (!QFileInfo::exists(QStringLiteral("/dev/zero")))
            QSKIP("this system has no /dev/zero to stand for an endless device");
        const auto r
            = runScopesync({QStringLiteral("validate"), resource(QStringLiteral("protocols/quick_demo.json")),
                               QStringLiteral("--rig"), QStringLiteral("/dev/zero")},
                20000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("character device")), qPrintable(r.err));
    }

    // The GUI started with a saved rig choice that is a device reports it and exits, instead of hanging.
    void guiWithADeviceAsSavedRigExits()
    {
        if (!QFileInfo::exists(QStringLiteral("/dev/zero")))
            QSKIP("this system has no /dev/zero to stand for an endless device");
        QTemporaryDir xdg;
        QDir().mkpath(xdg.filePath(QStringLiteral("ScopeSync")));
        QFile conf(xdg.filePath(QStringLiteral("ScopeSync/scopesync.conf")));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("[rig]\nchoice=/dev/zero\n");
        conf.close();
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), xdg.path());
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        const auto r = runScopesync({QStringLiteral("gui")}, 20000, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("character device")), qPrintable(r.err));
    }

    // A rig chosen by a relative path is remembered by its absolute one: the next start may be elsewhere.
    void guiRemembersTheRigFileAbsolutely()
    {
        QTemporaryDir tmp;
        QFile rig(tmp.filePath(QStringLiteral("bench-rig.json")));
        QVERIFY(rig.open(QIODevice::WriteOnly));
        rig.write(R"({"backend": "sim", "sensor": "imx477", "mode": "2028x1520", "trigger": "xvs-sink",
                   "lines": {"xvs": 6, "leds": {"red": 16}}, "delay_us": 93000})");
        rig.close();
        QTemporaryDir xdg;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), xdg.path());
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(tmp.path());
        p.start(QStringLiteral(SCOPESYNC_BINARY),
            {QStringLiteral("gui"), QStringLiteral("--rig"), QStringLiteral("bench-rig.json"),
                QStringLiteral("--screenshot"), tmp.filePath(QStringLiteral("shot.png")),
                QStringLiteral("--frames"), QStringLiteral("1")});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QSettings saved(xdg.filePath(QStringLiteral("ScopeSync/scopesync.conf")), QSettings::IniFormat);
        QCOMPARE(saved.value(QStringLiteral("rig/choice")).toString(),
            tmp.filePath(QStringLiteral("bench-rig.json")));
    }

    // A protocol from a pipe (what <(…) gives) is read once: the copy in inputs/ holds the bytes that ran.
    void protocolFromAPipeIsKeptInInputs()
    {
        QTemporaryDir tmp;
        const QString fifo = tmp.filePath(QStringLiteral("piped.json"));
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        QFile src(resource(QStringLiteral("protocols/quick_demo.json")));
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray bytes = src.readAll();
        std::thread writer([&] {
            QFile w(fifo);
            if (w.open(QIODevice::WriteOnly))
                w.write(bytes);
        });
        const QString dir = tmp.filePath(QStringLiteral("run"));
        const auto r = runScopesync({QStringLiteral("run"), fifo, QStringLiteral("--rig"),
                                        QStringLiteral("sim"), QStringLiteral("--out"), dir},
            60000);
        // A writer still waiting for a reader (the run died before opening the pipe) is released;
        // a non-blocking open never waits itself.
        if (const int fd = ::open(QFile::encodeName(fifo).constData(), O_RDONLY | O_NONBLOCK); fd >= 0)
            ::close(fd);
        writer.join();
        QVERIFY2(r.exitCode == 0, qPrintable(r.err.right(1500)));
        QFile copy(dir + QStringLiteral("/inputs/piped.json"));
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.readAll(), bytes);
    }

    // A run that cannot fit on the disk is refused before its folder exists.
    void notEnoughSpaceLeavesNoFolder()
    {
        QTemporaryDir tmp;
        const QString proto = tmp.filePath(QStringLiteral("huge.json"));
        QFile p(proto);
        QVERIFY(p.open(QIODevice::WriteOnly));
        p.write(R"({"format": "scopesync-protocol", "version": 1, "name": "huge", "steps": [
            {"type": "group", "label": "many", "iterations": 1000000, "steps": [
              {"type": "image", "label": "645", "flashes": [{"led": "red", "duration_ms": 50}]}]}]})");
        p.close();
        const qint64 needed
            = qint64(1000000) * scopesync::core::storage::RunFolder::estimatedImageBytes(4056, 3040);
        const auto free = scopesync::core::storage::RunFolder::freeBytes(tmp.path());
        QVERIFY(free.ok());
        if (*free >= needed)
            QSKIP("this disk holds a million full-resolution images; the refusal cannot be provoked");
        const QString dir = tmp.filePath(QStringLiteral("run"));
        const auto r = runScopesync({QStringLiteral("run"), proto, QStringLiteral("--rig"),
            QStringLiteral("sim"), QStringLiteral("--out"), dir});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("Not enough disk space")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("nothing was started")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir));
    }

    // Control characters in a label reach the terminal escaped, never as a live escape sequence.
    void controlCharactersInLabelsAreEscaped()
    {
        QTemporaryDir tmp;
        const QString proto = tmp.filePath(QStringLiteral("ansi.json"));
        QFile p(proto);
        QVERIFY(p.open(QIODevice::WriteOnly));
        p.write(R"({"format": "scopesync-protocol", "version": 1, "name": "ansi", "steps": [
            {"type": "image", "label": "[31mred]0;title", "flashes": [{"led": "red", "duration_ms": 50}]}]})");
        p.close();
        const QString dir = tmp.filePath(QStringLiteral("run"));
        const auto r = runScopesync({QStringLiteral("run"), proto, QStringLiteral("--rig"),
            QStringLiteral("sim"), QStringLiteral("--out"), dir});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("\\x1b[31mred")), qPrintable(r.err));
        for (const QString &text : {r.out, r.err})
            for (const QChar c : text)
                QVERIFY2(c.unicode() >= 0x20 || c == u'\n' || c == u'\t',
                    qPrintable(QStringLiteral("control character %1 printed").arg(int(c.unicode()))));
    }

    // A label too long for a file name is accepted, with a warning that the file names are cut.
    void longLabelsAreWarnedAbout()
    {
        QTemporaryDir tmp;
        const QString proto = tmp.filePath(QStringLiteral("long.json"));
        QFile p(proto);
        QVERIFY(p.open(QIODevice::WriteOnly));
        p.write(R"({"format": "scopesync-protocol", "version": 1, "name": "long", "steps": [
            {"type": "image", "label": ")"
            + QByteArray(300, 'x') + R"(", "flashes": [{"led": "red", "duration_ms": 50}]}]})");
        p.close();
        const auto r = runScopesync(
            {QStringLiteral("validate"), proto, QStringLiteral("--rig"), QStringLiteral("sim")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(
            r.err.contains(QStringLiteral("warning: $.steps[0].label: the label is 300 characters long")),
            qPrintable(r.err));
    }

    // One error is "1 error".
    void rigImportReadsBothLegacySchemas()
    {
        QTemporaryDir tmp;
        // Schema 4 (steppers, NTC through an ADS1115) as a Pi rig: every device kept, with its lines.
        const QString pi4 = tmp.filePath(QStringLiteral("pi4.json"));
        auto r = runScopesync({QStringLiteral("rig"), QStringLiteral("import"),
            data(QStringLiteral("rigs/legacy_454_schema4.json")), QStringLiteral("-o"), pi4});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("imx477")), qPrintable(r.err));  // the assumed camera is said
        auto rig = scopesync::core::acquisition::RigReader::readFile(pi4);
        QVERIFY(rig.rig);
        QCOMPARE(rig.rig->backend, QStringLiteral("pi"));
        QCOMPARE(rig.rig->filterWheel->kind, QStringLiteral("stepper"));
        QCOMPARE(rig.rig->filterWheel->order.first(), QStringLiteral("no_filter"));
        QCOMPARE(rig.rig->filterWheel->stepper.homeSteps, -380);
        QCOMPARE(rig.rig->focus->perFilter.value(QStringLiteral("blue")), -1800);
        QCOMPARE(rig.rig->heater->sensor.kind, QStringLiteral("ntc-ads1115"));
        QCOMPARE(rig.rig->heater->sensor.ntcBetaKelvin, 3950.0);
        QCOMPARE(rig.rig->heater->maxPerMille, 600);

        // Schema 3 (servo wheel, DS18B20): the servo's pin is not in the file, so it must be given.
        r = runScopesync({QStringLiteral("rig"), QStringLiteral("import"),
            data(QStringLiteral("rigs/legacy_454_schema3.json"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("--servo-line")), qPrintable(r.err));
        r = runScopesync({QStringLiteral("rig"), QStringLiteral("import"),
            data(QStringLiteral("rigs/legacy_454_schema3.json")), QStringLiteral("--servo-line"),
            QStringLiteral("12")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(
            r.err.contains(QStringLiteral("fan_gpio_pins")), qPrintable(r.err));  // unknown keys are reported
        QVERIFY(r.out.contains(QStringLiteral("\"ganged\"")));

        // As a simulated rig, the imported instrument runs a protocol through its filters.
        const QString sim3 = tmp.filePath(QStringLiteral("sim3.json"));
        r = runScopesync({QStringLiteral("rig"), QStringLiteral("import"),
            data(QStringLiteral("rigs/legacy_454_schema3.json")), QStringLiteral("--sim"),
            QStringLiteral("-o"), sim3});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString proto = tmp.filePath(QStringLiteral("p.json"));
        QFile p(proto);
        QVERIFY(p.open(QIODevice::WriteOnly));
        p.write(R"({"format": "scopesync-protocol", "version": 1, "name": "imported", "steps": [
            {"type": "image", "label": "645", "filter": "red", "flashes": [{"led": "red", "duration_ms": 50}]},
            {"type": "image", "label": "445", "filter": "blue", "flashes": [{"led": "blue", "duration_ms": 50}]}]})");
        p.close();
        r = runScopesync({QStringLiteral("run"), proto, QStringLiteral("--rig"), sim3,
                             QStringLiteral("--out"), tmp.filePath(QStringLiteral("run"))},
            120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("filter \u2192 blue"))
                || r.err.contains(QStringLiteral("filter → blue")),
            qPrintable(r.err));
        // And a second import never overwrites a rig file.
        r = runScopesync({QStringLiteral("rig"), QStringLiteral("import"),
            data(QStringLiteral("rigs/legacy_454_schema3.json")), QStringLiteral("--sim"),
            QStringLiteral("-o"), sim3});
        QCOMPARE(r.exitCode, 1);
    }

    void validateCountsInTheSingular()
    {
        QTemporaryDir tmp;
        const QString proto = tmp.filePath(QStringLiteral("violet.json"));
        QFile p(proto);
        QVERIFY(p.open(QIODevice::WriteOnly));
        p.write(R"({"format": "scopesync-protocol", "version": 1, "name": "v", "steps": [
            {"type": "image", "label": "405", "flashes": [{"led": "violet", "duration_ms": 50}]}]})");
        p.close();
        const auto r = runScopesync(
            {QStringLiteral("validate"), proto, QStringLiteral("--rig"), QStringLiteral("sim")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("(1 error)")), qPrintable(r.err));

        const QString one = tmp.filePath(QStringLiteral("one.json"));
        QFile o(one);
        QVERIFY(o.open(QIODevice::WriteOnly));
        o.write(R"({"format": "scopesync-protocol", "version": 1, "name": "one", "steps": [
            {"type": "image", "label": "645", "flashes": [{"led": "red", "duration_ms": 50}]}]})");
        o.close();
        const auto ok
            = runScopesync({QStringLiteral("validate"), one, QStringLiteral("--rig"), QStringLiteral("sim")});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY2(ok.out.contains(QStringLiteral("valid — 1 image,")), qPrintable(ok.out));
    }

    void runRefusesBadRigFile()
    {
        QTemporaryDir tmp;
        const QString rig = tmp.filePath(QStringLiteral("rig.json"));
        QFile f(rig);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"backend": "sim", "sensor": "imx477", "mode": "4056x3040", "trigger": "xvs-sink",
                   "lines": {"xvs": 6, "leds": {"red": 16, "green": 16}}, "delay_us": -5})");
        f.close();
        const auto r
            = runScopesync({QStringLiteral("run"), resource(QStringLiteral("protocols/quick_demo.json")),
                QStringLiteral("--rig"), rig, QStringLiteral("--out"), tmp.filePath(QStringLiteral("run"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("$.delay_us")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("BCM 16 is used twice")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("run"))));
    }

    // A flash cut short (here to the rig's LED safety limit) is flagged and retaken; --strict makes it an
    // error after the run, with every image kept.
    void strictRefusesADoseError()
    {
        QTemporaryDir tmp;
        const QString rig = tmp.filePath(QStringLiteral("rig.json"));
        QFile f(rig);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"backend": "sim", "sensor": "imx477", "mode": "2028x1520", "trigger": "xvs-sink",
                   "lines": {"xvs": 6, "leds": {"red": 16}}, "delay_us": 93000, "led_max_on_ms": 100})");
        f.close();
        const QString protocol = data(QStringLiteral("integration/one_flash_150ms.json"));
        const auto lenient = runScopesync(
            {QStringLiteral("run"), protocol, QStringLiteral("--rig"), rig, QStringLiteral("--retakes"),
                QStringLiteral("1"), QStringLiteral("--out"), tmp.filePath(QStringLiteral("lenient"))});
        QCOMPARE(lenient.exitCode, 0);
        QVERIFY2(lenient.err.contains(
                     QStringLiteral("longer than the rig's safety limit for it (led_max_on_ms 100)")),
            qPrintable(lenient.err));
        QVERIFY2(lenient.err.contains(QStringLiteral("DOSE ERRORS: 2 image(s) flagged, 1 retake(s) saved")),
            qPrintable(lenient.err));
        const auto strict = runScopesync({QStringLiteral("run"), protocol, QStringLiteral("--rig"), rig,
            QStringLiteral("--retakes"), QStringLiteral("0"), QStringLiteral("--strict"),
            QStringLiteral("--out"), tmp.filePath(QStringLiteral("strict"))});
        QCOMPARE(strict.exitCode, 4);
        QVERIFY2(strict.err.contains(QStringLiteral("--strict: 1 image(s)")), qPrintable(strict.err));
        auto m = scopesync::core::storage::ManifestReader::read(tmp.filePath(QStringLiteral("strict")));
        QVERIFY(m.ok());
        QCOMPARE(m->entries.size(), 1);
        QVERIFY(!m->entries.first().doseProblems.isEmpty());
        const auto bad = runScopesync({QStringLiteral("run"), protocol, QStringLiteral("--retakes"),
            QStringLiteral("-1"), QStringLiteral("--rig"), QStringLiteral("sim")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("--retakes")), qPrintable(bad.err));
    }

    // Camera sync is for free-running cameras; a wrong role or a driven trigger names the field and the fix.
    void cameraSyncInARigFile()
    {
        QTemporaryDir tmp;
        const auto rigWith = [&](const QString &name, const char *trigger, const char *sync) {
            const QString path = tmp.filePath(name);
            QFile f(path);
            if (f.open(QIODevice::WriteOnly))
                f.write(QStringLiteral(R"({"backend": "sim", "sensor": "imx477", "mode": "2028x1520",
                    "trigger": "%1", "camera_sync": "%2", "lines": {"xvs": 6, "leds": {"red": 16, "green": 20, "blue": 21, "uv": 18}}})")
                            .arg(QLatin1String(trigger), QLatin1String(sync))
                            .toUtf8());
            return path;
        };
        const QString protocol = resource(QStringLiteral("protocols/fleet_demo.json"));
        const auto ok = runScopesync({QStringLiteral("validate"), protocol, QStringLiteral("--rig"),
            rigWith(QStringLiteral("ok.json"), "free-run", "client")});
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.err));
        const auto driven = runScopesync({QStringLiteral("validate"), protocol, QStringLiteral("--rig"),
            rigWith(QStringLiteral("driven.json"), "xvs-source", "server")});
        QCOMPARE(driven.exitCode, 1);
        QVERIFY2(driven.err.contains(QStringLiteral("$.camera_sync"))
                && driven.err.contains(QStringLiteral("free-run")),
            qPrintable(driven.err));
        const auto role = runScopesync({QStringLiteral("validate"), protocol, QStringLiteral("--rig"),
            rigWith(QStringLiteral("role.json"), "free-run", "leader")});
        QCOMPARE(role.exitCode, 1);
        QVERIFY2(role.err.contains(QStringLiteral("use off, server or client")), qPrintable(role.err));
    }

    // SIGTERM mid-run: LEDs off, the run stops cleanly, every saved image stays valid and listed.
    void sigtermStopsCleanly()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("run"));
        QProcess p;
        p.start(QStringLiteral(SCOPESYNC_BINARY),
            {QStringLiteral("run"), data(QStringLiteral("integration/long_run.json")),
                QStringLiteral("--out"), dir});
        QVERIFY(p.waitForStarted());
        QVERIFY2(waitForImages(dir, 2, 60000), "the run saved no images");
        ::kill(pid_t(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 3);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("SIGTERM")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("LEDs off")), qPrintable(err));
        QFile s(dir + QStringLiteral("/summary.json"));
        QVERIFY(s.open(QIODevice::ReadOnly));
        const auto summary = QJsonDocument::fromJson(s.readAll()).object();
        QCOMPARE(summary[QStringLiteral("status")].toString(), QStringLiteral("stopped"));
        QVERIFY(summary[QStringLiteral("leds_off_at_end")].toBool());
        verifyRunFolder(dir, 2);
        QCOMPARE(summary[QStringLiteral("images_saved")].toInt(),
            int(scopesync::core::storage::ManifestReader::read(dir)->firstTakes().size()));
    }

    // SIGKILL mid-run: no chance to clean up, yet every listed image is complete and the manifest readable.
    void sigkillLeavesEveryListedImageComplete()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("run"));
        QProcess p;
        p.start(QStringLiteral(SCOPESYNC_BINARY),
            {QStringLiteral("run"), data(QStringLiteral("integration/long_run.json")),
                QStringLiteral("--out"), dir});
        QVERIFY(p.waitForStarted());
        QVERIFY2(waitForImages(dir, 3, 60000), "the run saved no images");
        QTest::qWait(137);  // land somewhere inside the next image's write
        ::kill(pid_t(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        verifyRunFolder(dir, 3);
    }

    // SIGKILL while the capture waits for room in the writer's queue (a disk far slower than the camera, even
    // a camera slowed down by a sanitizer build):
    // every listed image is still complete, and the images queued but not yet written are simply absent.
    void sigkillWithTheWriterQueueFullLeavesEveryListedImageComplete()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("run"));
        QProcess p;
        p.start(QStringLiteral(SCOPESYNC_BINARY),
            {QStringLiteral("run"), data(QStringLiteral("integration/long_run.json")),
                QStringLiteral("--out"), dir, QStringLiteral("--debug-slow-disk-ms"),
                QStringLiteral("3000")});
        QVERIFY(p.waitForStarted());
        QByteArray err;
        QElapsedTimer t;
        t.start();
        while (
            !err.contains("waiting for the disk") && t.elapsed() < 120000 && p.state() == QProcess::Running) {
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
        }
        QVERIFY2(err.contains("waiting for the disk"), err.right(2000).constData());
        QVERIFY2(waitForImages(dir, 2, 60000), "the run saved no images");
        QTest::qWait(353);  // land somewhere inside an image's write
        ::kill(pid_t(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        verifyRunFolder(dir, 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
