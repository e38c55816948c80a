// Rig files describe the instrument's devices (filter wheel, focus, heater and its sensor, ganged LED
// lines): they round-trip, and each mistake is refused with its JSON path. The simulated devices take
// their time, and a ganged colour switches all its pins.
#include "core/acquisition/rig_description.h"
#include "hal/sim/emission_filter.h"
#include "hal/sim/sim_filter_wheel.h"
#include "hal/sim/sim_focus.h"
#include "hal/sim/sim_thermal_stage.h"

#include <QJsonDocument>
#include <QTest>

using namespace scopesync;
using core::acquisition::RigReader;
using namespace std::chrono_literals;

namespace {

QByteArray rigWith(const QByteArray &sections, const QByteArray &backend = "sim")
{
    return R"({"version": 1, "backend": ")" + backend + R"(", "sensor": "imx477", "mode": "4056x3040",
        "lines": {"xvs": 6, "leds": {"red": 16, "green": 20, "uv": {"line": 18, "ganged": [19, 22, 23]}}})"
        + (sections.isEmpty() ? QByteArray() : "," + sections) + "}";
}

QString errors(const core::acquisition::RigReadResult &r)
{
    QStringList out;
    for (const auto &d : r.diagnostics.all())
        out << d.toString();
    return out.join(QLatin1Char('\n'));
}

const QByteArray kDevices = R"(
    "filter_wheel": {"kind": "sim", "positions": [{"filter": "no_filter"}, {"filter": "red"}, {"filter": "green"}],
                     "move_ms": 40},
    "focus": {"kind": "sim", "per_filter": {"red": 0, "green": -1525}, "offset_steps": 20, "step_us": 10},
    "heater": {"kind": "sim", "max_per_mille": 800, "i_per_mille_per_k_s": 10, "max_c": 75,
               "sensor": {"kind": "sim"}, "sim": {"speedup": 50}})";

}  // namespace

class TestRigInstrument : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void devicesRoundTrip()
    {
        const auto r = RigReader::readBytes(rigWith(kDevices));
        QVERIFY2(r.rig, qPrintable(errors(r)));
        QVERIFY(r.rig->filterWheel && r.rig->focus && r.rig->heater);
        QCOMPARE(r.rig->filterWheel->order,
            QStringList({QStringLiteral("no_filter"), QStringLiteral("red"), QStringLiteral("green")}));
        QCOMPARE(r.rig->focus->targetFor(QStringLiteral("green")), -1505);
        QCOMPARE(r.rig->heater->maxPerMille, 800);
        QCOMPARE(r.rig->heater->simSpeedup, 50.0);
        QCOMPARE(r.rig->leds.value(QStringLiteral("uv")).gangedBcm, QList<int>({19, 22, 23}));
        // What toJson writes reads back the same.
        const auto again = RigReader::readBytes(QJsonDocument(r.rig->toJson()).toJson());
        QVERIFY2(again.rig, qPrintable(errors(again)));
        QCOMPARE(again.rig->toJson(), r.rig->toJson());
    }

    void aRigFileWithoutDevicesHasNone()
    {
        // The reader starts from the reference rig's defaults; its devices must not leak into a file's rig.
        QVERIFY(core::acquisition::RigDescription::referenceSim().heater.has_value());
        const auto r = RigReader::readBytes(rigWith({}));
        QVERIFY2(r.rig, qPrintable(errors(r)));
        QVERIFY(!r.rig->filterWheel && !r.rig->focus && !r.rig->heater);
    }

    void mistakesNameTheirPath_data()
    {
        QTest::addColumn<QByteArray>("sections");
        QTest::addColumn<QByteArray>("backend");
        QTest::addColumn<QString>("path");
        QTest::newRow("ganged pin used twice") << QByteArray(R"("heater": {"kind": "pwm", "line": 22,
            "sensor": {"kind": "ds18b20"}})") << QByteArray("pi")
                                               << QStringLiteral("$.heater.line");
        QTest::newRow("servo pulse out of range") << QByteArray(
            R"("filter_wheel": {"kind": "servo", "line": 12, "positions": [{"filter": "red", "at": 3000}]})")
                                                  << QByteArray("pi")
                                                  << QStringLiteral("$.filter_wheel.positions[0].at");
        QTest::newRow("focus names a filter the wheel lacks")
            << QByteArray(R"("filter_wheel": {"kind": "sim", "positions": [{"filter": "red"}]},
                "focus": {"kind": "sim", "per_filter": {"blue": -1860}})")
            << QByteArray("sim") << QStringLiteral("$.focus.per_filter.blue");
        QTest::newRow("simulated heater on a Pi")
            << QByteArray(R"("heater": {"kind": "sim", "sensor": {"kind": "sim"}})") << QByteArray("pi")
            << QStringLiteral("$.heater.kind");
        QTest::newRow("real servo on the simulated rig") << QByteArray(
            R"("filter_wheel": {"kind": "servo", "line": 12, "positions": [{"filter": "red", "at": 750}]})")
                                                         << QByteArray("sim")
                                                         << QStringLiteral("$.filter_wheel.kind");
        QTest::newRow("over-temperature limit too high")
            << QByteArray(R"("heater": {"kind": "sim", "max_c": 300, "sensor": {"kind": "sim"}})")
            << QByteArray("sim") << QStringLiteral("$.heater.max_c");
        QTest::newRow("stepper with three coils")
            << QByteArray(R"("focus": {"kind": "stepper", "stepper": {"coils": [24, 25, 26]}})")
            << QByteArray("pi") << QStringLiteral("$.focus.stepper.coils");
        QTest::newRow("a filter twice")
            << QByteArray(
                   R"("filter_wheel": {"kind": "sim", "positions": [{"filter": "red"}, {"filter": "red"}]})")
            << QByteArray("sim") << QStringLiteral("$.filter_wheel.positions[1].filter");
    }

    void mistakesNameTheirPath()
    {
        QFETCH(QByteArray, sections);
        QFETCH(QByteArray, backend);
        QFETCH(QString, path);
        const auto r = RigReader::readBytes(rigWith(sections, backend));
        QVERIFY(!r.rig);
        QVERIFY2(errors(r).contains(path + QStringLiteral(": ")), qPrintable(errors(r)));
    }

    void linesAreNeverSilentlyWrong()
    {
        // An LED on the default XVS line (BCM 6) when lines.xvs is left out.
        auto r = RigReader::readBytes(R"({"version": 1, "backend": "pi", "lines": {"leds": {"red": 6}}})");
        QVERIFY(!r.rig);
        QVERIFY2(errors(r).contains(QStringLiteral("$.lines.leds.red")), qPrintable(errors(r)));
        // Free-running, there is no trigger line to collide with.
        r = RigReader::readBytes(
            R"({"version": 1, "backend": "pi", "trigger": "free-run", "lines": {"leds": {"red": 6}}})");
        QVERIFY2(r.rig, qPrintable(errors(r)));
        // A Pi rig without LED lines does not get the reference rig's pins.
        r = RigReader::readBytes(R"({"version": 1, "backend": "pi"})");
        QVERIFY(!r.rig);
        QVERIFY2(errors(r).contains(QStringLiteral("no LED lines")), qPrintable(errors(r)));
        // A simulated one does, and is told so.
        r = RigReader::readBytes(R"({"version": 1, "backend": "sim"})");
        QVERIFY2(r.rig, qPrintable(errors(r)));
        QVERIFY(errors(r).contains(QStringLiteral("reference rig's LEDs")));
        // An LED needs a name.
        r = RigReader::readBytes(R"({"version": 1, "backend": "sim", "lines": {"leds": {"": 16}}})");
        QVERIFY(!r.rig);
        QVERIFY2(errors(r).contains(QStringLiteral("needs a name")), qPrintable(errors(r)));
    }

    void simulatedWheelTakesItsTimeAndIsDarkWhileMoving()
    {
        core::instrument::FilterWheelDescription d;
        d.kind = QStringLiteral("sim");
        d.order = {QStringLiteral("no_filter"), QStringLiteral("red"), QStringLiteral("orange"),
            QStringLiteral("green")};
        d.simMoveTime = 30ms;
        hal::sim::SimFilterWheel wheel(d);
        QCOMPARE(wheel.current(), std::optional<QString>(QStringLiteral("no_filter")));
        const auto t0 = core::monotonicNow();
        QVERIFY(wheel.moveTo(QStringLiteral("green")).ok());
        QVERIFY(!wheel.current());  // no filter in the light path while it turns
        QVERIFY(!wheel.filterAt(t0 + 60ms));
        QVERIFY(wheel.waitSettled(1s).ok());
        QVERIFY(core::monotonicNow() - t0 >= 90ms);  // three positions
        QCOMPARE(wheel.current(), std::optional<QString>(QStringLiteral("green")));
        QVERIFY(!wheel.moveTo(QStringLiteral("violet")).ok());
        // Set-up moves: at red's real centre (12 µs off its nominal slot, where the configured position
        // points) the whole beam passes; 60 µs off, the rim cuts some; between two filters, none at all.
        const int red = hal::sim::simFilterCentre(QStringLiteral("red"), 1);
        QCOMPARE(red, core::instrument::kSimWheelFirst + core::instrument::kSimWheelPitch + 12);
        QVERIFY(wheel.moveToRaw(red).ok());
        QVERIFY(wheel.waitSettled(1s).ok());
        auto optics = wheel.opticsAt(core::monotonicNow());
        QVERIFY(optics && optics->filter == QLatin1String("red") && optics->pass == 1.0);
        QVERIFY(!wheel.current());  // 1262 is not the position configured for red (1250)
        QVERIFY(wheel.moveToRaw(red + 60).ok());
        QVERIFY(wheel.waitSettled(1s).ok());
        optics = wheel.opticsAt(core::monotonicNow());
        QVERIFY(optics && optics->pass > 0.9 && optics->pass < 0.96);
        QVERIFY(wheel.moveToRaw(red - 131).ok());  // 131 µs from red and from no_filter
        QVERIFY(wheel.waitSettled(1s).ok());
        QVERIFY(!wheel.opticsAt(core::monotonicNow()));
        QVERIFY(!wheel.moveToRaw(2600).ok());
        QVERIFY(wheel.moveTo(QStringLiteral("red")).ok());
        QVERIFY(wheel.waitSettled(1s).ok());
        QCOMPARE(wheel.current(), std::optional<QString>(QStringLiteral("red")));
        // What reaches the sensor: its own colour, a few per cent of a neighbour, almost none of the rest.
        QCOMPARE(hal::sim::emissionTransmission(QStringLiteral("green"), QStringLiteral("green")), 1.0);
        QVERIFY(hal::sim::emissionTransmission(QStringLiteral("green"), QStringLiteral("red")) < 0.02);
        QCOMPARE(hal::sim::emissionTransmission(QStringLiteral("uv"), QStringLiteral("no_filter")), 1.0);
    }

    void simulatedPlantHeatsAtARealRigsRate()
    {
        // The reference rig's plant at full power: minutes from room temperature to 58 °C, in plant time.
        auto h = *core::acquisition::RigDescription::referenceSim().heater;
        h.simSpeedup = 2000.0;
        h.simSensorNoiseKelvin = 0.0;
        hal::sim::SimThermalStage stage(h);
        QVERIFY(stage.setDuty(1.0).ok());
        const auto t0 = core::monotonicNow();
        while (stage.slideKelvin() < 273.15 + 58.0 && core::monotonicNow() - t0 < 5s)
            std::this_thread::sleep_for(1ms);
        const double plantSeconds
            = std::chrono::duration<double>(core::monotonicNow() - t0).count() * h.simSpeedup;
        qInfo("reference plant at full power: 22 -> 58 C in %.0f s of plant time", plantSeconds);
        QVERIFY(plantSeconds > 60.0 && plantSeconds < 600.0);
        stage.setSensorFault(hal::sim::SimThermalStage::SensorFault::Silent);
        QVERIFY(!stage.read().ok());
        stage.off();
        QCOMPARE(stage.duty(), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestRigInstrument)
#include "test_rig_instrument.moc"
