// Unit tests of the heater's PI law: its limits and anti-windup, and its step response on the simulated
// thermal plant (settling time and overshoot for the 454 reference gains and the simulated rig's gains).
#include "core/instrument/pi_controller.h"
#include "hal/sim/thermal_plant.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace scopesync;
using namespace std::chrono_literals;
using core::instrument::HeaterDescription;
using core::instrument::PiController;
using core::instrument::PiGains;

namespace {

constexpr double kAmbientK = 273.15 + 22.0;
constexpr double kSetPointK = 273.15 + 58.0;
constexpr double kBandK = 0.2;

struct StepResponse {
    double overshootK = 0;  // highest sensor reading above the set point
    double slideOvershootK = 0;  // highest true slide temperature above the set point
    double settlingSeconds = -1;  // from the step until the reading stays within ±0.2 K; −1: never
    double finalErrorK = 0;
};

// The control period's loop in plant time, as the regulator runs it: read, update, hold the duty.
StepResponse stepResponse(const PiGains &gains, double horizonSeconds, double periodSeconds = 1.0)
{
    HeaterDescription d;
    d.simAmbientKelvin = kAmbientK;
    hal::sim::ThermalPlant plant(d, 3);
    PiController pi(gains);
    StepResponse r;
    double duty = 0.0;
    double lastOutside = 0.0;
    double reading = kAmbientK;
    for (double t = 0.0; t < horizonSeconds; t += periodSeconds) {
        plant.advance(std::chrono::duration<double>(periodSeconds), duty);
        reading = plant.sensorKelvin();
        duty = pi.update(kSetPointK, reading, std::chrono::duration<double>(periodSeconds)) / 1000.0;
        r.overshootK = std::max(r.overshootK, reading - kSetPointK);
        r.slideOvershootK = std::max(r.slideOvershootK, plant.slideKelvin() - kSetPointK);
        if (std::abs(reading - kSetPointK) > kBandK)
            lastOutside = t + periodSeconds;
    }
    // Settled only if the last stretch of the horizon (a quarter of it) stayed in the band.
    r.settlingSeconds = lastOutside < horizonSeconds * 0.75 ? lastOutside : -1.0;
    r.finalErrorK = reading - kSetPointK;
    return r;
}

void print(const char *name, const PiGains &g, const StepResponse &r)
{
    qInfo("step 22->58 C, %s gains (p %.0f, i %.2f, bias %.0f per mille): overshoot %.2f K (slide %.2f K), "
          "settled within +-0.2 K after %s, final error %+.2f K",
        name, g.pPerMillePerKelvin, g.iPerMillePerKelvinSecond, g.biasPerMille, r.overshootK,
        r.slideOvershootK,
        r.settlingSeconds >= 0 ? qPrintable(QStringLiteral("%1 s").arg(r.settlingSeconds, 0, 'f', 0))
                               : "never (in the horizon)",
        r.finalErrorK);
}

}  // namespace

class TestPiController : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void biasAtZeroError()
    {
        PiController pi({800, 0.2, 100, 1000});
        QCOMPARE(pi.update(330.0, 330.0, 1s), 100.0);
    }

    void outputIsLimited()
    {
        PiController pi({800, 0.2, 100, 500});
        QCOMPARE(pi.update(330.0, 300.0, 1s), 500.0);  // far below: clamped to the rig's maximum
        QCOMPARE(pi.update(300.0, 330.0, 1s), 0.0);  // far above: never negative
    }

    void integralStopsWhileSaturated()
    {
        PiController pi({800, 0.2, 100, 1000});
        for (int i = 0; i < 100; ++i)
            (void)pi.update(330.0, 300.0, 1s);  // saturated high for 100 s
        QCOMPARE(pi.integralPerMille(), 0.0);
        // Unsaturated, the integral follows the error.
        (void)pi.update(330.0, 329.9, 10s);
        QVERIFY(pi.integralPerMille() > 0.0);
    }

    void stepResponseOnThePlant_data()
    {
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("i");
        QTest::addColumn<double>("bias");
        QTest::addColumn<bool>("mustSettle");
        // The 454's hand-tuned gains: no overshoot, but the integral is too weak to remove the offset the
        // 100 per mille bias leaves (about 450 are needed at 58 C), so the reading creeps in over hours.
        QTest::newRow("454 reference") << 800.0 << 0.2 << 100.0 << false;
        QTest::newRow("454 with i 5") << 800.0 << 5.0 << 100.0 << true;
        // The simulated reference rig's gains: the 454's P and bias with an integral that does its job.
        QTest::newRow("simulated rig") << 800.0 << 10.0 << 100.0 << true;
    }

    void stepResponseOnThePlant()
    {
        QFETCH(double, p);
        QFETCH(double, i);
        QFETCH(double, bias);
        QFETCH(bool, mustSettle);
        const PiGains gains {p, i, bias, 1000.0};
        const StepResponse r = stepResponse(gains, 3600.0);
        print(QTest::currentDataTag(), gains, r);
        if (!mustSettle)
            return;  // figures only
        QVERIFY2(r.overshootK < 1.0, qPrintable(QStringLiteral("overshoot %1 K").arg(r.overshootK)));
        QVERIFY2(r.settlingSeconds >= 0, "never settled within +-0.2 K");
    }
};

QTEST_GUILESS_MAIN(TestPiController)
#include "test_pi_controller.moc"
