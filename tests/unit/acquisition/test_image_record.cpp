// The one image-record builder and the frame-period rule: what every capture path records.
#include "core/acquisition/image_record_builder.h"
#include "core/acquisition/rig_timing.h"

#include <QTest>

using namespace scopesync;
using namespace scopesync::core::acquisition;
using namespace std::chrono_literals;

namespace {
core::timing::PlanAction capture(std::vector<core::protocol::Flash> flashes, bool continuous = false)
{
    core::timing::PlanAction a;
    a.kind = core::timing::ActionKind::Capture;
    a.frameIndex = 7;
    a.label = QStringLiteral("645");
    a.filter = QStringLiteral("red");
    a.stepPath = QStringLiteral("$.steps[3]");
    a.iterations = {1, 2};
    a.flashes = std::move(flashes);
    a.underContinuousLight = continuous;
    return a;
}

Shot shotWithEdges(std::vector<DrivenEdge> edges)
{
    Shot s;
    s.frame.image = core::Image16(4, 4, 12);
    s.frame.sequence = 42;
    s.frame.exposureStart = core::monoFromNs(5'000'000'000);
    s.frame.exposure = 250'000us;
    s.frame.analogueGain = 8.0;
    StrobeEvent ev;
    ev.triggerSequence = 9;
    ev.triggerTime = core::monoFromNs(5'000'000'000);
    ev.edges = std::move(edges);
    s.event = ev;
    return s;
}

QString extra(const core::storage::ImageRecord &r, const QString &key)
{
    for (const auto &[k, v] : r.extra)
        if (k == key)
            return v;
    return {};
}
}  // namespace

class TestImageRecord : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void channelNames()
    {
        QCOMPARE(channelName({}), QStringLiteral("dark"));
        QCOMPARE(channelName({{QStringLiteral("red"), 0us, 1ms, 1000}}), QStringLiteral("red"));
        QCOMPARE(
            channelName({{QStringLiteral("red"), 0us, 1ms, 1000}, {QStringLiteral("blue"), 0us, 1ms, 500}}),
            QStringLiteral("red+blue"));
    }

    void strobedCaptureRecordsPlanCameraAndMeasuredEdges()
    {
        const auto rig = RigDescription::referenceSim();
        const auto intent = ImageIntent::fromPlan(
            capture({{QStringLiteral("red"), 10ms, 600, {}}}), std::chrono::microseconds(93'000));
        const MonoTime t0 = core::monoFromNs(5'000'000'000);
        // Two pulses of the same LED: each on edge pairs with the first off edge after it.
        const auto shot = shotWithEdges({{QStringLiteral("red"), true, t0 + 93ms, t0 + 93ms + 5us},
            {QStringLiteral("red"), false, t0 + 103ms, t0 + 103ms + 4us}});
        StrobeStats stats;
        stats.missed = 2;
        stats.rejected = 1;
        const auto rec = buildImageRecord(rig, intent, shot, stats);
        QCOMPARE(rec.channelName, QStringLiteral("red"));
        QCOMPARE(rec.label, QStringLiteral("645"));
        QCOMPARE(rec.filter, QStringLiteral("red"));
        QCOMPARE(rec.frameIndex, qint64(7));
        QCOMPARE(rec.planStepPath, QStringLiteral("$.steps[3]"));
        QCOMPARE(rec.iterationIndices, (QList<int> {1, 2}));
        QCOMPARE(rec.flashDelayUs, 93'000.0);
        QCOMPARE(rec.intensityPerMille.value(QStringLiteral("red")), 600);
        QCOMPARE(rec.exposureUs, 250'000.0);
        QCOMPARE(rec.analogueGain, 8.0);
        QCOMPARE(rec.frameTimestampNs, qint64(5'000'000'000));
        QCOMPARE(rec.missedPulses, 2);
        QCOMPARE(rec.rejectedPulses, 1);
        QCOMPARE(rec.ledEdges.size(), 1);
        QCOMPARE(rec.ledEdges[0].onNs, qint64(93'005'000));
        QCOMPARE(rec.ledEdges[0].offNs, qint64(103'004'000));
        QCOMPARE(extra(rec, QStringLiteral("trigger_sequence")), QStringLiteral("9"));
        QCOMPARE(extra(rec, QStringLiteral("trigger_time_ns")), QStringLiteral("5000000000"));
        QCOMPARE(extra(rec, QStringLiteral("camera_sequence")), QStringLiteral("42"));
        QCOMPARE(extra(rec, QStringLiteral("trigger_mode")), triggerModeName(rig.trigger));
        QVERIFY(extra(rec, QStringLiteral("illumination")).isEmpty());
        QVERIFY(rec.wallClock.isValid());
    }

    void darkStrobedFrameKeepsTheRigDelay()
    {
        const auto intent = ImageIntent::fromPlan(capture({}), std::chrono::microseconds(93'000));
        const auto rec = buildImageRecord(RigDescription::referenceSim(), intent, shotWithEdges({}), {});
        QCOMPARE(rec.channelName, QStringLiteral("dark"));
        QCOMPARE(rec.flashDelayUs, 93'000.0);
        QVERIFY(rec.ledEdges.isEmpty());
    }

    void continuousLightHasNoDelayAndSaysSo()
    {
        const auto intent = ImageIntent::fromPlan(
            capture({{QStringLiteral("uv"), 1000ms, 1000, {}}}, true), std::chrono::microseconds(93'000));
        QVERIFY(intent.continuousLight);
        Shot shot = shotWithEdges({});
        shot.event.reset();
        const auto rec = buildImageRecord(RigDescription::referenceSim(), intent, shot, {});
        QCOMPARE(rec.channelName, QStringLiteral("uv"));
        QCOMPARE(rec.flashDelayUs, 0.0);
        QCOMPARE(extra(rec, QStringLiteral("illumination")), QStringLiteral("continuous"));
        QVERIFY(extra(rec, QStringLiteral("trigger_time_ns")).isEmpty());
    }

    void framePeriodIsExposurePlusBlankingOrTheFastestModeRate()
    {
        const auto rig = RigDescription::referenceSim();
        const auto *mode = rig.sensorMode();
        QVERIFY(mode);
        // A long shutter: exposure plus 22 lines of blanking.
        QCOMPARE(framePeriodFor(*mode, 250'000us),
            250'000'000ns + std::chrono::duration_cast<std::chrono::nanoseconds>(mode->lineTime * 22));
        // A short one: the mode's fastest rate.
        QCOMPARE(framePeriodFor(*mode, 100us), std::chrono::nanoseconds(qint64(1e9 / mode->maxFps)));
        // A fixed framerate slower than both.
        QCOMPARE(framePeriodFor(*mode, 100us, 2.0), 500'000'000ns);
        // The validation context and the plan use the same rule.
        core::camera::CameraSettings s = core::camera::CameraSettings::referenceRig();
        const auto ctx = rigValidationContext(rig, s);
        QCOMPARE(ctx.planTiming.minFramePeriod,
            std::chrono::duration_cast<std::chrono::microseconds>(rigFramePeriod(rig, s)));
        QCOMPARE(ctx.leds, rig.ledNames());
    }
};

QTEST_GUILESS_MAIN(TestImageRecord)
#include "test_image_record.moc"
