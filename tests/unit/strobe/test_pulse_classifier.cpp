// Unit tests for PulseClassifier: missed pulses, glitches, re-lock, start/stop pairs and period drift.
#include "hal/strobe/pulse_classifier.h"

#include <QTest>

#include <random>
#include <vector>

using scopesync::hal::strobe::PulseClassifier;
using Kind = PulseClassifier::Kind;
using std::chrono::nanoseconds;
using namespace std::chrono_literals;

namespace {

// An arbitrary origin far from zero, like a CLOCK_MONOTONIC reading on a machine up for a while.
constexpr nanoseconds kT0 = 1'000'000'000'000ns;
constexpr nanoseconds kPeriod = 100ms;
constexpr nanoseconds kStartToStop = 60ms;

// One edge as the camera produced it, with the kind the classifier should give it.
struct Edge {
    nanoseconds t;
    Kind truth;
    int missedBefore = 0;
};

PulseClassifier::Config onePerFrame()
{
    return {.pulsesPerFrame = 1, .framePeriod = kPeriod};
}

PulseClassifier::Config twoPerFrame()
{
    return {.pulsesPerFrame = 2, .framePeriod = kPeriod, .startToStop = kStartToStop};
}

// Interrupt timestamps wobble by tens of microseconds; the classifier must not care.
nanoseconds jitter(std::mt19937_64 &rng)
{
    return nanoseconds(std::uniform_int_distribution<long long>(-30'000, 30'000)(rng));
}

const char *kindName(Kind k)
{
    switch (k) {
    case Kind::FrameStart: return "start";
    case Kind::ExposureStop: return "stop";
    case Kind::Glitch: return "glitch";
    case Kind::Pending: return "pending";
    }
    return "?";
}

// Two-pulse frames 0..frames-1; `dropStart`/`dropStop` say which pulses the Pi never saw.
std::vector<Edge> startStopTrain(
    int frames, const QList<int> &dropStart, const QList<int> &dropStop, std::mt19937_64 &rng)
{
    std::vector<Edge> edges;
    int missed = 0;
    for (int k = 0; k < frames; ++k) {
        const nanoseconds start = kT0 + kPeriod * k;
        if (std::find(dropStart.begin(), dropStart.end(), k) == dropStart.end()) {
            edges.push_back({start + jitter(rng), Kind::FrameStart, missed});
            missed = 0;
        } else {
            ++missed;
        }
        if (std::find(dropStop.begin(), dropStop.end(), k) == dropStop.end())
            edges.push_back({start + kStartToStop + jitter(rng), Kind::ExposureStop, 0});
    }
    return edges;
}

}  // namespace

class TestPulseClassifier : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void onePulsePerFrameCountsMissedPulses()
    {
        std::mt19937_64 rng(1);
        PulseClassifier c(onePerFrame());
        int missed = 0;
        for (int k = 0; k < 40; ++k) {
            // Frame 5 lost alone, frames 10–12 lost in a row.
            if (k == 5 || (k >= 10 && k <= 12)) {
                ++missed;
                continue;
            }
            const auto r = c.classify(kT0 + kPeriod * k + jitter(rng));
            QVERIFY2(r.kind == Kind::FrameStart, qPrintable(QStringLiteral("frame %1").arg(k)));
            QCOMPARE(r.missedBefore, k == 0 ? 0 : missed);
            missed = 0;
        }
    }

    void glitchesAtRandomPhasesAreRejected()
    {
        std::mt19937_64 rng(2);
        PulseClassifier c(onePerFrame());
        // Keep glitches clear of the acceptance window (0.5 % of the period, at least 200 µs).
        std::uniform_int_distribution<long long> phase(2'000'000, kPeriod.count() - 2'000'000);
        std::uniform_int_distribution<int> perFrame(0, 2);
        int glitches = 0;
        for (int k = 0; k < 300; ++k) {
            const nanoseconds start = kT0 + kPeriod * k;
            const auto r = c.classify(start + jitter(rng));
            QVERIFY2(r.kind == Kind::FrameStart, qPrintable(QStringLiteral("frame %1").arg(k)));
            QCOMPARE(r.missedBefore, 0);
            std::vector<long long> phases(std::size_t(perFrame(rng)));
            for (auto &p : phases)
                p = phase(rng);
            std::sort(phases.begin(), phases.end());
            for (const long long p : phases) {
                const auto g = c.classify(start + nanoseconds(p));
                QVERIFY2(g.kind == Kind::Glitch,
                    qPrintable(QStringLiteral("glitch in frame %1 at %2 µs classified %3")
                                   .arg(k)
                                   .arg(p / 1000)
                                   .arg(QLatin1String(kindName(g.kind)))));
                ++glitches;
            }
        }
        QVERIFY(glitches > 200);  // the test exercised what it claims
        // Glitches do not bend the period estimate (timestamp jitter alone moves it by a few µs).
        QVERIFY2(std::abs((c.framePeriod() - kPeriod).count()) < 20'000,
            qPrintable(QStringLiteral("period estimate %1 ns").arg(c.framePeriod().count())));
    }

    void burstOfGlitchesWithinOneFrameKeepsTheLock()
    {
        // Ringing on a badly terminated XVS wire gives a few edges microseconds apart. They are not a
        // reason to give up a lock that the very next frame start confirms.
        PulseClassifier c(onePerFrame());
        for (int k = 0; k < 5; ++k)
            QCOMPARE(c.classify(kT0 + kPeriod * k).kind, Kind::FrameStart);
        const nanoseconds ring = kT0 + kPeriod * 4 + 37ms;
        for (int i = 0; i < 4; ++i) {
            const auto r = c.classify(ring + 3us * i);
            QVERIFY2(r.kind == Kind::Glitch,
                qPrintable(QStringLiteral("ringing edge %1 classified %2")
                               .arg(i)
                               .arg(QLatin1String(kindName(r.kind)))));
        }
        for (int k = 5; k < 10; ++k) {
            const auto r = c.classify(kT0 + kPeriod * k);
            QVERIFY2(
                r.kind == Kind::FrameStart, qPrintable(QStringLiteral("frame %1 after the ringing").arg(k)));
            QCOMPARE(r.missedBefore, 0);
        }
    }

    void relocksAfterLockingOntoAGlitch()
    {
        PulseClassifier c(onePerFrame());
        // The first edge is noise 37 ms before the real frame clock: the classifier locks onto it.
        QCOMPARE(c.classify(kT0 - 37ms).kind, Kind::FrameStart);
        int lost = 0;
        int k = 0;
        for (; k < 10; ++k) {
            if (c.classify(kT0 + kPeriod * k).kind == Kind::FrameStart)
                break;
            ++lost;
        }
        QVERIFY2(k < 10, "never re-locked onto the real frame clock");
        QVERIFY2(lost <= 3, qPrintable(QStringLiteral("%1 real frames lost before re-locking").arg(lost)));
        for (++k; k < 40; ++k) {
            const auto r = c.classify(kT0 + kPeriod * k);
            QVERIFY2(r.kind == Kind::FrameStart, qPrintable(QStringLiteral("frame %1 after re-lock").arg(k)));
            QCOMPARE(r.missedBefore, 0);
        }
    }

    void twoPulsesPerFrameSurviveMissedStartsAndStops_data()
    {
        QTest::addColumn<QList<int>>("dropStart");
        QTest::addColumn<QList<int>>("dropStop");
        QTest::newRow("none") << QList<int> {} << QList<int> {};
        QTest::newRow("one start") << QList<int> {10} << QList<int> {};
        QTest::newRow("one stop") << QList<int> {} << QList<int> {20};
        QTest::newRow("start and stop of one frame") << QList<int> {30} << QList<int> {30};
        QTest::newRow("stop then next start") << QList<int> {16} << QList<int> {15};
        QTest::newRow("many") << QList<int> {7, 21, 22, 35} << QList<int> {3, 12, 13, 28, 35};
    }

    void twoPulsesPerFrameSurviveMissedStartsAndStops()
    {
        // Counting odd = start, even = stop would be wrong for every edge after the first miss.
        QFETCH(QList<int>, dropStart);
        QFETCH(QList<int>, dropStop);
        std::mt19937_64 rng(3);
        const auto edges = startStopTrain(40, dropStart, dropStop, rng);
        PulseClassifier c(twoPerFrame());
        // Locking: the first start is undecided until its stop tells the pair apart.
        QCOMPARE(c.classify(edges[0].t).kind, Kind::Pending);
        QCOMPARE(c.classify(edges[1].t).kind, Kind::ExposureStop);
        for (std::size_t i = 2; i < edges.size(); ++i) {
            const auto r = c.classify(edges[i].t);
            QVERIFY2(r.kind == edges[i].truth,
                qPrintable(
                    QStringLiteral("edge %1 at %2 ms: %3, expected %4")
                        .arg(i)
                        .arg(double((edges[i].t - kT0).count()) / 1e6, 0, 'f', 2)
                        .arg(QLatin1String(kindName(r.kind)), QLatin1String(kindName(edges[i].truth)))));
            if (r.kind == Kind::FrameStart)
                QCOMPARE(r.missedBefore, edges[i].missedBefore);
        }
    }

    void twoPulsesPerFrameLockWhenListeningStartsMidExposure()
    {
        // The first edge the Pi sees is a stop.
        std::mt19937_64 rng(4);
        auto edges = startStopTrain(20, {0}, {}, rng);
        PulseClassifier c(twoPerFrame());
        QCOMPARE(c.classify(edges[0].t).kind, Kind::Pending);
        for (std::size_t i = 1; i < edges.size(); ++i)
            QVERIFY2(
                c.classify(edges[i].t).kind == edges[i].truth, qPrintable(QStringLiteral("edge %1").arg(i)));
    }

    void twoPulsesPerFrameLockSurvivesAMissDuringLocking()
    {
        // Stop of frame 0, then frame 1's start is lost: the two edges the lock sees are a period apart
        // and of the same kind, which the interval alone cannot name. Whatever the lock decides, within
        // a few frames every start must be a start and every stop a stop.
        std::mt19937_64 rng(5);
        const auto edges = startStopTrain(30, {0, 1}, {}, rng);
        PulseClassifier c(twoPerFrame());
        std::vector<Kind> got;
        for (const auto &e : edges)
            got.push_back(c.classify(e.t).kind);
        for (std::size_t i = 8; i < edges.size(); ++i)
            QVERIFY2(got[i] == edges[i].truth,
                qPrintable(
                    QStringLiteral("edge %1 (frame %2): %3, expected %4")
                        .arg(i)
                        .arg((edges[i].t - kT0).count() / kPeriod.count())
                        .arg(QLatin1String(kindName(got[i])), QLatin1String(kindName(edges[i].truth)))));
    }

    void followsSlowDriftOfThePeriod()
    {
        // The camera's crystal is 2 % off nominal by the end of the run: four times the acceptance
        // window, so a classifier that does not follow the period loses the lock.
        std::mt19937_64 rng(6);
        PulseClassifier c(onePerFrame());
        constexpr int kFrames = 1000;
        double t = double(kT0.count());
        double period = double(kPeriod.count());
        for (int k = 0; k < kFrames; ++k) {
            const bool dropped = k % 97 == 50;  // the odd missed pulse while drifting
            if (!dropped) {
                const auto r = c.classify(nanoseconds(static_cast<long long>(t)) + jitter(rng));
                QVERIFY2(r.kind == Kind::FrameStart, qPrintable(QStringLiteral("frame %1").arg(k)));
                QCOMPARE(r.missedBefore, k % 97 == 51 ? 1 : 0);
            }
            period = double(kPeriod.count()) * (1.0 + 0.02 * double(k + 1) / kFrames);
            t += period;
        }
        const double estimated = double(c.framePeriod().count());
        QVERIFY2(std::abs(estimated - period) < period * 5e-4,
            qPrintable(
                QStringLiteral("period estimate %1 µs, true %2 µs").arg(estimated / 1e3).arg(period / 1e3)));
    }
};

QTEST_GUILESS_MAIN(TestPulseClassifier)
#include "test_pulse_classifier.moc"
