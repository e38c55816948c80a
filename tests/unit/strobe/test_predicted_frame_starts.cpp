// Unit tests for PredictedFrameStarts: frame starts predicted from observed frame timestamps (free-run).
#include "hal/strobe/precise_clock.h"
#include "hal/strobe/predicted_frame_starts.h"

#include <QTest>

using namespace scopesync::hal::strobe;
using namespace std::chrono_literals;

class TestPredictedFrameStarts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nothingBeforeTheFirstFrame()
    {
        PredictedFrameStarts p(20ms);
        const auto e = p.waitEdge(30ms);
        QVERIFY(e.ok());
        QVERIFY(!e.value().has_value());
    }

    void startsFollowTheObservedGridWithoutRepeats()
    {
        PredictedFrameStarts p(20ms, 2ms);
        const MonoTime anchor = monotonicNow() - 5ms;
        p.observe(anchor);
        std::vector<MonoTime> got;
        while (got.size() < 4) {
            const auto e = p.waitEdge(200ms);
            QVERIFY(e.ok());
            QVERIFY(e.value().has_value());
            got.push_back(*e.value());
        }
        // Each a whole number of periods after the anchor and after the previous one (one period apart
        // unless this thread was held up past a start, which is then skipped, never handed out late).
        for (std::size_t i = 0; i < got.size(); ++i) {
            const auto since = got[i] - anchor;
            QCOMPARE(since % 20ms, 0ns);
            QVERIFY(since >= 20ms);
            if (i > 0)
                QVERIFY(got[i] - got[i - 1] >= 20ms);
        }
    }

    void aStaleAnchorNeverYieldsAPastStart()
    {
        PredictedFrameStarts p(10ms);
        p.observe(monotonicNow() - 1s);  // the last frame seen a second ago: 100 periods back
        const auto e = p.waitEdge(100ms);
        QVERIFY(e.ok() && e.value().has_value());
        QVERIFY(*e.value() >= monotonicNow() - 10ms);
    }

    void periodIsRefinedFromWholeFrameIntervals()
    {
        // The camera runs 1 % slower than nominal; one frame is skipped; one stray timestamp is 10 % off.
        PredictedFrameStarts p(50ms);
        const std::chrono::nanoseconds truePeriod(50'500'000);
        MonoTime t = scopesync::core::monoFromNs(1'000'000'000);
        for (int i = 0; i < 60; ++i) {
            t += (i == 20 ? 2 * truePeriod : truePeriod);
            p.observe(t);
            if (i == 40)
                p.observe(t + truePeriod + 5ms);  // a glitch: ignored for the period…
        }
        const double ms = std::chrono::duration<double, std::milli>(p.period()).count();
        QVERIFY2(std::abs(ms - 50.5) < 0.05, qPrintable(QString::number(ms, 'f', 4)));
        QCOMPARE(p.observed(), qint64(61));
    }
};

QTEST_APPLESS_MAIN(TestPredictedFrameStarts)
#include "test_predicted_frame_starts.moc"
