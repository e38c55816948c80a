// Unit tests for the frame plan: unrolling groups, illumination captures, counting and estimates.
#include "core/timing/frame_plan.h"

#include <QTest>

using namespace scopesync::core;
using namespace scopesync::core::timing;
using protocol::Flash;
using protocol::Step;
using protocol::StepKind;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace {
Step image(const QString &label, const QString &led, int ms)
{
    Step s;
    s.kind = StepKind::Image;
    s.label = label;
    s.flashes = {Flash {led, microseconds(ms * 1000), 1000, {}}};
    return s;
}
Step wait(int ms)
{
    Step s;
    s.kind = StepKind::Wait;
    s.label = QStringLiteral("wait");
    s.duration = milliseconds(ms);
    return s;
}
Step imageThrough(const QString &label, const QString &filter)
{
    Step s = image(label, QStringLiteral("green"), 10);
    s.filter = filter;
    return s;
}
Step group(int iterations, std::vector<Step> children)
{
    Step s;
    s.kind = StepKind::Group;
    s.label = QStringLiteral("cycle");
    s.iterations = iterations;
    s.children = std::move(children);
    return s;
}
Step cleave(int ms, std::optional<int> periodMs)
{
    Step s;
    s.kind = StepKind::Illuminate;
    s.label = QStringLiteral("cleave");
    s.flashes = {Flash {QStringLiteral("uv"), microseconds(ms * 1000), 1000, {}}};
    s.duration = milliseconds(ms);
    if (periodMs)
        s.capturePeriod = milliseconds(*periodMs);
    return s;
}
}  // namespace

class TestFramePlan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void unrollsNestedGroupsInOrder()
    {
        protocol::Protocol p;
        p.steps
            = {group(2,
                   {image(QStringLiteral("645"), QStringLiteral("red"), 150),
                       group(3, {image(QStringLiteral("525"), QStringLiteral("green"), 50)}), wait(1000)}),
                image(QStringLiteral("final"), QStringLiteral("blue"), 50)};
        const auto plan = unroll(p);
        QStringList labels;
        for (const auto &a : plan)
            labels << (a.kind == ActionKind::Capture ? a.label : QStringLiteral("-"));
        QCOMPARE(labels.join(u','), QStringLiteral("645,525,525,525,-,645,525,525,525,-,final"));
        // Frame indices count captures only, in order.
        qint64 expected = 0;
        for (const auto &a : plan)
            if (a.kind == ActionKind::Capture)
                QCOMPARE(a.frameIndex, expected++);
        QCOMPARE(expected, qint64(9));
        // Iteration indices: the 2nd outer, 3rd inner 525.
        QCOMPARE(plan[8].iterations, (QList<int> {1, 2}));
        QCOMPARE(plan[10].iterations, QList<int> {});
        const auto s = summarize(p, PlanTiming {microseconds(250'000), microseconds(100'000)});
        QCOMPARE(s.frames, qint64(9));
        QCOMPARE(s.actions, qint64(plan.size()));
        // Each run of back-to-back images costs two frames for its first image and one for each after
        // it: 645 starts a run (after the start and after each wait), the 525s and "final" follow on.
        QVERIFY(std::abs(s.estimatedDuration.count() - ((3 * 2 + 6 * 1) * 0.25 + 2 * 1.0)) < 1e-9);
    }

    void backToBackImagesTakeOneFrameEach()
    {
        protocol::Protocol p;
        p.steps = {group(25,
            {image(QStringLiteral("a"), QStringLiteral("red"), 10),
                image(QStringLiteral("b"), QStringLiteral("green"), 10),
                image(QStringLiteral("c"), QStringLiteral("blue"), 10),
                image(QStringLiteral("d"), QStringLiteral("red"), 10)})};
        const PlanTiming timing {microseconds(60'000), microseconds(100'000)};
        const auto s = summarize(p, timing);
        QCOMPARE(s.frames, qint64(100));
        QVERIFY2(std::abs(s.estimatedDuration.count() - (2 + 99) * 0.1) < 1e-9,
            qPrintable(QString::number(s.estimatedDuration.count())));
        // A wait at the end of each cycle starts a new run every cycle.
        p.steps[0].children.push_back(wait(500));
        const auto w = summarize(p, timing);
        QVERIFY(std::abs(w.estimatedDuration.count() - 25 * ((2 + 3) * 0.1 + 0.5)) < 1e-9);
        // A wait first, then the images: the runs still start after each wait.
        std::rotate(p.steps[0].children.begin(), p.steps[0].children.end() - 1, p.steps[0].children.end());
        const auto f = summarize(p, timing);
        QVERIFY(std::abs(f.estimatedDuration.count() - 25 * ((2 + 3) * 0.1 + 0.5)) < 1e-9);
    }

    void aFilterChangeBreaksTheRunOfImages()
    {
        PlanTiming timing {microseconds(60'000), microseconds(100'000)};
        timing.filterMove = milliseconds(800);
        protocol::Protocol p;
        // Two images through one filter follow each other; the change to the next filter waits for
        // them (the wheel moves only once they are in) and starts a new run.
        p.steps = {imageThrough(QStringLiteral("a"), QStringLiteral("green")),
            imageThrough(QStringLiteral("b"), QStringLiteral("green")),
            imageThrough(QStringLiteral("c"), QStringLiteral("red")),
            imageThrough(QStringLiteral("d"), QStringLiteral("any_filter"))};
        auto s = summarize(p, timing);
        QCOMPARE(s.filterMoves, qint64(2));
        QVERIFY2(std::abs(s.estimatedDuration.count() - ((2 + 1 + 2 + 1) * 0.1 + 2 * 0.8)) < 1e-9,
            qPrintable(QString::number(s.estimatedDuration.count())));
        // Repeated: every cycle but the first begins with a change back to green, behind the red image
        // that ended the cycle before.
        p.steps = {group(3, p.steps)};
        s = summarize(p, timing);
        QCOMPARE(s.filterMoves, qint64(6));
        QVERIFY2(std::abs(s.estimatedDuration.count() - (3 * (2 + 1 + 2 + 1) * 0.1 + 6 * 0.8)) < 1e-9,
            qPrintable(QString::number(s.estimatedDuration.count())));
        // One filter throughout: one move in, then a single run.
        for (Step &step : p.steps[0].children)
            step.filter = QStringLiteral("green");
        s = summarize(p, timing);
        QCOMPARE(s.filterMoves, qint64(1));
        QVERIFY2(std::abs(s.estimatedDuration.count() - ((2 + 11) * 0.1 + 0.8)) < 1e-9,
            qPrintable(QString::number(s.estimatedDuration.count())));
    }

    void illuminationCapturesOnePerFullPeriod()
    {
        protocol::Protocol p;
        p.steps = {cleave(10'000, 3'000), cleave(5'000, std::nullopt)};
        const auto plan = unroll(p);
        QCOMPARE(plan.size(), std::size_t(1 + 3 + 1));
        QCOMPARE(plan[0].kind, ActionKind::Illuminate);
        QCOMPARE(plan[0].captures, qint64(3));
        for (int i = 1; i <= 3; ++i) {
            QCOMPARE(plan[std::size_t(i)].kind, ActionKind::Capture);
            QVERIFY(plan[std::size_t(i)].underContinuousLight);
            QCOMPARE(plan[std::size_t(i)].captures, qint64(i - 1));
        }
        QCOMPARE(plan[4].kind, ActionKind::Illuminate);
        QCOMPARE(plan[4].captures, qint64(0));
        const auto s = summarize(p, {});
        QCOMPARE(s.frames, qint64(3));
        QVERIFY(std::abs(s.estimatedDuration.count() - 15.0) < 1e-9);
    }

    void countsHugePlansWithoutUnrolling()
    {
        protocol::Protocol p;
        p.steps = {group(1'000'000,
            {group(1'000'000, {group(1'000'000, {image(QStringLiteral("x"), QStringLiteral("red"), 1)})})})};
        const auto s = summarize(p, {});
        QCOMPARE(s.frames, PlanSummary::kMaxCountable);  // saturates instead of overflowing
        QVERIFY(s.frames > 10'000'000);
    }

    void emptyAndZeroIterationGroupsYieldNothing()
    {
        protocol::Protocol p;
        p.steps = {group(0, {image(QStringLiteral("x"), QStringLiteral("red"), 1)}), group(3, {})};
        QVERIFY(unroll(p).empty());
        QCOMPARE(summarize(p, {}).frames, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestFramePlan)
#include "test_frame_plan.moc"
