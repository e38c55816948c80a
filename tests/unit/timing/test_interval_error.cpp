// Unit tests for intervalError: the spread of frame intervals around their median.
#include "core/timing/interval_error.h"

#include <QTest>

using namespace scopesync::core;
using namespace scopesync::core::timing;

namespace {
std::vector<MonoTime> stampsEvery(const std::vector<double> &intervalsMs)
{
    std::vector<MonoTime> out {monoFromNs(1'000'000'000)};
    for (const double ms : intervalsMs)
        out.push_back(out.back() + std::chrono::nanoseconds(qint64(ms * 1e6)));
    return out;
}
}  // namespace

class TestIntervalError : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void evenFramesHaveNoError()
    {
        const auto e = intervalError(stampsEvery(std::vector<double>(99, 16.0)));
        QCOMPARE(e.intervals, 99);
        QCOMPARE(e.medianIntervalMs, 16.0);
        QCOMPARE(e.p50, 0.0);
        QCOMPARE(e.p99, 0.0);
        QCOMPARE(e.max, 0.0);
    }

    // 100 intervals: 90 on time, 9 off by 1 ms either way, one late frame (the next comes early).
    void percentilesOfTheDistanceFromTheMedian()
    {
        std::vector<double> ms(90, 20.0);
        for (int i = 0; i < 9; ++i)
            ms.push_back(i % 2 ? 21.0 : 19.0);
        ms.push_back(35.0);
        const auto e = intervalError(stampsEvery(ms));
        QCOMPARE(e.intervals, 100);
        QCOMPARE(e.medianIntervalMs, 20.0);
        QCOMPARE(e.p50, 0.0);
        QVERIFY(qAbs(e.p90 - 0.0) < 1e-9);  // rank 89 of 100 sorted errors: still on time
        QVERIFY(qAbs(e.p99 - 1.0) < 1e-6);
        QVERIFY(qAbs(e.max - 15.0) < 1e-6);
    }

    void fewerThanTwoFramesGiveNothing()
    {
        QCOMPARE(intervalError({}).intervals, 0);
        QCOMPARE(intervalError({monoFromNs(5)}).intervals, 0);
    }
};

QTEST_GUILESS_MAIN(TestIntervalError)
#include "test_interval_error.moc"
