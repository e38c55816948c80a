// Unit tests for StreamClock: device frame times moved onto CLOCK_MONOTONIC. Every stamp is checked
// against what is physically true: stamps increase, a stamp is never after the frame's arrival and never
// before the frame really started.
#include "core/timing/stream_clock.h"

#include <QTest>

#include <random>
#include <vector>

using namespace scopesync::core;
using namespace scopesync::core::timing;

namespace {

constexpr qint64 kMs = 1'000'000;

// One frame as a camera pipeline would give it: its device time (none when it carries no time), when
// it really started on CLOCK_MONOTONIC and when it arrived.
struct Delivery {
    std::optional<qint64> deviceNs;
    qint64 startNs = 0;
    qint64 arrivalNs = 0;
};

// Stamps every delivery in order, appending to `out` (stamps of an earlier call stay the ones to come
// after), and checks each; returns what was wrong, or an empty string.
QString stampAll(
    StreamClock &clock, const std::vector<Delivery> &deliveries, std::vector<StreamClock::Stamp> &out)
{
    for (std::size_t i = 0; i < deliveries.size(); ++i) {
        const Delivery &d = deliveries[i];
        const auto s = clock.stamp(d.deviceNs, monoFromNs(d.arrivalNs));
        const qint64 t = toNs(s.time);
        if (!out.empty() && !(s.time > out.back().time))
            return QStringLiteral("frame %1: stamps must increase (%2 ns, the one before %3 ns)")
                .arg(i)
                .arg(t)
                .arg(toNs(out.back().time));
        if (t > d.arrivalNs)
            return QStringLiteral("frame %1: stamped %2 ns after it arrived").arg(i).arg(t - d.arrivalNs);
        if (t < d.startNs)
            return QStringLiteral("frame %1: stamped %2 ns before it started").arg(i).arg(d.startNs - t);
        out.push_back(s);
    }
    return {};
}

// `count` frames `periodNs` apart whose device clock reads `offsetNs` less than CLOCK_MONOTONIC,
// from device time `firstDeviceNs`; each arrives `latency(i)` after it started, in order.
template <typename Latency>
std::vector<Delivery> frames(
    int count, qint64 firstDeviceNs, qint64 periodNs, qint64 offsetNs, Latency latency)
{
    std::vector<Delivery> out;
    qint64 lastArrival = 0;
    for (int i = 0; i < count; ++i) {
        Delivery d;
        d.deviceNs = firstDeviceNs + i * periodNs;
        d.startNs = *d.deviceNs + offsetNs;
        // In order: a frame queued behind a late one arrives just after it.
        d.arrivalNs = std::max(d.startNs + latency(i), lastArrival + 1000);
        lastArrival = d.arrivalNs;
        out.push_back(d);
    }
    return out;
}

}  // namespace

class TestStreamClock : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The first frames come slowly (a pipeline starting), then a burst: the estimate tightens to the
    // quickest delivery, and the early frames are not stamped before they started.
    void aSlowStartTightensToTheQuickestDelivery()
    {
        const qint64 offset = 20'000 * kMs;
        const auto deliveries = frames(60, 0, 33 * kMs, offset,
            [](int i) { return i < 5 ? (200 - 30 * i) * kMs : 2 * kMs + (i % 3) * kMs; });
        StreamClock clock;
        std::vector<StreamClock::Stamp> stamps;
        const QString wrong = stampAll(clock, deliveries, stamps);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        QCOMPARE(clock.frames(), 60);
        QCOMPARE(*clock.offsetNs(), offset + 2 * kMs);  // late by the quickest delivery, no more
        QCOMPARE(clock.clockJumps(), 0);
        QCOMPARE(clock.heldBack(), 0);
        QVERIFY(stamps.back().fromDevice);
        QCOMPARE(toNs(stamps.back().time), deliveries.back().startNs + 2 * kMs);
    }

    // 5000 frames with jittered deliveries and stalls up to 300 ms (frames pile up behind a stall).
    void jitterAndStallsKeepEveryStampTrue()
    {
        std::mt19937 random(17);
        std::uniform_int_distribution<qint64> jitter(500'000, 8 * kMs);
        std::uniform_int_distribution<int> stallEvery(0, 199);
        std::uniform_int_distribution<qint64> stall(10 * kMs, 300 * kMs);
        const qint64 offset = 123'456 * kMs;
        const auto deliveries = frames(5000, 5 * kMs, 16'666'667, offset,
            [&](int) { return stallEvery(random) == 0 ? stall(random) : jitter(random); });
        StreamClock clock;
        std::vector<StreamClock::Stamp> stamps;
        const QString wrong = stampAll(clock, deliveries, stamps);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        QCOMPARE(qint64(stamps.size()), qint64(5000));
        // Once the estimate has seen quick deliveries, stamps sit within 1 ms of the truth.
        for (std::size_t i = 100; i < stamps.size(); ++i)
            QVERIFY2(toNs(stamps[i].time) - deliveries[i].startNs < kMs, qPrintable(QString::number(i)));
        QVERIFY(*clock.offsetNs() - offset < kMs);
        QCOMPARE(clock.clockJumps(), 0);
    }

    // A frame without a device time is stamped at its arrival; when it arrived late, the next frame's
    // estimate can fall before it, and is then put just after it: later, never earlier.
    void framesWithoutADeviceTimeKeepTheOrder()
    {
        const qint64 offset = 1000 * kMs;
        auto deliveries = frames(40, 0, 10 * kMs, offset, [](int i) { return i == 10 ? 15 * kMs : 1 * kMs; });
        deliveries[10].deviceNs.reset();  // late, and stamped at its arrival, after frame 11's estimate
        StreamClock clock;
        std::vector<StreamClock::Stamp> stamps;
        const QString wrong = stampAll(clock, deliveries, stamps);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        QVERIFY(!stamps[10].fromDevice);
        QCOMPARE(toNs(stamps[10].time), deliveries[10].arrivalNs);
        QVERIFY(stamps[11].fromDevice);
        QCOMPARE(
            stamps[11].heldBackNs, deliveries[10].startNs + 15 * kMs + 1 - (deliveries[11].startNs + kMs));
        QCOMPARE(clock.heldBack(), 1);
        QCOMPARE(stamps[12].heldBackNs, 0);
    }

    // The same frame given twice (its device time again): flagged, so that it is not taken for a new
    // exposure; stamps still increase.
    void aRepeatedDeviceTimeIsFlagged()
    {
        auto deliveries = frames(10, 0, 10 * kMs, 50 * kMs, [](int) { return 2 * kMs; });
        Delivery again = deliveries[4];
        again.arrivalNs += 1000;
        deliveries.insert(deliveries.begin() + 5, again);
        for (std::size_t i = 6; i < deliveries.size(); ++i)
            deliveries[i].arrivalNs = std::max(deliveries[i].arrivalNs, again.arrivalNs + 1000);
        StreamClock clock;
        std::vector<StreamClock::Stamp> stamps;
        const QString wrong = stampAll(clock, deliveries, stamps);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        QVERIFY(!stamps[4].repeat);
        QVERIFY(stamps[5].repeat);
        QVERIFY(!stamps[6].repeat);
        QCOMPARE(clock.repeats(), 1);
        QCOMPARE(clock.clockJumps(), 0);
    }

    // Qt's pipeline, just after a start: frames on the earlier running time, then frames whose device
    // times restart at 0. The old offset would stamp the frames after the jump early.
    void aDeviceClockThatGoesBackStartsANewEstimate()
    {
        const qint64 offset = 5000 * kMs;
        auto deliveries = frames(3, 900 * kMs, 20 * kMs, offset, [](int) { return 1 * kMs; });
        // The next frame starts 20 ms after the last (at 5960 ms) with a device time of 0.
        const qint64 rebased = offset + 960 * kMs;
        const auto after = frames(30, 0, 20 * kMs, rebased, [](int i) { return 3 * kMs + (i % 2) * kMs; });
        deliveries.insert(deliveries.end(), after.begin(), after.end());
        StreamClock clock;
        std::vector<StreamClock::Stamp> stamps;
        const QString wrong = stampAll(clock, deliveries, stamps);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        QCOMPARE(clock.clockJumps(), 1);
        QCOMPARE(clock.frames(), 30);
        QCOMPARE(*clock.offsetNs(), rebased + 3 * kMs);
    }

    // After restart(), a pipeline whose device clock advanced less than real time while it was stopped
    // (device times still increase, the offset grew) is estimated afresh, and its stamps still come after
    // those before the restart. Kept, the old, smaller offset would stamp it early.
    void aRestartStartsAnewAndKeepsTheOrder()
    {
        StreamClock clock;
        std::vector<StreamClock::Stamp> stamps;
        const auto first = frames(20, 0, 10 * kMs, 100 * kMs, [](int) { return 2 * kMs; });
        QString wrong = stampAll(clock, first, stamps);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        QCOMPARE(*clock.offsetNs(), 102 * kMs);
        clock.restart();
        QVERIFY(!clock.offsetNs());
        QCOMPARE(clock.frames(), 0);
        // Stopped for 1 s; the device clock went on at 500 ms, 310 ms after its last frame.
        const qint64 restartedOffset = first.back().startNs + 1000 * kMs - 500 * kMs;
        const auto second = frames(20, 500 * kMs, 10 * kMs, restartedOffset, [](int) { return 4 * kMs; });
        wrong = stampAll(clock, second, stamps);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        QCOMPARE(*clock.offsetNs(), restartedOffset + 4 * kMs);
        QCOMPARE(clock.clockJumps(), 0);
    }
};

QTEST_GUILESS_MAIN(TestStreamClock)
#include "test_stream_clock.moc"
