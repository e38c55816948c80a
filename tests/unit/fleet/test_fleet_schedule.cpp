// FleetSchedule: a protocol on a fixed timeline from T — images, waits, illumination, problems.
#include "core/fleet/fleet_schedule.h"

#include <QTest>

using namespace std::chrono_literals;
using scopesync::core::fleet::FleetScheduleCursor;
using scopesync::core::fleet::ScheduledStep;
using scopesync::core::fleet::summarizeSchedule;
namespace protocol = scopesync::core::protocol;

namespace {

protocol::Step image(const QString &led, const QString &path)
{
    protocol::Step s;
    s.kind = protocol::StepKind::Image;
    s.flashes.push_back({led, 2000us, 1000, {}});
    s.sourcePath = path;
    return s;
}

protocol::Step wait(std::chrono::milliseconds d)
{
    protocol::Step s;
    s.kind = protocol::StepKind::Wait;
    s.duration = d;
    return s;
}

protocol::Step illuminate(
    std::chrono::milliseconds d, std::optional<std::chrono::milliseconds> period, const QString &path)
{
    protocol::Step s;
    s.kind = protocol::StepKind::Illuminate;
    s.flashes.push_back({QStringLiteral("uv"), 0us, 1000, {}});
    s.duration = d;
    s.capturePeriod = period;
    s.sourcePath = path;
    return s;
}

// "C@offset_ms", "on@…", "off@…", "note@…" for each step.
QStringList layout(const protocol::Protocol &p, std::chrono::nanoseconds slot)
{
    QStringList out;
    FleetScheduleCursor c(p, slot);
    ScheduledStep s;
    while (c.next(s)) {
        const char *k = s.kind == ScheduledStep::Kind::Capture ? "C"
            : s.kind == ScheduledStep::Kind::LightsOn          ? "on"
            : s.kind == ScheduledStep::Kind::LightsOff         ? "off"
                                                               : "note";
        out << QStringLiteral("%1@%2").arg(QLatin1String(k)).arg(s.offset.count() / 1'000'000);
    }
    if (c.error())
        out << QStringLiteral("error: ") + c.error()->toString();
    return out;
}

}  // namespace

class TestFleetSchedule : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void imagesTakeOneSlotEachAndWaitsMoveTheTimeline()
    {
        protocol::Protocol p;
        protocol::Step cycle;
        cycle.kind = protocol::StepKind::Group;
        cycle.iterations = 2;
        cycle.children = {image(QStringLiteral("red"), QStringLiteral("$.a")),
            image(QStringLiteral("green"), QStringLiteral("$.b")), wait(1000ms)};
        p.steps = {cycle};
        QCOMPARE(layout(p, 100ms),
            (QStringList {QStringLiteral("C@0"), QStringLiteral("C@100"), QStringLiteral("C@1200"),
                QStringLiteral("C@1300")}));
        auto s = summarizeSchedule(p, 100ms);
        QVERIFY(s.ok());
        QCOMPARE(s->frames, 4);
        QCOMPARE(s->lastEdge, std::chrono::nanoseconds(1300ms));
        QCOMPARE(s->end, std::chrono::nanoseconds(2400ms));  // the trailing wait counts
    }

    void illuminationCapturesEndByEachCaptureMoment()
    {
        protocol::Protocol p;
        p.steps = {image(QStringLiteral("red"), QStringLiteral("$.steps[0]")),
            illuminate(350ms, 100ms, QStringLiteral("$.steps[1]")),
            image(QStringLiteral("red"), QStringLiteral("$.steps[2]"))};
        // Light on at 50 (after the first slot), captures at 50 + k·100 − 50, off at 400, then the image
        // half a slot later (the guard: the light is off and the frame handed over before its T).
        QCOMPARE(layout(p, 50ms),
            (QStringList {QStringLiteral("C@0"), QStringLiteral("on@50"), QStringLiteral("C@100"),
                QStringLiteral("C@200"), QStringLiteral("C@300"), QStringLiteral("off@400"),
                QStringLiteral("C@425")}));
        // The captures under light are marked so, and carry no strobe.
        FleetScheduleCursor c(p, 50ms);
        ScheduledStep s;
        int underLight = 0;
        while (c.next(s))
            underLight += s.kind == ScheduledStep::Kind::Capture && s.action.underContinuousLight ? 1 : 0;
        QCOMPARE(underLight, 3);
    }

    void illuminationAtTheEndIsTurnedOff()
    {
        protocol::Protocol p;
        p.steps = {illuminate(200ms, std::nullopt, QStringLiteral("$.steps[0]"))};
        QCOMPARE(layout(p, 50ms), (QStringList {QStringLiteral("on@0"), QStringLiteral("off@200")}));
        auto s = summarizeSchedule(p, 50ms);
        QVERIFY(s.ok());
        QCOMPARE(s->frames, 0);
        QCOMPARE(s->end, std::chrono::nanoseconds(225ms));  // the guard after the light counts
    }

    void capturePeriodShorterThanTheSlotNamesTheStep()
    {
        protocol::Protocol p;
        p.steps = {illuminate(1000ms, 100ms, QStringLiteral("$.steps[0]"))};
        const QStringList l = layout(p, 250ms);
        QVERIFY2(l.last().startsWith(QStringLiteral("error: $.steps[0]: captures every 100.0 ms")),
            qPrintable(l.join(u' ')));
        QVERIFY(l.last().contains(QStringLiteral("250.0 ms slot")));
        QVERIFY(!summarizeSchedule(p, 250ms).ok());
        // A period equal to the slot leaves no time to hand the first frame over after the light comes on.
        QVERIFY(!summarizeSchedule(p, 100ms).ok());
        QVERIFY(summarizeSchedule(p, 66ms).ok());  // 66 + 33 ≤ 100
    }

    void temperatureBecomesANoteAndSlotMustBePositive()
    {
        protocol::Protocol p;
        protocol::Step t;
        t.kind = protocol::StepKind::SetTemperature;
        t.temperatureKelvin = 310;
        t.sourcePath = QStringLiteral("$.steps[0]");
        p.steps = {t, image(QStringLiteral("red"), QStringLiteral("$.steps[1]"))};
        QCOMPARE(layout(p, 10ms), (QStringList {QStringLiteral("note@0"), QStringLiteral("C@0")}));
        auto s = summarizeSchedule(p, 10ms);
        QVERIFY(s.ok());
        QCOMPARE(s->notes, 1);
        QVERIFY(!summarizeSchedule(p, 0ms).ok());
    }
};

QTEST_GUILESS_MAIN(TestFleetSchedule)
#include "test_fleet_schedule.moc"
