// Unit tests of the heater auto-tune on the simulated thermal plant (sped up so a step test of twenty
// minutes of plant time takes seconds): the fitted model against the plant's own parameters, the proposed
// PI gains run on the plant against the prediction (figures printed), cancel and refusals.
#include "core/instrument/heater_auto_tune.h"

#include <QTest>

#include "plant_bench.h"
#include "support/verify_ok.h"
#include <cmath>

using namespace scopesync;
using namespace std::chrono_literals;
using core::instrument::FopdtModel;
using core::instrument::HeaterAutoTune;
using core::instrument::HeaterDescription;
using core::instrument::PiController;
using core::instrument::StepPoint;
using core::instrument::StepResponse;
using core::instrument::StepTestSettings;
using tests::PlantBench;

namespace {

constexpr double kZeroC = 273.15;

HeaterDescription testHeater()
{
    HeaterDescription d;
    d.kind = QStringLiteral("sim");
    d.simAmbientKelvin = kZeroC + 22.0;
    d.simSpeedup = 400.0;  // 1 s of plant time is 2.5 ms here
    return d;
}

struct PlantRun {
    double overshootKelvin = 0.0;
    double settlingSeconds = -1.0;
};

// The PI law on the plant itself, in plant time: a reading and an update every control period.
PlantRun closeLoopOnPlant(
    const HeaterDescription &d, const core::instrument::PiGains &gains, double setPoint, double spanSeconds)
{
    hal::sim::ThermalPlant plant(d, 3);
    PiController controller(gains);
    const double period = std::chrono::duration<double>(d.controlPeriod).count();
    PlantRun out;
    double lastOutside = 0.0;
    bool everInside = false;
    for (double t = 0.0; t <= spanSeconds; t += period) {
        const double reading = plant.sensorKelvin();
        const double duty = controller.update(setPoint, reading, std::chrono::duration<double>(period));
        out.overshootKelvin = std::max(out.overshootKelvin, reading - setPoint);
        if (std::abs(reading - setPoint) > d.reachedWithinKelvin)
            lastOutside = t;
        else
            everInside = true;
        plant.advance(std::chrono::duration<double>(period), duty / 1000.0);
    }
    if (everInside && lastOutside + std::chrono::duration<double>(d.holdTime).count() < spanSeconds)
        out.settlingSeconds = lastOutside;
    return out;
}

}  // namespace

class TestHeaterAutoTune : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fitsThePlantAndProposesGainsThatSettleIt()
    {
        const HeaterDescription d = testHeater();
        PlantBench bench(d);
        StepTestSettings settings;
        settings.dutyPerMille = 300.0;
        settings.maxSeconds = 2400.0;
        int progressCalls = 0;
        const auto response = HeaterAutoTune::runStepTest(
            bench, bench, d, settings, [] { return QString(); },
            [&](const StepPoint &, double fraction) {
                ++progressCalls;
                QVERIFY(fraction >= 0.0 && fraction <= 1.0);
            });
        SCOPESYNC_VERIFY_OK(response);
        QCOMPARE(bench.duty(), 0.0);
        QVERIFY(progressCalls > 100);
        const double testSeconds = response->points.back().seconds;
        qInfo("step test: %lld readings over %.0f s, %s", qlonglong(response->points.size()), testSeconds,
            response->settled ? "settled" : "time limit");

        const auto model = HeaterAutoTune::fit(*response);
        SCOPESYNC_VERIFY_OK(model);
        // The plant: rise at full power = P / G, time constant C / G; the sensor's lag is the dead time.
        const double trueGain = d.simMaxPowerW / d.simLossWPerK / 1000.0;
        const double trueTau = d.simHeatCapacityJPerK / d.simLossWPerK;
        qInfo("fitted K %.4f K/‰ (plant %.4f), τ %.1f s (plant %.1f), θ %.1f s (sensor lag %.1f s), "
              "rms %.3f K",
            model->gainKelvinPerMille, trueGain, model->timeConstantSeconds, trueTau, model->deadTimeSeconds,
            std::chrono::duration<double>(d.simSensorLag).count(), model->rmsResidualKelvin);
        QVERIFY(std::abs(model->gainKelvinPerMille - trueGain) < 0.15 * trueGain);
        QVERIFY(std::abs(model->timeConstantSeconds - trueTau) < 0.15 * trueTau);
        QVERIFY(model->deadTimeSeconds >= 0.0 && model->deadTimeSeconds < 20.0);

        const auto gains = HeaterAutoTune::propose(*model, d);
        qInfo(
            "proposed P %.1f ‰/K, I %.2f ‰/(K·s)", gains.pPerMillePerKelvin, gains.iPerMillePerKelvinSecond);
        QVERIFY(gains.pPerMillePerKelvin > 0.0);
        QVERIFY(gains.iPerMillePerKelvinSecond > 0.0);

        const double setPoint = kZeroC + 37.0;
        const auto predicted = HeaterAutoTune::predict(*model, gains, d, setPoint, 1800.0);
        const PlantRun actual = closeLoopOnPlant(d, gains, setPoint, 1800.0);
        qInfo("22 → 37 °C: predicted settling %.0f s, overshoot %.2f K; on the plant %.0f s, %.2f K",
            predicted.settlingSeconds, predicted.overshootKelvin, actual.settlingSeconds,
            actual.overshootKelvin);
        QVERIFY(predicted.settlingSeconds > 0.0);
        QVERIFY(actual.settlingSeconds > 0.0);
        QVERIFY(actual.overshootKelvin < 1.0);
        QVERIFY(predicted.overshootKelvin < 1.0);
        QVERIFY(std::abs(actual.settlingSeconds - predicted.settlingSeconds)
            < 0.5 * predicted.settlingSeconds + 30.0);
        QVERIFY(!predicted.trace.isEmpty());
    }

    void cancelTurnsTheHeaterOff()
    {
        const HeaterDescription d = testHeater();
        PlantBench bench(d);
        int reads = 0;
        StepTestSettings settings;
        const auto response = HeaterAutoTune::runStepTest(bench, bench, d, settings,
            [&] { return ++reads > 40 ? QStringLiteral("cancelled") : QString(); });
        QVERIFY(!response.ok());
        QVERIFY(response.error().message.contains(QStringLiteral("cancelled")));
        QVERIFY(response.error().message.contains(QStringLiteral("heater is off")));
        QCOMPARE(bench.duty(), 0.0);
        QVERIFY(bench.offCalls() >= 1);
        QVERIFY(bench.slideKelvin() > d.simAmbientKelvin + 0.1);  // it was heating before the cancel
    }

    void sensorFailureTurnsTheHeaterOff()
    {
        const HeaterDescription d = testHeater();
        PlantBench bench(d);
        int reads = 0;
        const auto response = HeaterAutoTune::runStepTest(bench, bench, d, StepTestSettings {}, [&] {
            if (++reads == 30)
                bench.setSensorFailing(true);
            return QString();
        });
        QVERIFY(!response.ok());
        QCOMPARE(bench.duty(), 0.0);
    }

    void refusesWhatCannotBeFitted()
    {
        StepResponse flat;
        flat.dutyPerMille = 100.0;
        flat.baselineKelvin = 300.0;
        for (int i = 1; i <= 100; ++i)
            flat.points.append(StepPoint {double(i), 300.0 + 0.001 * i});
        const auto f = HeaterAutoTune::fit(flat);
        QVERIFY(!f.ok());
        QVERIFY(f.error().message.contains(QStringLiteral("rose only")));

        // A first-order rise with τ = 500 s recorded for 200 s only.
        StepResponse shortTest;
        shortTest.dutyPerMille = 300.0;
        shortTest.baselineKelvin = 300.0;
        for (int i = 1; i <= 200; ++i)
            shortTest.points.append(StepPoint {double(i), 300.0 + 24.0 * (1.0 - std::exp(-i / 500.0))});
        const auto s = HeaterAutoTune::fit(shortTest);
        QVERIFY(!s.ok());
        qInfo("%s", qPrintable(s.error().toString()));
        QVERIFY(s.error().message.contains(QStringLiteral("lengthen the test")));

        const HeaterDescription d = testHeater();
        PlantBench bench(d);
        StepTestSettings tooHigh;
        tooHigh.dutyPerMille = 2000.0;
        QVERIFY(!HeaterAutoTune::runStepTest(bench, bench, d, tooHigh, {}).ok());
    }
};

QTEST_GUILESS_MAIN(TestHeaterAutoTune)
#include "test_heater_auto_tune.moc"
