// Unit tests for the sharpness score (variance of the Laplacian) on frames of the simulated slide rendered
// out of focus, and for the focus sweep's choice of the sharpest position and its refusal of a flat curve.
#include "core/analysis/focus_sweep.h"
#include "core/analysis/sharpness_scorer.h"
#include "hal/sim/slide_renderer.h"

#include <QTest>

#include "support/verify_ok.h"
#include <cmath>

using namespace scopesync;
using core::analysis::FocusSample;
using core::analysis::FocusSweep;
using core::analysis::FocusSweepSettings;
using core::analysis::SharpnessScorer;
using hal::sim::SlideRenderer;

namespace {

core::Image16 frame(SlideRenderer &renderer, double blurPx)
{
    // A dose (µs of full-duty light) that lifts the brightest spots about 1500 DN over black.
    const std::vector<double> dose(
        std::size_t(renderer.height()), 1500.0 / SlideRenderer::kSpotDnPerUsAtGain1);
    return renderer.render(dose, 1.0, false, false, blurPx);
}

}  // namespace

class TestSharpnessScorer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void blurredScoresLowerAndMonotone()
    {
        SlideRenderer renderer(640, 480, 11);
        const SharpnessScorer scorer(0.5);
        double previous = INFINITY;
        for (const double blur : {0.0, 0.5, 1.0, 1.5, 2.0}) {
            const auto s = scorer.score(frame(renderer, blur));
            SCOPESYNC_VERIFY_OK(s);
            qInfo("blur %.1f px: score %.4g", blur, *s);
            QVERIFY2(*s < previous, qPrintable(QStringLiteral("score rose at blur %1 px").arg(blur)));
            previous = *s;
        }
        // Further out the sensor's noise (sharp whatever the focus) is all that is left: the score stays at
        // that floor and never climbs back.
        for (const double blur : {3.0, 5.0, 8.0}) {
            const double s = *scorer.score(frame(renderer, blur));
            qInfo("blur %.1f px: score %.4g (noise floor)", blur, s);
            QVERIFY(s < 1.05 * previous);
        }
        const double sharp = *scorer.score(frame(renderer, 0.0));
        const double soft = *scorer.score(frame(renderer, 3.0));
        QVERIFY(soft < 0.1 * sharp);
    }

    void scaleOfBitDepthCancels()
    {
        core::Image16 a(64, 64, 12);
        core::Image16 b(64, 64, 16);
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x) {
                const int v = ((x / 4 + y / 4) % 2) ? 3000 : 1000;
                a.row(y)[x] = quint16(v);
                b.row(y)[x] = quint16(v * 65535 / 4095);
            }
        const double sa = *SharpnessScorer().score(a);
        const double sb = *SharpnessScorer().score(b);
        QVERIFY(sa > 0.0);
        QVERIFY(std::abs(sa - sb) / sa < 0.01);
    }

    void refusesBadInput()
    {
        QVERIFY(!SharpnessScorer().score(core::Image16()).ok());
        QVERIFY(!SharpnessScorer(0.0).score(core::Image16(64, 64)).ok());
        QVERIFY(!SharpnessScorer(1.5).score(core::Image16(64, 64)).ok());
        const auto tiny = SharpnessScorer(0.05).score(core::Image16(64, 64));
        QVERIFY(!tiny.ok());
        QVERIFY(tiny.error().message.contains(QStringLiteral("region fraction")));
    }

    void sweepFindsTheSharpestPosition()
    {
        SlideRenderer renderer(480, 360, 5);
        const SharpnessScorer scorer(0.6);
        const int best = 37;
        FocusSweepSettings settings;
        settings.fromSteps = -200;
        settings.toSteps = 200;
        settings.stepSteps = 25;
        int progressCalls = 0;
        const auto result = FocusSweep(settings).run(
            [&](int steps) { return scorer.score(frame(renderer, 0.04 * std::abs(steps - best))); },
            [&](int done, int total, const FocusSample &) {
                ++progressCalls;
                QVERIFY(done <= total);
            });
        SCOPESYNC_VERIFY_OK(result);
        QCOMPARE(progressCalls, 17);
        qInfo(
            "true best %d steps, found %d steps (contrast %.2f)", best, result->bestSteps, result->contrast);
        QVERIFY(std::abs(result->bestSteps - best) <= 12);
    }

    void sweepRefusesAFlatCurve()
    {
        const auto result = FocusSweep(FocusSweepSettings {}).run([](int steps) {
            return core::Result<double>(1.0 + 0.001 * std::sin(steps));
        });
        QVERIFY(!result.ok());
        qInfo("%s", qPrintable(result.error().toString()));
        QVERIFY(result.error().message.contains(QStringLiteral("barely changes")));
    }

    void sweepStopsWhenCancelledOrOnError()
    {
        int calls = 0;
        const auto cancelled = FocusSweep(FocusSweepSettings {})
                                   .run(
                                       [&](int) {
                                           ++calls;
                                           return core::Result<double>(1.0);
                                       },
                                       {}, [&] { return calls >= 3; });
        QVERIFY(!cancelled.ok());
        QCOMPARE(calls, 3);
        QVERIFY(cancelled.error().message.contains(QStringLiteral("cancelled")));
        const auto failed = FocusSweep(FocusSweepSettings {}).run([](int) {
            return core::Result<double>(core::Error {QStringLiteral("no frame"), {}});
        });
        QVERIFY(!failed.ok());
        QVERIFY(failed.error().where.contains(QStringLiteral("-200")));
        FocusSweepSettings bad;
        bad.stepSteps = 0;
        QVERIFY(!FocusSweep(bad).positions().ok());
    }
};

QTEST_GUILESS_MAIN(TestSharpnessScorer)
#include "test_sharpness_scorer.moc"
