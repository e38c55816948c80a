// The focus sweep on the simulated rig end to end: the red filter in place and its LED held on, the focus
// stepped through a range, each position's first frame exposed after the move scored for sharpness; the
// sharpest position is the simulated objective's best focus for red, and it is saved into a rig file copy.
#include "core/acquisition/rig_description.h"
#include "core/acquisition/rig_file_editor.h"
#include "core/analysis/focus_sweep.h"
#include "core/analysis/sharpness_scorer.h"
#include "core/camera/camera_settings.h"
#include "hal/sim/emission_filter.h"
#include "hal/sim/sim_rig.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

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
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().toString()));
        hal::sim::SimRig &rig = **created;
        QVERIFY(rig.strobe().start().ok());
        QVERIFY(rig.camera().start().ok());
        auto *wheel = rig.filterChanger();
        auto *focus = rig.focusDrive();
        QVERIFY(wheel && focus);
        QVERIFY(wheel->moveTo(QStringLiteral("red")).ok());
        QVERIFY(wheel->waitSettled(5s).ok());
        QVERIFY(rig.strobe()
                    .illuminate({core::acquisition::LedPulse {QStringLiteral("red"), 0us, 60s, 1000}})
                    .ok());

        const core::analysis::SharpnessScorer scorer(0.5);
        core::analysis::FocusSweepSettings sweep;
        sweep.fromSteps = -180;
        sweep.toSteps = 220;
        sweep.stepSteps = 20;
        const auto result = core::analysis::FocusSweep(sweep).run([&](int steps) -> core::Result<double> {
            if (const auto st = focus->moveTo(steps); !st.ok())
                return st.error();
            if (const auto st = focus->waitSettled(5s); !st.ok())
                return st.error();
            const auto settled = core::monotonicNow();
            for (int tries = 0; tries < 20; ++tries) {
                auto frame = rig.camera().waitFrame(2s);
                if (frame && frame->exposureStart > settled)
                    return scorer.score(frame->image);
            }
            return core::Error {QStringLiteral("no frame after the focus settled"), QStringLiteral("sim")};
        });
        (void)rig.strobe().illuminate({});
        rig.camera().stop();
        rig.strobe().stop();
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
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
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().toString()));
        const auto back = core::acquisition::RigReader::readFile(path);
        QVERIFY(back.rig && back.rig->focus);
        QCOMPARE(back.rig->focus->perFilter.value(QStringLiteral("red")), result->bestSteps);
        QCOMPARE(back.rig->focus->perFilter.value(QStringLiteral("green")), -1525);
        QCOMPARE(back.rig->modeWidth, 1332);
    }
};

QTEST_GUILESS_MAIN(TestSimFocusSweep)
#include "test_sim_focus_sweep.moc"
