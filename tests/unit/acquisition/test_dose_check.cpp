// doseProblems: the light an image received against its plan.
#include "core/acquisition/dose_check.h"

#include <QTest>

using namespace scopesync::core;
using namespace std::chrono_literals;
using acquisition::LedPulse;
using storage::LedEdge;

namespace {
LedEdge edge(const char *led, double onMs, double offMs)
{
    return {QString::fromLatin1(led), qint64(onMs * 1e6), qint64(offMs * 1e6)};
}
}  // namespace

class TestDoseCheck : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theFlashAsPlannedPasses()
    {
        const std::vector<LedPulse> plan {{QStringLiteral("red"), 93000us, 80000us, 1000}};
        // Edges within the strobe engine's usual tens of µs.
        QVERIFY(acquisition::doseProblems(plan, {edge("red", 93.017, 173.012)}).isEmpty());
        // A dark frame with nothing lit.
        QVERIFY(acquisition::doseProblems({}, {}).isEmpty());
    }

    // The flash of the image before ran late into this frame (found by bench_soak: a dark frame at a
    // green frame's level, unflagged): this frame is flagged whatever its own light.
    void lightOfTheImageBeforeIsFlagged()
    {
        const acquisition::MonoTime rowZero {10'000'000ns};
        const std::vector<acquisition::StrayLight> stray {
            {QStringLiteral("green"), rowZero, rowZero + 1200us}};
        const auto p = acquisition::strayLightProblems(stray, rowZero);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0],
            QStringLiteral(
                "green light of the image before lasted until 1.2 ms into this frame (1.2 ms of it): "
                "this image holds another image's light"));
        // An off edge measured a few µs past the frame start (the write's own time) is not light.
        QVERIFY(acquisition::strayLightProblems({{QStringLiteral("green"), rowZero, rowZero + 20us}}, rowZero)
                    .isEmpty());
        QVERIFY(acquisition::strayLightProblems({}, rowZero).isEmpty());
    }

    // Found by bench_soak: the thread stalled 7 ms inside the green on write (the line had switched), then
    // drove the off edge at once — "1 µs" of light measured, 7 ms given, part of it to the next frame.
    void aStalledLineWriteIsFlagged()
    {
        const acquisition::MonoTime t {50'000'000ns};
        const std::vector<acquisition::DrivenEdge> edges {
            {QStringLiteral("green"), true, t, t + 7069us, t + 1us},
            {QStringLiteral("green"), false, t + 1ms, t + 7070us, t + 7069us}};
        const std::vector<LedPulse> plan {{QStringLiteral("green"), 9000us, 1000us, 1000}};
        const auto p = acquisition::writeTimeProblems(plan, edges);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0],
            QStringLiteral(
                "green on edge: the line write took 7.1 ms, so the light's start is known only to within "
                "that"));
        // Writes of a few µs, and edges recorded without the time before the write, are fine; so is a 1 ms
        // write for a 150 ms flash (2 % of it is 3 ms).
        QVERIFY(acquisition::writeTimeProblems({{QStringLiteral("green"), 9000us, 150'000us, 1000}},
            {{QStringLiteral("green"), true, t, t + 1001us, t + 1us}})
                    .isEmpty());
        QVERIFY(acquisition::writeTimeProblems(plan, {{QStringLiteral("green"), true, t, t + 5us, t + 1us}})
                    .isEmpty());
        QVERIFY(acquisition::writeTimeProblems(plan, {{QStringLiteral("green"), true, t, t + 5us, {}}})
                    .isEmpty());
    }

    // The reported case: the on edge came 13.7 ms late, the off edge at its time: 66.3 ms of 80.
    void aLateOnEdgeThatCutsTheFlashIsFlagged()
    {
        const std::vector<LedPulse> plan {{QStringLiteral("red"), 93000us, 80000us, 1000}};
        const auto p = acquisition::doseProblems(plan, {edge("red", 106.7, 173.0)});
        QCOMPARE(p.size(), 2);
        QCOMPARE(p[0], QStringLiteral("red flash 66.3 ms, planned 80.0 ms: dose ×0.83"));
        QCOMPARE(p[1], QStringLiteral("red on edge 13.7 ms later than planned"));
    }

    void lengthToleranceIsRelativeWithAFloor()
    {
        const std::vector<LedPulse> plan {{QStringLiteral("red"), 10000us, 20000us, 1000}};
        QVERIFY(acquisition::doseProblems(plan, {edge("red", 10.0, 29.65)}).isEmpty());  // −1.75 %
        QCOMPARE(acquisition::doseProblems(plan, {edge("red", 10.0, 29.5)}).size(), 1);  // −2.5 %
        const std::vector<LedPulse> shortFlash {{QStringLiteral("red"), 10000us, 1000us, 1000}};
        QVERIFY(acquisition::doseProblems(shortFlash, {edge("red", 10.0, 10.95)}).isEmpty());  // 50 µs
        QCOMPARE(acquisition::doseProblems(shortFlash, {edge("red", 10.0, 10.85)}).size(), 1);  // 150 µs
    }

    void aFlashLongerOrLaterLeavesItsPlaceAndIsFlagged()
    {
        const std::vector<LedPulse> plan {{QStringLiteral("red"), 93000us, 80000us, 1000}};
        const auto shifted = acquisition::doseProblems(plan, {edge("red", 95.0, 175.0)});
        QCOMPARE(shifted.size(), 2);  // on and off 2 ms late, length right
        QVERIFY(shifted[0].startsWith(QStringLiteral("red on edge 2.0 ms later")));
        QVERIFY(shifted[1].startsWith(QStringLiteral("red off edge 2.0 ms later")));
    }

    void missingAndUnplannedLightAreFlagged()
    {
        const std::vector<LedPulse> plan {{QStringLiteral("red"), 93000us, 20000us, 1000},
            {QStringLiteral("blue"), 93000us, 20000us, 1000}};
        const auto p = acquisition::doseProblems(plan, {edge("red", 93.0, 113.0), edge("green", 93.0, 95.0)});
        QCOMPARE(p.size(), 2);
        QCOMPARE(p[0], QStringLiteral("blue: planned 20.0 ms flash, none measured"));
        QCOMPARE(p[1], QStringLiteral("green lit for 2.0 ms, not planned"));
    }
};

QTEST_GUILESS_MAIN(TestDoseCheck)
#include "test_dose_check.moc"
