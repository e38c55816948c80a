// Unit tests of the heater regulator on the simulated thermal plant, sped up so minutes of plant time take
// seconds: the 22 -> 58 C step (figures printed), the reach timeout, and the faults that turn the heater off.
#include "core/instrument/heater_regulator.h"

#include <QTest>

#include "plant_bench.h"
#include "support/verify_ok.h"
#include <cmath>
#include <mutex>
#include <thread>
#include <vector>

using namespace scopesync;
using namespace std::chrono_literals;
using core::instrument::HeaterDescription;
using core::instrument::HeaterRegulator;
using core::instrument::HeaterSample;
using tests::PlantBench;

namespace {

constexpr double kZeroC = 273.15;
constexpr double kSpeedup = 200.0;  // 1 s of control period is 5 ms here

HeaterDescription testHeater()
{
    HeaterDescription d;
    d.kind = QStringLiteral("sim");
    d.simAmbientKelvin = kZeroC + 22.0;
    d.simSpeedup = kSpeedup;
    d.iPerMillePerKelvinSecond = 10.0;  // the simulated rig's gains (test_pi_controller)
    return d;
}

struct Trace {
    std::mutex mutex;  // protects points: the regulator thread appends, the test reads
    std::vector<std::pair<double, double>> points;  // plant seconds, reading K
};

// Waits (real time) until `done` or `limit`.
template <typename F> bool waitUntil(F done, std::chrono::milliseconds limit)
{
    const auto until = core::monotonicNow() + limit;
    while (!done()) {
        if (core::monotonicNow() > until)
            return false;
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

}  // namespace

class TestHeaterRegulator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stepTo58SettlesWithoutOvershoot()
    {
        const HeaterDescription d = testHeater();
        PlantBench bench(d);
        HeaterRegulator regulator(bench, bench, d);
        Trace trace;
        regulator.setSampleCallback([&](const HeaterSample &s) {
            std::lock_guard lock(trace.mutex);
            trace.points.emplace_back(bench.plantSeconds(), s.kelvin);
        });
        QVERIFY(regulator.start().ok());
        const double setPoint = kZeroC + 58.0;
        const double startPlant = bench.plantSeconds();
        QVERIFY(regulator.setSetPoint(setPoint).ok());
        int progressCalls = 0;
        const auto st
            = regulator.waitReached([] { return QString(); }, [&](const HeaterSample &) { ++progressCalls; });
        SCOPESYNC_VERIFY_OK(st);
        QVERIFY(regulator.reached());
        QVERIFY(progressCalls > 10);
        const double reachedAt = bench.plantSeconds() - startPlant;
        // Keep regulating: the reading must stay in the band after it was reached.
        QVERIFY(waitUntil([&] { return bench.plantSeconds() - startPlant > 900.0; }, 30s));
        regulator.stop();
        QCOMPARE(bench.duty(), 0.0);

        std::lock_guard lock(trace.mutex);
        double overshoot = -1e9;
        double lastOutside = 0.0;
        for (const auto &[t, k] : trace.points) {
            overshoot = std::max(overshoot, k - setPoint);
            if (std::abs(k - setPoint) > d.reachedWithinKelvin)
                lastOutside = t - startPlant;
        }
        qInfo(
            "regulator 22->58 C (p %.0f, i %.1f, bias %d per mille, speed-up %.0fx, %zu samples): overshoot "
            "%.2f K, last reading outside +-0.2 K at %.0f s plant time, reached (band held %lld s) at %.0f s",
            d.pPerMillePerKelvin, d.iPerMillePerKelvinSecond, d.biasPerMille, kSpeedup, trace.points.size(),
            overshoot, lastOutside, qint64(d.holdTime.count()), reachedAt);
        QVERIFY2(overshoot < 1.0, qPrintable(QStringLiteral("overshoot %1 K").arg(overshoot)));
        QVERIFY2(lastOutside < reachedAt, "the reading left the band after the set point was reached");
    }

    void reachTimeoutNamesSetPointReadingAndTime()
    {
        HeaterDescription d = testHeater();
        d.maxPerMille = 100;  // too weak to ever reach 58 C: 2 W against 9 W of loss
        d.reachTimeout = 300s;
        PlantBench bench(d);
        HeaterRegulator regulator(bench, bench, d);
        QVERIFY(regulator.start().ok());
        QVERIFY(regulator.setSetPoint(kZeroC + 58.0).ok());
        const auto started = core::monotonicNow();
        const auto st = regulator.waitReached([] { return QString(); });
        const double realSeconds = std::chrono::duration<double>(core::monotonicNow() - started).count();
        QVERIFY(!st.ok());
        const QString msg = st.error().message;
        qInfo("%s (waited %.2f s real)", qPrintable(msg), realSeconds);
        QVERIFY2(msg.contains(QStringLiteral("58.0 °C")), qPrintable(msg));
        QVERIFY2(msg.contains(QStringLiteral("300 s")), qPrintable(msg));
        QVERIFY2(msg.contains(QStringLiteral("last reading was 2")), qPrintable(msg));  // 2x °C
        QVERIFY(realSeconds >= 300.0 / kSpeedup * 0.9);
        regulator.stop();
        QCOMPARE(bench.duty(), 0.0);
    }

    void stopRequestEndsTheWait()
    {
        const HeaterDescription d = testHeater();
        PlantBench bench(d);
        HeaterRegulator regulator(bench, bench, d);
        QVERIFY(regulator.start().ok());
        QVERIFY(regulator.setSetPoint(kZeroC + 58.0).ok());
        int polls = 0;
        const auto st = regulator.waitReached(
            [&] { return ++polls > 5 ? QStringLiteral("stopped by SIGINT") : QString(); });
        QVERIFY(!st.ok());
        QCOMPARE(st.error().message, QStringLiteral("stopped by SIGINT"));
        regulator.stop();
        QCOMPARE(bench.duty(), 0.0);
    }

    void sensorFailureTurnsTheHeaterOff_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no answer") << 0 << QStringLiteral("no answer");
        QTest::newRow("NaN") << 1 << QStringLiteral("outside");
        QTest::newRow("impossible jump") << 2 << QStringLiteral("jumped");
    }

    void sensorFailureTurnsTheHeaterOff()
    {
        QFETCH(int, kind);
        QFETCH(QString, expected);
        const HeaterDescription d = testHeater();
        PlantBench bench(d);
        HeaterRegulator regulator(bench, bench, d);
        QVERIFY(regulator.start().ok());
        QVERIFY(regulator.setSetPoint(kZeroC + 58.0).ok());
        QVERIFY(waitUntil([&] { return bench.duty() > 0.0 && bench.plantSeconds() > 20.0; }, 10s));
        if (kind == 0)
            bench.setSensorFailing(true);
        else if (kind == 1)
            bench.setSensorNaN(true);
        else
            bench.setSensorOffset(30.0);
        const auto st = regulator.waitReached([] { return QString(); });
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.contains(
                     QStringLiteral("sensor failed %1 times").arg(d.sensorFailuresAllowed)),
            qPrintable(st.error().message));
        QVERIFY2(st.error().message.contains(expected), qPrintable(st.error().message));
        QCOMPARE(bench.duty(), 0.0);
        QVERIFY(bench.offCalls() > 0);
        QVERIFY(!regulator.fault().isEmpty());
        // Latched: the regulator refuses a new set point and keeps the heater off.
        bench.setSensorFailing(false);
        bench.setSensorNaN(false);
        bench.setSensorOffset(0.0);
        QVERIFY(!regulator.setSetPoint(kZeroC + 50.0).ok());
        std::this_thread::sleep_for(50ms);
        QCOMPARE(bench.duty(), 0.0);
        regulator.stop();
    }

    void singleGlitchIsTolerated()
    {
        const HeaterDescription d = testHeater();
        PlantBench bench(d);
        HeaterRegulator regulator(bench, bench, d);
        QVERIFY(regulator.start().ok());
        QVERIFY(regulator.setSetPoint(kZeroC + 40.0).ok());
        QVERIFY(waitUntil([&] { return bench.reads() > 5; }, 10s));
        bench.setSensorFailing(true);
        const int before = bench.reads();
        QVERIFY(waitUntil([&] { return bench.reads() >= before + 1; }, 10s));
        bench.setSensorFailing(false);
        QVERIFY(waitUntil([&] { return bench.reads() >= before + d.sensorFailuresAllowed + 3; }, 10s));
        QVERIFY2(regulator.fault().isEmpty(), qPrintable(regulator.fault()));
        QVERIFY(bench.duty() > 0.0);
        regulator.stop();
    }

    void overTemperatureTurnsTheHeaterOff()
    {
        HeaterDescription d = testHeater();
        d.maxKelvin = kZeroC + 60.0;
        PlantBench bench(d);
        HeaterRegulator regulator(bench, bench, d);
        QVERIFY(regulator.start().ok());
        QVERIFY(regulator.setSetPoint(kZeroC + 50.0).ok());
        QVERIFY(waitUntil([&] { return bench.plantSeconds() > 30.0; }, 10s));
        bench.setShorted(true);  // the output stage fails on: the plant heats whatever is commanded
        const auto st = regulator.waitReached([] { return QString(); });
        QVERIFY(!st.ok());
        qInfo("%s", qPrintable(st.error().message));
        QVERIFY2(st.error().message.startsWith(QStringLiteral("over-temperature")),
            qPrintable(st.error().message));
        QCOMPARE(bench.duty(), 0.0);
        QVERIFY(bench.offCalls() > 0);
        regulator.stop();
    }

    void setPointAboveTheLimitIsRefused()
    {
        HeaterDescription d = testHeater();
        d.maxKelvin = kZeroC + 70.0;
        PlantBench bench(d);
        HeaterRegulator regulator(bench, bench, d);
        const auto st = regulator.setSetPoint(kZeroC + 75.0);
        QVERIFY(!st.ok());
        QVERIFY(st.error().message.contains(QStringLiteral("75.0 °C")));
        QVERIFY(!regulator.setPoint());
    }

    void stopAndDestructionTurnTheHeaterOff()
    {
        const HeaterDescription d = testHeater();
        PlantBench bench(d);
        {
            HeaterRegulator regulator(bench, bench, d);
            QVERIFY(regulator.start().ok());
            QVERIFY(regulator.setSetPoint(kZeroC + 58.0).ok());
            QVERIFY(waitUntil([&] { return bench.duty() > 0.0; }, 10s));
        }
        QCOMPARE(bench.duty(), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestHeaterRegulator)
#include "test_heater_regulator.moc"
