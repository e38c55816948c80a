// Unit tests for StrobeEngine against recording test lines: edge placement, jobs, safety limits, faults.
#include "hal/strobe/precise_clock.h"
#include "hal/strobe/strobe_engine.h"

#include <QElapsedTimer>
#include <QTest>

#include "recording_lines.h"
#include <algorithm>
#include <functional>
#include <thread>

using namespace scopesync;
using namespace std::chrono_literals;
using core::acquisition::DrivenEdge;
using core::acquisition::FrameJob;
using core::acquisition::LedPulse;
using core::acquisition::StrobeEvent;
using core::acquisition::TriggerMode;
using hal::strobe::MonoTime;
using hal::strobe::monotonicNow;
using hal::strobe::StrobeEngine;
using hal::strobe::StrobeEngineConfig;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using tests::FakeTrigger;
using tests::RecordingLines;

namespace {

// How late an edge may be on a shared VM without failing a correctness test (hiccups of many ms are
// normal there; precision is the benchmark's business). Edges are never early: the engine writes after
// its deadline and the test lines stamp inside the write.
constexpr nanoseconds kLate = 25ms;

const QString kRed = QStringLiteral("red");
const QString kGreen = QStringLiteral("green");

StrobeEngineConfig sinkConfig(nanoseconds period)
{
    StrobeEngineConfig c;
    c.mode = TriggerMode::XvsSink;
    c.framePeriod = period;
    c.requestRealtime = false;  // correctness only; the benchmark measures the real-time path
    return c;
}

LedPulse pulse(const QString &led, microseconds delay, microseconds duration)
{
    return LedPulse {led, delay, duration, 1000};
}

// Delivers an edge stamped `stamp` at time `at` (later than the stamp: a reader woken late).
void deliver(FakeTrigger &trigger, MonoTime stamp, MonoTime at)
{
    hal::strobe::sleepUntil(at, 0ns);
    trigger.push(stamp);
}

bool waitUntil(const std::function<bool()> &condition, milliseconds timeout)
{
    const MonoTime giveUp = monotonicNow() + timeout;
    while (!condition()) {
        if (monotonicNow() > giveUp)
            return false;
        std::this_thread::sleep_for(500us);
    }
    return true;
}

QString ms(nanoseconds d)
{
    return QString::number(double(d.count()) / 1e6, 'f', 3) + QStringLiteral(" ms");
}

// The on edge of `line` in a job's edges (each test job flashes a line once).
DrivenEdge onEdgeOf(const std::vector<DrivenEdge> &edges, const QString &line)
{
    const auto it = std::find_if(
        edges.begin(), edges.end(), [&](const DrivenEdge &e) { return e.active && e.line == line; });
    return it == edges.end() ? DrivenEdge {} : *it;
}

// How much later than planned the engine schedules a flash's off edge: by its on edge's lateness, up to
// lateOnSlack, so the flash keeps its length.
nanoseconds offShift(const std::vector<DrivenEdge> &edges, const QString &line)
{
    const DrivenEdge on = onEdgeOf(edges, line);
    return std::clamp(nanoseconds(on.measured - on.intended), 0ns, StrobeEngineConfig {}.lateOnSlack);
}

// True when `measured` is at or after `intended` and at most kLate after it.
bool onTime(MonoTime measured, MonoTime intended)
{
    return measured >= intended && measured - intended <= kLate;
}

#define VERIFY_ON_TIME(measured, intended, what)                                                             \
    QVERIFY2(onTime(measured, intended),                                                                     \
        qPrintable(QStringLiteral("%1: %2 after its deadline")                                               \
                       .arg(QStringLiteral(what), ms((measured) - (intended)))))

}  // namespace

class TestStrobeEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sinkDrivesLedsAtTriggerTimestampPlusDelay()
    {
        RecordingLines leds({kRed, kGreen});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(50ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        engine.arm(FrameJob {1, {pulse(kRed, 30ms, 20ms), pulse(kGreen, 10ms, 5ms)}});

        const MonoTime t0 = monotonicNow() + 20ms;
        // Delivered 8 ms after its stamp: the LEDs must follow the stamp, not the delivery.
        deliver(trigger, t0, t0 + 8ms);
        const auto ev = engine.waitEvent(1, 2000ms);
        QVERIFY(ev);
        QCOMPARE(ev->jobId, quint64(1));
        QCOMPARE(ev->triggerSequence, qint64(1));
        QCOMPARE(ev->triggerTime, t0);
        QVERIFY(!ev->clipped);
        QCOMPARE(ev->edges.size(), std::size_t(4));
        const auto expected = [&](const DrivenEdge &e) -> MonoTime {
            const nanoseconds shift = e.active ? 0ns : offShift(ev->edges, e.line);
            if (e.line == kRed)
                return t0 + (e.active ? 30ms : 50ms) + shift;
            return t0 + (e.active ? 10ms : 15ms) + shift;
        };
        int ons = 0;
        for (const auto &e : ev->edges) {
            QVERIFY2(e.line == kRed || e.line == kGreen, qPrintable(e.line));
            QCOMPARE(e.intended, expected(e));
            VERIFY_ON_TIME(e.measured, e.intended, "event edge");
            ons += e.active ? 1 : 0;
        }
        QCOMPARE(ons, 2);

        // What the lines saw, independently of what the engine reports.
        const auto red = leds.onIntervals(0);
        const auto green = leds.onIntervals(1);
        QCOMPARE(red.size(), std::size_t(1));
        QCOMPARE(green.size(), std::size_t(1));
        VERIFY_ON_TIME(red[0].on, t0 + 30ms, "red on");
        VERIFY_ON_TIME(red[0].off, t0 + 50ms, "red off");
        VERIFY_ON_TIME(green[0].on, t0 + 10ms, "green on");
        VERIFY_ON_TIME(green[0].off, t0 + 15ms, "green off");
        QVERIFY(engine.allLedsOff());
        QVERIFY(engine.fault().isEmpty());
        engine.stop();
    }

    void jobsGoToTheNextFrameStart()
    {
        constexpr nanoseconds kPeriod = 40ms;
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(kPeriod), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        const auto triggers = [&] { return engine.stats().triggers; };

        const MonoTime t0 = monotonicNow() + 20ms;
        deliver(trigger, t0, t0);  // a frame with nothing armed: no light
        QVERIFY(waitUntil([&] { return triggers() == 1; }, 1000ms));
        engine.arm(FrameJob {1, {pulse(kRed, 5ms, 5ms)}});
        deliver(trigger, t0 + kPeriod, t0 + kPeriod);
        QVERIFY(waitUntil([&] { return triggers() == 2; }, 1000ms));
        // Two armed at once: one per frame, in order.
        engine.arm(FrameJob {2, {pulse(kRed, 5ms, 5ms)}});
        engine.arm(FrameJob {3, {pulse(kRed, 5ms, 5ms)}});
        for (int k = 2; k <= 4; ++k)
            deliver(trigger, t0 + kPeriod * k, t0 + kPeriod * k);

        for (int id = 1; id <= 3; ++id) {
            const auto ev = engine.waitEvent(quint64(id), 2000ms);
            QVERIFY2(ev, qPrintable(QStringLiteral("job %1").arg(id)));
            QCOMPARE(ev->triggerTime, t0 + kPeriod * id);
            QCOMPARE(ev->triggerSequence, qint64(id + 1));
        }
        QVERIFY(waitUntil([&] { return triggers() == 5; }, 1000ms));
        std::this_thread::sleep_for(20ms);
        const auto red = leds.onIntervals(0);
        QCOMPARE(red.size(), std::size_t(3));  // frames 0 and 4 stayed dark
        for (int k = 1; k <= 3; ++k)
            VERIFY_ON_TIME(red[std::size_t(k - 1)].on, t0 + kPeriod * k + 5ms, "red on");
        QVERIFY(engine.fault().isEmpty());
    }

    // Jobs armed ahead on consecutive frames whose flashes run past the next frame start (a rolling
    // shutter's delay is most of the frame period): each job keeps its own edges, every frame start
    // takes the next job while the previous job's off edge is still to come.
    void backToBackJobsWithFlashesPastTheNextFrameStart()
    {
        constexpr nanoseconds kPeriod = 40ms;
        RecordingLines leds({kRed, kGreen});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(kPeriod), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        // On at +30 ms, off at +50 ms: 10 ms into the next frame.
        const QString colour[] = {kRed, kGreen, kRed, kGreen};
        for (int id = 1; id <= 4; ++id)
            engine.arm(FrameJob {quint64(id), {pulse(colour[id - 1], 30ms, 20ms)}});
        const MonoTime t0 = monotonicNow() + 20ms;
        for (int k = 0; k < 5; ++k)
            deliver(trigger, t0 + kPeriod * k, t0 + kPeriod * k);
        for (int id = 1; id <= 4; ++id) {
            const auto ev = engine.waitEvent(quint64(id), 2000ms);
            QVERIFY2(ev, qPrintable(QStringLiteral("job %1").arg(id)));
            const MonoTime origin = t0 + kPeriod * (id - 1);
            QCOMPARE(ev->triggerTime, origin);
            QCOMPARE(ev->triggerSequence, qint64(id));
            QCOMPARE(ev->edges.size(), std::size_t(2));
            for (const auto &e : ev->edges) {
                QCOMPARE(e.line, colour[id - 1]);
                QCOMPARE(e.intended, origin + (e.active ? 30ms : 50ms + offShift(ev->edges, e.line)));
                VERIFY_ON_TIME(e.measured, e.intended, "event edge");
            }
        }
        QVERIFY(waitUntil([&] { return engine.stats().triggers == 5; }, 1000ms));
        std::this_thread::sleep_for(60ms);
        // What the lines saw: one flash per frame, alternating colours, each off edge after the next
        // frame's start.
        const auto red = leds.onIntervals(0);
        const auto green = leds.onIntervals(1);
        QCOMPARE(red.size(), std::size_t(2));
        QCOMPARE(green.size(), std::size_t(2));
        for (int k = 0; k < 2; ++k) {
            const MonoTime redOrigin = t0 + kPeriod * (2 * k);
            const MonoTime greenOrigin = t0 + kPeriod * (2 * k + 1);
            VERIFY_ON_TIME(red[std::size_t(k)].on, redOrigin + 30ms, "red on");
            VERIFY_ON_TIME(red[std::size_t(k)].off, redOrigin + 50ms, "red off");
            VERIFY_ON_TIME(green[std::size_t(k)].on, greenOrigin + 30ms, "green on");
            VERIFY_ON_TIME(green[std::size_t(k)].off, greenOrigin + 50ms, "green off");
        }
        QVERIFY(engine.fault().isEmpty());
        QVERIFY(engine.allLedsOff());
    }

    // The same LED on consecutive frames at different intensities, the first flash still on when the
    // second job takes its frame: the intensity must not change under the first flash.
    void backToBackJobsOnOneLedKeepEachFlashsIntensity()
    {
        constexpr nanoseconds kPeriod = 40ms;
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(kPeriod), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        engine.arm(FrameJob {1, {LedPulse {kRed, 30ms, 20ms, 300}}});
        engine.arm(FrameJob {2, {LedPulse {kRed, 30ms, 20ms, 900}}});
        const MonoTime t0 = monotonicNow() + 20ms;
        for (int k = 0; k < 3; ++k)
            deliver(trigger, t0 + kPeriod * k, t0 + kPeriod * k);
        QVERIFY(engine.waitEvent(1, 2000ms));
        QVERIFY(engine.waitEvent(2, 2000ms));
        const auto red = leds.onIntervals(0);
        QCOMPARE(red.size(), std::size_t(2));
        // The level in force during each flash is the last one written before its on edge, and none is
        // written while a flash is on.
        const auto writes = leds.intensityWrites();
        QVERIFY(!writes.empty());
        for (std::size_t k = 0; k < red.size(); ++k) {
            int level = -1;
            for (const auto &w : writes) {
                QVERIFY2(!(w.when > red[k].on && w.when < red[k].off),
                    qPrintable(QStringLiteral("intensity %1 written %2 into flash %3")
                                   .arg(w.perMille)
                                   .arg(ms(w.when - red[k].on))
                                   .arg(k + 1)));
                if (w.when <= red[k].on)
                    level = w.perMille;
            }
            QCOMPARE(level, k == 0 ? 300 : 900);
        }
        QVERIFY(engine.fault().isEmpty());
    }

    // Generated triggers (xvs-source) with jobs armed ahead: consecutive frames, each flash running
    // past the next trigger the engine drives itself.
    void backToBackJobsOnGeneratedTriggers()
    {
        constexpr nanoseconds kPeriod = 30ms;
        RecordingLines leds({kRed, kGreen});
        RecordingLines out({QStringLiteral("xvs")});
        auto cfg = sinkConfig(kPeriod);
        cfg.mode = TriggerMode::XvsSource;
        cfg.triggerPulseWidth = 2ms;
        StrobeEngine engine(cfg, leds, nullptr, &out);
        for (int id = 1; id <= 6; ++id)
            engine.arm(FrameJob {quint64(id), {pulse(id % 2 ? kRed : kGreen, 22ms, 12ms)}});
        QVERIFY(engine.start().ok());
        std::vector<StrobeEvent> events;
        for (int id = 1; id <= 6; ++id) {
            auto ev = engine.waitEvent(quint64(id), 2000ms);
            QVERIFY2(ev, qPrintable(QStringLiteral("job %1").arg(id)));
            events.push_back(std::move(*ev));
        }
        engine.stop();
        for (std::size_t i = 0; i < events.size(); ++i) {
            // One job per trigger, in order, with no trigger skipped.
            QCOMPARE(events[i].triggerSequence, events[0].triggerSequence + qint64(i));
            QCOMPARE(events[i].edges.size(), std::size_t(2));
            for (const auto &e : events[i].edges)
                QCOMPARE(e.intended,
                    events[i].triggerTime + (e.active ? 22ms : 34ms + offShift(events[i].edges, e.line)));
        }
        QCOMPARE(leds.onIntervals(0).size(), std::size_t(3));
        QCOMPARE(leds.onIntervals(1).size(), std::size_t(3));
        QVERIFY(engine.fault().isEmpty());
        QVERIFY(!leds.anyActive());
    }

    // A job with a notBefore time waits for the first frame starting at or after it (a fleet follower
    // on a synchronised free-running camera flashes the frame nearest its T).
    // An on edge driven late (a slow write, the thread preempted) keeps the flash's length: the off edge
    // moves later by the lateness, so the image gets the dose planned.
    void aLateOnEdgeKeepsTheFlashLength()
    {
        RecordingLines leds({kRed, kGreen});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(100ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        leds.slowNextWrite(0, true, 600us);
        engine.arm(FrameJob {1, {pulse(kRed, 10ms, 20ms)}});
        const MonoTime t0 = monotonicNow() + 10ms;
        deliver(trigger, t0, t0);
        const auto ev = engine.waitEvent(1, 2000ms);
        QVERIFY(ev);
        QCOMPARE(ev->edges.size(), std::size_t(2));
        const DrivenEdge on = onEdgeOf(ev->edges, kRed);
        const DrivenEdge off = ev->edges[0].active ? ev->edges[1] : ev->edges[0];
        const nanoseconds late = on.measured - on.intended;
        QVERIFY2(late >= 600us, qPrintable(ms(late)));
        const nanoseconds slack = StrobeEngineConfig {}.lateOnSlack;
        QCOMPARE(off.intended, t0 + 30ms + std::min(late, slack));
        if (late <= slack)  // on a quiet machine: the whole lateness is made up
            QCOMPARE(off.intended - on.measured, nanoseconds(20ms));
        VERIFY_ON_TIME(off.measured, off.intended, "red off");
        QVERIFY(engine.fault().isEmpty());
        QVERIFY(engine.allLedsOff());
    }

    // Later than the slack, the off edge moves by the slack only: the flash is shorter than planned, and
    // it is the dose check's business to flag the image.
    void aFlashLateBeyondTheSlackMovesItsOffEdgeByTheSlackOnly()
    {
        RecordingLines leds({kRed, kGreen});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(100ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        const nanoseconds slack = StrobeEngineConfig {}.lateOnSlack;
        leds.slowNextWrite(0, true, slack + 4ms);
        engine.arm(FrameJob {1, {pulse(kRed, 10ms, 20ms)}});
        const MonoTime t0 = monotonicNow() + 10ms;
        deliver(trigger, t0, t0);
        const auto ev = engine.waitEvent(1, 2000ms);
        QVERIFY(ev);
        const DrivenEdge off = ev->edges[0].active ? ev->edges[1] : ev->edges[0];
        QCOMPARE(off.intended, t0 + 30ms + slack);
        QVERIFY(off.intended - onEdgeOf(ev->edges, kRed).measured < 20ms);
        QVERIFY(engine.fault().isEmpty());
    }

    // A moved off edge never runs into the next job's flash on the same LED: it gives way just before
    // that flash's on edge, so the LED is never switched off inside the next image's flash.
    void aMovedOffEdgeGivesWayToTheNextFlashOnTheSameLed()
    {
        constexpr nanoseconds kPeriod = 40ms;
        RecordingLines leds({kRed, kGreen});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(kPeriod), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        leds.slowNextWrite(0, true, 600us);
        // Job 1 lights red until 60 ms, 20 ms into the next frame; job 2 lights it again 0.3 ms after that
        // (the 20 ms leave the engine time to see the second frame start on a busy machine).
        engine.arm(FrameJob {1, {pulse(kRed, 30ms, 30ms)}});
        engine.arm(FrameJob {2, {pulse(kRed, 20300us, 5ms)}});
        const MonoTime t0 = monotonicNow() + 10ms;
        deliver(trigger, t0, t0);
        deliver(trigger, t0 + kPeriod, t0 + kPeriod);
        const auto first = engine.waitEvent(1, 2000ms);
        const auto second = engine.waitEvent(2, 2000ms);
        QVERIFY(first && second);
        const DrivenEdge firstOff = first->edges[0].active ? first->edges[1] : first->edges[0];
        const DrivenEdge secondOn = onEdgeOf(second->edges, kRed);
        QVERIFY2(firstOff.intended < secondOn.intended,
            qPrintable(QStringLiteral("job 1's off edge %1 after job 2's on edge")
                           .arg(ms(firstOff.intended - secondOn.intended))));
        // The lines saw two separate flashes, the second one whole.
        QVERIFY(waitUntil([&] { return !leds.anyActive(); }, 500ms));
        const auto red = leds.onIntervals(0);
        QCOMPARE(red.size(), std::size_t(2));
        QVERIFY(red[0].off <= red[1].on);
        QVERIFY(engine.fault().isEmpty());
    }

    void jobWaitsForItsFrame()
    {
        constexpr nanoseconds kPeriod = 40ms;
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(kPeriod), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        const MonoTime t0 = monotonicNow() + 20ms;
        FrameJob job {7, {pulse(kRed, 5ms, 5ms)}};
        job.notBefore = t0 + 2 * kPeriod - kPeriod / 2;  // frame 2 is the first at or after it
        engine.arm(job);
        for (int k = 0; k <= 3; ++k)
            deliver(trigger, t0 + kPeriod * k, t0 + kPeriod * k);
        const auto ev = engine.waitEvent(7, 2000ms);
        QVERIFY(ev);
        QCOMPARE(ev->triggerTime, t0 + 2 * kPeriod);
        QVERIFY(waitUntil([&] { return engine.stats().triggers == 4; }, 1000ms));
        std::this_thread::sleep_for(20ms);
        const auto red = leds.onIntervals(0);
        QCOMPARE(red.size(), std::size_t(1));  // frames 0, 1 and 3 stayed dark
        VERIFY_ON_TIME(red[0].on, t0 + 2 * kPeriod + 5ms, "red on");
    }

    void safetyLimitClipsATooLongFlash()
    {
        RecordingLines leds({kRed, kGreen});
        FakeTrigger trigger;
        auto cfg = sinkConfig(100ms);
        cfg.flashMaxOn = {20ms};  // red only; green keeps the default
        StrobeEngine engine(cfg, leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        engine.arm(FrameJob {1, {pulse(kRed, 5ms, 80ms)}});
        engine.arm(FrameJob {2, {pulse(kRed, 5ms, 10ms)}});
        const MonoTime t0 = monotonicNow() + 10ms;
        deliver(trigger, t0, t0);
        deliver(trigger, t0 + 100ms, t0 + 100ms);

        const auto clipped = engine.waitEvent(1, 2000ms);
        QVERIFY(clipped);
        QVERIFY(clipped->clipped);
        MonoTime on {}, off {};
        for (const auto &e : clipped->edges)
            (e.active ? on : off) = e.intended;
        QCOMPARE(off - on, 20ms + offShift(clipped->edges, kRed));
        // Kept at its clipped length from the on edge as driven, never longer than the limit.
        QVERIFY(off - onEdgeOf(clipped->edges, kRed).measured <= 20ms);
        const auto within = engine.waitEvent(2, 2000ms);
        QVERIFY(within);
        QVERIFY(!within->clipped);

        const auto red = leds.onIntervals(0);
        QCOMPARE(red.size(), std::size_t(2));
        const nanoseconds onFor = red[0].off - red[0].on;
        QVERIFY2(onFor <= 20ms + kLate && onFor >= 20ms - kLate, qPrintable(ms(onFor)));
        QVERIFY(engine.fault().isEmpty());  // clipping is the limit doing its job, not a fault
    }

    // A machine whose timed sleeps return late (a VM's halted vCPU) would make every edge late by as
    // much; the engine learns the oversleep from its own wake-ups and wakes that much earlier, spinning
    // the rest. The first edge after a sleep is late (nothing learnt yet); the others are on time.
    void aThreadThatWakesLateLearnsToWakeEarlier()
    {
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        constexpr nanoseconds kPeriod = 400ms;  // the margin may be a tenth of it: 40 ms
        StrobeEngineConfig config = sinkConfig(kPeriod);
        config.maxWakeMargin = 60ms;
        StrobeEngine engine(config, leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        constexpr nanoseconds kOversleep = 30ms;
        trigger.oversleep(kOversleep);
        constexpr int kFrames = 4;
        for (int i = 0; i < kFrames; ++i)
            engine.arm(FrameJob {quint64(i + 1), {pulse(kRed, 20ms, 50ms)}});
        const MonoTime t0 = monotonicNow() + 20ms;
        for (int i = 0; i < kFrames; ++i)
            deliver(trigger, t0 + i * kPeriod, t0 + i * kPeriod);
        std::vector<DrivenEdge> edges;
        for (int i = 0; i < kFrames; ++i) {
            const auto ev = engine.waitEvent(quint64(i + 1), 2000ms);
            QVERIFY(ev);
            edges.insert(edges.end(), ev->edges.begin(), ev->edges.end());
        }
        std::sort(edges.begin(), edges.end(),
            [](const DrivenEdge &a, const DrivenEdge &b) { return a.intended < b.intended; });
        QCOMPARE(edges.size(), std::size_t(2 * kFrames));
        const nanoseconds first = edges.front().measured - edges.front().intended;
        QVERIFY2(first >= kOversleep - 1ms, qPrintable(QStringLiteral("first edge ") + ms(first)));
        // Half the oversleep: a learnt margin leaves a few µs; a loaded machine adds its own hiccups.
        for (std::size_t i = 1; i < edges.size(); ++i) {
            const nanoseconds late = edges[i].measured - edges[i].intended;
            QVERIFY2(late < kOversleep / 2,
                qPrintable(
                    QStringLiteral("edge %1 (%2): %3 late").arg(i).arg(edges[i].active).arg(ms(late))));
        }
        QVERIFY2(engine.stats().worstOversleep >= kOversleep, qPrintable(ms(engine.stats().worstOversleep)));
        QVERIFY(engine.allLedsOff());
    }

    // The margin is capped by a tenth of the frame period (and by maxWakeMargin): the engine does not
    // spend a core spinning, and an edge later than that is late, and counted so.
    void theWakeMarginIsCapped()
    {
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngineConfig config = sinkConfig(100ms);
        config.maxWakeMargin = 60ms;  // the frame period caps it at 10 ms
        StrobeEngine engine(config, leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        trigger.oversleep(30ms);
        // A long flash: its off edge is far enough after the late on edge for a sleep (and its oversleep)
        // between them even on a slow machine (TSan).
        engine.arm(FrameJob {1, {pulse(kRed, 20ms, 70ms)}});
        const MonoTime t0 = monotonicNow() + 20ms;
        deliver(trigger, t0, t0);
        const auto ev = engine.waitEvent(1, 2000ms);
        QVERIFY(ev);
        QCOMPARE(ev->edges.size(), std::size_t(2));
        const DrivenEdge on = onEdgeOf(ev->edges, kRed);
        const DrivenEdge off = ev->edges[0].active ? ev->edges[1] : ev->edges[0];
        QVERIFY2(on.measured - on.intended >= 29ms, qPrintable(ms(on.measured - on.intended)));
        // The off edge's sleep learnt 30 ms, of which the 10 ms cap is made up.
        QVERIFY2(off.measured - off.intended >= 19ms, qPrintable(ms(off.measured - off.intended)));
        QCOMPARE(engine.stats().lateEdges, 2);
    }

    // With no frame coming and nothing lit the strobe thread sleeps on its trigger input (it used to wake
    // every 5 ms to poll); a request, an illumination or stop() still gets through at once.
    void idleEngineSleepsOnItsTriggerInput()
    {
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(100ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        std::this_thread::sleep_for(50ms);
        const qint64 before = trigger.waitsReturned();
        std::this_thread::sleep_for(400ms);
        const qint64 wakeUps = trigger.waitsReturned() - before;
        // Polling every 5 ms would be 80 wake-ups; the backstop is one per second.
        QVERIFY2(wakeUps <= 2, qPrintable(QStringLiteral("%1 wake-ups in 400 ms of idle").arg(wakeUps)));

        const MonoTime asked = monotonicNow();
        QVERIFY(engine.illuminate({pulse(kRed, 0us, 200ms)}).ok());
        QVERIFY(waitUntil([&] { return leds.isActive(0); }, 2000ms));
        const auto writes = leds.writes();
        const auto on = std::find_if(writes.begin(), writes.end(), [](const auto &w) { return w.active; });
        QVERIFY(on != writes.end());
        const auto onAfter = on->when - asked;
        // Far sooner than the one-second backstop (a loaded VM can still take a few ms to wake a thread).
        QVERIFY2(onAfter < 250ms,
            qPrintable(QStringLiteral("the LED went on %1 after the request").arg(ms(onAfter))));
        QVERIFY(waitUntil([&] { return !leds.isActive(0); }, 2000ms));

        const MonoTime stopAsked = monotonicNow();
        engine.stop();
        QVERIFY2(monotonicNow() - stopAsked < 250ms, "stop() waited for the idle backstop");
    }

    // Driving the trigger on request (a fleet follower), the idle thread sleeps until a request comes.
    void idleRequestedTriggerIsServedAtOnce()
    {
        RecordingLines leds({kRed});
        RecordingLines out({QStringLiteral("xvs")});
        StrobeEngineConfig cfg = sinkConfig(100ms);
        cfg.mode = TriggerMode::XvsSource;
        cfg.triggerOnRequest = true;
        StrobeEngine engine(cfg, leds, nullptr, &out);
        QVERIFY(engine.start().ok());
        std::this_thread::sleep_for(300ms);
        const auto firstActive = [&]() -> std::optional<MonoTime> {
            for (const auto &w : out.writes())
                if (w.active)
                    return w.when;
            return std::nullopt;
        };
        QVERIFY(!firstActive());
        const MonoTime when = monotonicNow() + 20ms;
        engine.fireTriggerAt(when);
        QVERIFY(waitUntil([&] { return firstActive().has_value(); }, 2000ms));
        VERIFY_ON_TIME(*firstActive(), when, "trigger asked after an idle spell");
        engine.stop();
    }

    void stopMidFlashTurnsEveryLedOff()
    {
        RecordingLines leds({kRed, kGreen});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(100ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        QVERIFY(engine.illuminate({pulse(kGreen, 0us, 5s)}).ok());
        engine.arm(FrameJob {1, {pulse(kRed, 0us, 500ms)}});
        const MonoTime t0 = monotonicNow();
        deliver(trigger, t0, t0);
        QVERIFY(waitUntil([&] { return leds.isActive(0) && leds.isActive(1); }, 1000ms));
        std::this_thread::sleep_for(20ms);

        engine.stop();
        const MonoTime stopped = monotonicNow();
        QVERIFY(!leds.anyActive());
        QVERIFY(engine.allLedsOff());
        std::this_thread::sleep_for(100ms);  // nothing left behind turns a LED back on
        engine.stop();  // twice is fine
        for (const auto &w : leds.writes())
            QVERIFY2(!(w.active && w.when > stopped), "a LED was driven on after stop()");
        QVERIFY(!leds.anyActive());
        const auto red = leds.onIntervals(0);
        QCOMPARE(red.size(), std::size_t(1));
        QVERIFY(red[0].off - red[0].on < 200ms);
    }

    void failedOnWriteRaisesFaultAndLeavesLedsOff()
    {
        RecordingLines leds({kRed, kGreen});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(100ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        leds.failNextWrite(0, true);
        engine.arm(FrameJob {1, {pulse(kGreen, 5ms, 100ms), pulse(kRed, 10ms, 50ms)}});
        QElapsedTimer timer;
        timer.start();
        deliver(trigger, monotonicNow(), monotonicNow());
        // The waiter hears of the fault at once instead of sitting out its timeout.
        QVERIFY(!engine.waitEvent(1, 3000ms));
        QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(engine.fault().contains(kRed), qPrintable(engine.fault()));
        QVERIFY(waitUntil([&] { return !leds.anyActive(); }, 500ms));
        QVERIFY(engine.allLedsOff());
        // Green was on when red failed; it went off with the fault, not after its 100 ms.
        const auto green = leds.onIntervals(1);
        QCOMPARE(green.size(), std::size_t(1));
        QVERIFY(green[0].off != MonoTime {});
        QVERIFY2(green[0].off - green[0].on < 50ms, qPrintable(ms(green[0].off - green[0].on)));
    }

    void failedOffWriteStillEndsWithLedOff()
    {
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(100ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        leds.failNextWrite(0, false);  // after start(), whose all-off writes would take it
        engine.arm(FrameJob {1, {pulse(kRed, 5ms, 10ms)}});
        deliver(trigger, monotonicNow(), monotonicNow());
        QVERIFY(!engine.waitEvent(1, 2000ms));
        QVERIFY(!engine.fault().isEmpty());
        // The shutdown path writes every line off again, and that write succeeds.
        QVERIFY(waitUntil([&] { return !leds.isActive(0); }, 500ms));
    }

    void restartAfterFaultStartsClean()
    {
        // A run that hit a GPIO hiccup must not poison the next run on the same rig.
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(50ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        leds.failNextWrite(0, true);
        engine.arm(FrameJob {1, {pulse(kRed, 5ms, 5ms)}});
        deliver(trigger, monotonicNow(), monotonicNow());
        QVERIFY(!engine.waitEvent(1, 2000ms));
        QVERIFY(!engine.fault().isEmpty());
        engine.stop();

        QVERIFY(engine.start().ok());
        QVERIFY2(engine.fault().isEmpty(),
            qPrintable(QStringLiteral("stale fault after restart: ") + engine.fault()));
        engine.arm(FrameJob {2, {pulse(kRed, 5ms, 5ms)}});
        const MonoTime t = monotonicNow();
        deliver(trigger, t, t);
        const auto ev = engine.waitEvent(2, 2000ms);
        QVERIFY(ev);
        QCOMPARE(ev->triggerTime, t);
    }

    void triggerInputFailureRaisesFault()
    {
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(100ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        QVERIFY(engine.illuminate({pulse(kRed, 0us, 5s)}).ok());
        QVERIFY(waitUntil([&] { return leds.isActive(0); }, 1000ms));
        trigger.fail(QStringLiteral("gpiochip0 went away"));
        QVERIFY(waitUntil([&] { return !engine.fault().isEmpty(); }, 1000ms));
        QVERIFY2(engine.fault().contains(QStringLiteral("gpiochip0 went away")), qPrintable(engine.fault()));
        QVERIFY(waitUntil([&] { return !leds.anyActive(); }, 500ms));
    }

    void generatedTriggerPulses_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("widthUs");
        // Widths far above real ones (10 µs XVS) so the lines' own timestamps can check them on a VM.
        QTest::newRow("xvs-source") << int(TriggerMode::XvsSource) << 2000;
        QTest::newRow("external") << int(TriggerMode::External) << 7000;
    }

    void generatedTriggerPulses()
    {
        QFETCH(int, mode);
        QFETCH(int, widthUs);
        constexpr nanoseconds kPeriod = 25ms;
        const nanoseconds width = microseconds(widthUs);
        RecordingLines leds({kRed});
        RecordingLines out({QStringLiteral("xvs")});
        auto cfg = sinkConfig(kPeriod);
        cfg.mode = TriggerMode(mode);
        cfg.triggerPulseWidth = width;
        StrobeEngine engine(cfg, leds, nullptr, &out);
        QVERIFY(engine.start().ok());
        engine.arm(FrameJob {1, {pulse(kRed, 4ms, 3ms)}});
        const auto ev = engine.waitEvent(1, 1000ms);
        QVERIFY(ev);
        std::this_thread::sleep_for(200ms);
        engine.stop();
        QVERIFY(!out.isActive(0));

        std::vector<DrivenEdge> starts, ends;
        for (const auto &e : engine.takeEdgeLog()) {
            if (e.line == QStringLiteral("trigger"))
                (e.active ? starts : ends).push_back(e);
        }
        QVERIFY2(starts.size() >= 6, qPrintable(QString::number(starts.size())));
        QCOMPARE(engine.stats().triggers, qint64(starts.size()));
        for (std::size_t i = 1; i < starts.size(); ++i)
            QCOMPARE(starts[i].intended - starts[i - 1].intended, kPeriod);
        // The release is timed from the start edge as driven, so a late start keeps the full width.
        for (std::size_t i = 0; i < ends.size(); ++i)
            QCOMPARE(ends[i].intended - starts[i].measured, width);

        // The wire itself: pulses where they were meant, as wide as configured.
        const auto pulses = out.onIntervals(0);
        QCOMPARE(pulses.size(), starts.size());
        for (std::size_t i = 0; i < pulses.size(); ++i) {
            VERIFY_ON_TIME(pulses[i].on, starts[i].intended, "trigger start");
            const nanoseconds w = pulses[i].off - pulses[i].on;
            QVERIFY2(
                pulses[i].off != MonoTime {} && w >= width - kLate && w <= width + kLate, qPrintable(ms(w)));
        }

        // The job's origin is the measured time of the trigger the engine drove.
        const auto origin = std::find_if(
            starts.begin(), starts.end(), [&](const DrivenEdge &e) { return e.measured == ev->triggerTime; });
        QVERIFY(origin != starts.end());
        for (const auto &e : ev->edges)
            QCOMPARE(e.intended, ev->triggerTime + (e.active ? 4ms : 7ms + offShift(ev->edges, e.line)));
        QCOMPARE(leds.onIntervals(0).size(), std::size_t(1));
    }

    void illuminateTurnsLedsOnForItsDurationWithinTheLimit()
    {
        RecordingLines leds({kRed, kGreen});
        FakeTrigger trigger;
        auto cfg = sinkConfig(100ms);
        cfg.illuminationMaxOn = {80ms, 80ms};
        StrobeEngine engine(cfg, leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        QVERIFY(!engine.illuminate({pulse(QStringLiteral("violet"), 0us, 10ms)}).ok());

        // Its own duration.
        QVERIFY(engine.illuminate({pulse(kRed, 0us, 30ms)}).ok());
        QVERIFY(waitUntil([&] { return leds.isActive(0); }, 1000ms));
        QVERIFY(waitUntil([&] { return !leds.isActive(0); }, 1000ms));
        QVERIFY(engine.illuminate({}).ok());
        std::this_thread::sleep_for(20ms);  // let the engine see the pause (back to back is tested below)

        // Bounded by the limit.
        QVERIFY(engine.illuminate({pulse(kRed, 0us, 5s)}).ok());
        QVERIFY(waitUntil([&] { return leds.isActive(0); }, 1000ms));
        QVERIFY(waitUntil([&] { return !leds.isActive(0); }, 1000ms));
        QVERIFY(engine.illuminate({}).ok());
        std::this_thread::sleep_for(20ms);

        // Ended early by illuminate({}).
        QVERIFY(engine.illuminate({pulse(kRed, 0us, 5s), pulse(kGreen, 0us, 5s)}).ok());
        QVERIFY(waitUntil([&] { return leds.isActive(0) && leds.isActive(1); }, 1000ms));
        std::this_thread::sleep_for(10ms);
        QVERIFY(engine.illuminate({}).ok());
        QVERIFY(waitUntil([&] { return !leds.anyActive(); }, 1000ms));

        const auto red = leds.onIntervals(0);
        QCOMPARE(red.size(), std::size_t(3));
        const auto len = [](const tests::OnInterval &i) { return i.off - i.on; };
        QVERIFY2(len(red[0]) >= 29ms && len(red[0]) <= 30ms + kLate, qPrintable(ms(len(red[0]))));
        QVERIFY2(len(red[1]) >= 79ms && len(red[1]) <= 80ms + kLate, qPrintable(ms(len(red[1]))));
        QVERIFY2(len(red[2]) < 60ms, qPrintable(ms(len(red[2]))));
        QCOMPARE(leds.onIntervals(1).size(), std::size_t(1));
        QVERIFY(engine.fault().isEmpty());  // the scheduled end, not the backstop, turned them off
    }

    // The off edge that ends a flash at its safety limit, driven late because the thread was held up
    // (here: the write before it took 10 ms), is a late edge, not a runaway LED: no fault, so a run is
    // not stopped by a scheduling hiccup. (It was a fault when the backstop ran before the due edge.)
    void lateOffEdgeAtTheLimitIsNotAFault()
    {
        RecordingLines leds({kRed, kGreen});
        FakeTrigger trigger;
        auto cfg = sinkConfig(100ms);
        cfg.illuminationMaxOn = {40ms, 40ms};
        StrobeEngine engine(cfg, leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        leds.slowNextWrite(1, false, 10ms);  // green's off edge, due 3 ms before red's
        QVERIFY(engine.illuminate({pulse(kRed, 0us, 5s), pulse(kGreen, 0us, 37ms)}).ok());
        QVERIFY(waitUntil([&] { return leds.isActive(0) && leds.isActive(1); }, 1000ms));
        QVERIFY(waitUntil([&] { return !leds.anyActive(); }, 1000ms));
        const auto red = leds.onIntervals(0);
        QCOMPARE(red.size(), std::size_t(1));
        const auto len = red[0].off - red[0].on;
        QVERIFY2(len >= 39ms && len <= 60ms, qPrintable(ms(len)));  // held up by the slow write, then off
        QVERIFY2(engine.fault().isEmpty(), qPrintable(engine.fault()));
        QVERIFY(engine.illuminate({}).ok());
    }

    void illuminateAgainAfterItsDurationTurnsTheLedOnAgain()
    {
        // Manual control: "red on for 20 ms", it ends by itself, then "red on" again.
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(100ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        QVERIFY(engine.illuminate({pulse(kRed, 0us, 20ms)}).ok());
        QVERIFY(waitUntil([&] { return leds.isActive(0); }, 1000ms));
        QVERIFY(waitUntil([&] { return !leds.isActive(0); }, 1000ms));
        QVERIFY(engine.illuminate({pulse(kRed, 0us, 20ms)}).ok());
        QVERIFY2(waitUntil([&] { return leds.isActive(0); }, 500ms),
            "the second illuminate() did not turn red on");
    }

    void backToBackIlluminationStepsOfTheSameLedBothGetLight()
    {
        // What ProtocolRun does between two illuminate steps: wait out the first, illuminate({}), then
        // at once the next step's light. Both steps must be lit, however the calls interleave with the
        // engine's loop.
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(100ms), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        QVERIFY(engine.illuminate({pulse(kRed, 0us, 30ms)}).ok());
        QVERIFY(waitUntil([&] { return leds.isActive(0); }, 1000ms));
        std::this_thread::sleep_for(30ms);
        QVERIFY(engine.illuminate({}).ok());
        QVERIFY(engine.illuminate({pulse(kRed, 0us, 100ms)}).ok());
        std::this_thread::sleep_for(50ms);
        QVERIFY2(leds.isActive(0), "the second step's light is not on halfway through it");
        QVERIFY(waitUntil([&] { return !leds.isActive(0); }, 1000ms));
    }

    void statsCountMissedAndRejectedEdges()
    {
        constexpr nanoseconds kPeriod = 30ms;
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        StrobeEngine engine(sinkConfig(kPeriod), leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        // Edges from the recent past, all at once: classification depends on stamps only.
        const MonoTime t0 = monotonicNow() - 1s;
        for (int k = 0; k < 10; ++k) {
            if (k == 4 || k == 7)
                continue;
            trigger.push(t0 + kPeriod * k);
            if (k == 2)
                trigger.push(t0 + kPeriod * k + 11ms);
        }
        QVERIFY(waitUntil([&] { return engine.stats().triggers == 8; }, 1000ms));
        QVERIFY(waitUntil([&] { return engine.stats().rejected == 1; }, 1000ms));
        const auto st = engine.stats();
        QCOMPARE(st.missed, qint64(2));
        QCOMPARE(st.stopPulses, qint64(0));
        QVERIFY(!st.realtime);  // not requested
        QVERIFY(leds.onIntervals(0).empty());
    }

    void twoPulsesPerFrameFlashOnFrameStartsOnly()
    {
        constexpr nanoseconds kPeriod = 30ms;
        constexpr nanoseconds kStartToStop = 12ms;
        RecordingLines leds({kRed});
        FakeTrigger trigger;
        auto cfg = sinkConfig(kPeriod);
        cfg.pulsesPerFrame = 2;
        cfg.startToStop = kStartToStop;
        StrobeEngine engine(cfg, leds, &trigger, nullptr);
        QVERIFY(engine.start().ok());
        engine.arm(FrameJob {1, {pulse(kRed, 1ms, 1ms)}});
        engine.arm(FrameJob {2, {pulse(kRed, 1ms, 1ms)}});
        const MonoTime t0 = monotonicNow() - 500ms;
        for (int k = 0; k < 4; ++k) {
            if (k != 2)  // frame 2's start is lost
                trigger.push(t0 + kPeriod * k);
            trigger.push(t0 + kPeriod * k + kStartToStop);
        }
        // Frame 0's start is only recognised by its stop (locking), so the jobs take frames 1 and 3.
        const auto first = engine.waitEvent(1, 1000ms);
        const auto second = engine.waitEvent(2, 1000ms);
        QVERIFY(first && second);
        QCOMPARE(first->triggerTime, t0 + kPeriod);
        QCOMPARE(second->triggerTime, t0 + kPeriod * 3);
        // Frame 3's stop may still be in the queue when job 2's flash has ended.
        QVERIFY(waitUntil([&] { return engine.stats().stopPulses == 4; }, 1000ms));
        const auto st = engine.stats();
        QCOMPARE(st.triggers, qint64(2));
        QCOMPARE(st.missed, qint64(1));
        QCOMPARE(st.rejected, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestStrobeEngine)
#include "test_strobe_engine.moc"
