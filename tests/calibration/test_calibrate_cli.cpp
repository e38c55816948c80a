// `scopesync calibrate` from the command line: --json on the simulated rig, the infeasible explanation.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "support/sanitizers.h"

namespace {

struct Ran {
    int exitCode = -1;
    QString out;
    QString err;
};

Ran run(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SCOPESYNC_BINARY), QStringList {QStringLiteral("calibrate")} + args);
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

class TestCalibrateCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SCOPESYNC_SKIP_UNDER_TSAN_WHEN_STARTING_PROCESSES(); }
    void jsonOnTheSimulatedRigAndSave()
    {
        QTemporaryDir xdg;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), xdg.path());
        const Ran r = run(
            {QStringLiteral("--rig"), QStringLiteral("sim"), QStringLiteral("--led"), QStringLiteral("red"),
                QStringLiteral("--json"), QStringLiteral("--save"), QStringLiteral("--no-realtime")},
            env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY2(
            std::abs(o.value(QStringLiteral("window_start_ms")).toDouble() - 86.86) < 0.5, qPrintable(r.out));
        QVERIFY2(
            std::abs(o.value(QStringLiteral("window_end_ms")).toDouble() - 100.0) < 0.5, qPrintable(r.out));
        const double rec = o.value(QStringLiteral("recommended_ms")).toDouble();
        QVERIFY(rec > 87 && rec < 100);
        QVERIFY(o.value(QStringLiteral("frames_used")).toInt() <= 12);
        QCOMPARE(o.value(QStringLiteral("curve")).toArray().size(),
            o.value(QStringLiteral("frames_used")).toInt());
        QVERIFY(QFile::exists(xdg.filePath(QStringLiteral("scopesync/calibration/sim.json"))));
        QVERIFY2(r.err.contains(QStringLiteral("frame 1 (reference)")), qPrintable(r.err));
    }

    void infeasibleWindowIsExplainedWithoutFrames()
    {
        const Ran r = run({QStringLiteral("--led"), QStringLiteral("red"), QStringLiteral("--shutter-us"),
            QStringLiteral("200000"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("--shutter-us 236829")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("--flash-ms 113.17")), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("No frame was taken")));
        QVERIFY(!r.err.contains(QStringLiteral("frame 1")));
        QVERIFY(r.out.isEmpty());
    }

    void badOptions()
    {
        QCOMPARE(run({QStringLiteral("--sweep"), QStringLiteral("0:100")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("--led"), QStringLiteral("teal")}).exitCode, 1);
        QCOMPARE(run({QStringLiteral("--led"), QStringLiteral("red"), QStringLiteral("--flash-ms"),
                         QStringLiteral("5000")})
                     .exitCode,
            1);
    }

    // Several LEDs and no --led: no LED is picked by its name's place in the alphabet.
    void severalLedsNeedLed()
    {
        const Ran r = run({QStringLiteral("--rig"), QStringLiteral("sim"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--led")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("blue, green, orange, red, uv")), qPrintable(r.err));
        QVERIFY(!r.err.contains(QStringLiteral("frame 1")));
        QVERIFY(r.out.isEmpty());
    }

    // A sweep starting past shutter + readout, or with numbers that overflow, is refused before any frame.
    void sweepPastTheLimit()
    {
        const Ran late = run({QStringLiteral("--led"), QStringLiteral("red"), QStringLiteral("--sweep"),
            QStringLiteral("400:420:5"), QStringLiteral("--no-realtime")});
        QCOMPARE(late.exitCode, 2);
        QVERIFY2(late.err.contains(QStringLiteral("shutter + readout")), qPrintable(late.err));
        QVERIFY(!late.err.contains(QStringLiteral("frame 1")));
        QCOMPARE(run({QStringLiteral("--sweep"), QStringLiteral("1e308:1e308:1")}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCalibrateCli)
#include "test_calibrate_cli.moc"
