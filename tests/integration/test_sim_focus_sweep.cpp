// The focus sweep on the simulated rig end to end: the red filter in place and its LED held on, the focus
// stepped through a range, each position's first frame exposed after the move scored for sharpness; the
// sharpest position is the simulated objective's best focus for red, and it is saved into a rig file copy.
#include "core/acquisition/rig_description.h"
#include "core/acquisition/rig_file_editor.h"
#include "core/acquisition/rig_setup_probe.h"
#include "core/analysis/focus_sweep.h"
#include "core/camera/camera_settings.h"
#include "hal/sim/emission_filter.h"
#include "hal/sim/sim_rig.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include "support/verify_ok.h"

using namespace scopesync;
using namespace std::chrono_literals;
using core::acquisition::RigDescription;

class TestSimFocusSweep : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void findsTheBestFocusOfRedAndSavesIt()
    {
        RigDescription desc = RigDescription::referenceSim();
        desc.modeWidth = 1332;
        desc.modeHeight = 990;
        auto settings = core::camera::CameraSettings::referenceRig();
        settings.shutter = 20'000us;
        settings.analogueGain = 16.0;  // the spots well above the read noise
        auto created = hal::sim::SimRig::create(desc, settings, false, {false});
        SCOPESYNC_VERIFY_OK(created);
        hal::sim::SimRig &rig = **created;
        core::acquisition::RigSetupProbe probe(
            rig, core::acquisition::SetupAxis::Focus, QStringLiteral("red"), QStringLiteral("red"));
        QVERIFY2(probe.prepare().ok(), "the probe could not put the red filter in place");
        QCOMPARE(rig.filterChanger()->current(), std::optional<QString>(QStringLiteral("red")));

        core::analysis::FocusSweepSettings sweep;
        sweep.fromSteps = -180;
        sweep.toSteps = 220;
        sweep.stepSteps = 20;
        const auto result = core::analysis::FocusSweep(sweep).run(probe.measureFn());
        QTRY_VERIFY_WITH_TIMEOUT(rig.strobe().allLedsOff(), 1000);
        SCOPESYNC_VERIFY_OK(result);
        const int truth = hal::sim::simBestFocusSteps(QStringLiteral("red"));
        for (const auto &s : result->samples)
            qInfo("%5d steps: %.4g", s.steps, s.score);
        qInfo("red: best focus found at %d steps, simulated optics' best %d steps (contrast %.2f)",
            result->bestSteps, truth, result->contrast);
        QVERIFY(std::abs(result->bestSteps - truth) <= 10);

        // Saved into a copy of the reference rig's file, every other field kept.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("rig.json"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(desc.toJson()).toJson());
        }
        const auto saved = core::acquisition::RigFileEditor::setFocusForFilter(
            path, QStringLiteral("red"), result->bestSteps);
        SCOPESYNC_VERIFY_OK(saved);
        const auto back = core::acquisition::RigReader::readFile(path);
        QVERIFY(back.rig && back.rig->focus);
        QCOMPARE(back.rig->focus->perFilter.value(QStringLiteral("red")), result->bestSteps);
        QCOMPARE(back.rig->focus->perFilter.value(QStringLiteral("green")), -1525);
        QCOMPARE(back.rig->modeWidth, 1332);
    }

    // The wheel's raw position scanned around red's configured one: the brightest position is where the
    // simulated wheel really holds the red filter (a few µs off its nominal slot), not the configured one.
    void centresTheRedFilterOnTheBeam()
    {
        RigDescription desc = RigDescription::referenceSim();
        desc.modeWidth = 1332;
        desc.modeHeight = 990;
        auto settings = core::camera::CameraSettings::referenceRig();
        settings.shutter = 20'000us;
        settings.analogueGain = 8.0;
        auto created = hal::sim::SimRig::create(desc, settings, false, {false});
        SCOPESYNC_VERIFY_OK(created);
        hal::sim::SimRig &rig = **created;
        core::acquisition::RigSetupProbe probe(
            rig, core::acquisition::SetupAxis::FilterWheel, QStringLiteral("red"), QStringLiteral("red"));
        QVERIFY(probe.prepare().ok());
        const int configured = desc.filterWheel->positions.value(QStringLiteral("red"));
        const int half
            = core::acquisition::centringHalfRange(desc.filterWheel->positions.values(), configured);
        QCOMPARE(half, 125);
        const auto scan = core::acquisition::centringScan(configured, 100);
        QCOMPARE(scan.fromSteps, configured - 100);
        QCOMPARE(scan.toSteps, configured + 100);
        core::acquisition::SetupSample last;
        const auto result = core::analysis::FocusSweep(scan).run(probe.measureFn(&last));
        SCOPESYNC_VERIFY_OK(result);
        for (const auto &s : result->samples)
            qInfo("%5d µs: %.4f of full scale", s.steps, s.score);
        const int truth = hal::sim::simFilterCentre(QStringLiteral("red"), 1);
        qInfo("red: centred at %d µs, configured %d µs, simulated wheel's centre %d µs (contrast %.2f)",
            result->bestSteps, configured, truth, result->contrast);
        QVERIFY(std::abs(result->bestSteps - truth) <= 5);
        QCOMPARE(last.at, configured + 100);
        QVERIFY(!last.image.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSimFocusSweep)
#include "test_sim_focus_sweep.moc"
