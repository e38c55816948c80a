// Unit tests for the per-rig calibration profile: round trip, where it lives, mismatch warnings.
#include "core/calibration/calibration_profile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace scopesync::core;
using namespace scopesync::core::calibration;

class TestCalibrationProfile : public QObject {
    Q_OBJECT

private:
    static CalibrationProfile sample()
    {
        CalibrationResult r;
        r.method = QStringLiteral("model-guided");
        r.windowStart = Micros(86'830);
        r.windowEnd = Micros(100'000);
        r.recommended = Micros(93'415);
        r.framesUsed = 5;
        return CalibrationProfile::from(r, acquisition::RigDescription::referenceSim(), Micros(250'000),
            Micros(150'000), QStringLiteral("red"));
    }

private Q_SLOTS:
    void roundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/rig.calibration.json"));
        const auto p = sample();
        QVERIFY(p.save(path).ok());
        const auto back = CalibrationProfile::load(path);
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().toString()));
        QCOMPARE(back->sensor, QStringLiteral("imx477"));
        QCOMPARE(back->modeWidth, 4056);
        QCOMPARE(back->recommended, p.recommended);
        QCOMPARE(back->windowEnd, p.windowEnd);
        QCOMPARE(back->flash, p.flash);
        QCOMPARE(back->led, QStringLiteral("red"));
        QCOMPARE(back->date.toSecsSinceEpoch(), p.date.toSecsSinceEpoch());
    }

    void badFilesSayWhatToDo()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("x.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"sensor\": \"imx477\"}");
        f.close();
        const auto r = CalibrationProfile::load(path);
        QVERIFY(!r.ok());
        QVERIFY(r.error().toString().contains(QStringLiteral("calibrate --save")));
        QVERIFY(!CalibrationProfile::load(dir.filePath(QStringLiteral("missing.json"))).ok());
    }

    void pathNextToTheRigOrInXdgConfig()
    {
        QCOMPARE(CalibrationProfile::pathFor(QStringLiteral("/etc/rigs/lab.json")),
            QStringLiteral("/etc/rigs/lab.calibration.json"));
        qputenv("XDG_CONFIG_HOME", "/tmp/xdg-test");
        QCOMPARE(CalibrationProfile::pathFor(QStringLiteral("sim")),
            QStringLiteral("/tmp/xdg-test/scopesync/calibration/sim.json"));
    }

    void compareWarnsOnDifferentSettings()
    {
        const auto p = sample();
        auto rig = acquisition::RigDescription::referenceSim();
        auto settings = camera::CameraSettings::referenceRig();
        QVERIFY(compare(p, rig, settings, Micros(150'000)).isEmpty());
        // A 50 ms flash: the end moves to 200 ms, the delay still fits.
        auto d = compare(p, rig, settings, Micros(50'000));
        QCOMPARE(d.warnings().size(), 1);
        QVERIFY2(d.warnings().first().message.contains(QStringLiteral("200.000")),
            qPrintable(d.warnings().first().message));
        QVERIFY(d.warnings().first().message.contains(QStringLiteral("still fits")));
        // A 100 ms shutter: the window is empty.
        settings.shutter = std::chrono::microseconds(100'000);
        d = compare(p, rig, settings, Micros(150'000));
        QVERIFY(d.warnings().first().message.contains(QStringLiteral("empty")));
        rig.modeWidth = 2028;
        rig.modeHeight = 1520;
        d = compare(p, rig, camera::CameraSettings::referenceRig(), Micros(150'000));
        QVERIFY(d.warnings().first().message.contains(QStringLiteral("2028x1520")));
    }

    // The span in which every row exposes, as the profile measured it: from its window's start to its
    // window's end plus its flash (the latest start of a 150 ms flash, 100 ms, lights rows until 250 ms),
    // moved with the shutter; none on another sensor mode.
    void theMeasuredSpanWhereEveryRowExposes()
    {
        const auto p = sample();
        auto rig = acquisition::RigDescription::referenceSim();
        auto settings = camera::CameraSettings::referenceRig();
        auto span = allRowsExposing(p, rig, settings);
        QVERIFY(span);
        QCOMPARE(span->start.count(), 86'830);
        QCOMPARE(span->end.count(), 250'000);
        settings.shutter = std::chrono::microseconds(300'000);
        span = allRowsExposing(p, rig, settings);
        QVERIFY(span);
        QCOMPARE(span->end.count(), 300'000);
        rig.modeWidth = 2028;
        rig.modeHeight = 1520;
        QVERIFY(!allRowsExposing(p, rig, settings));
    }
};

QTEST_APPLESS_MAIN(TestCalibrationProfile)
#include "test_calibration_profile.moc"
