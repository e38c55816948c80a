// The instrument's real backends without hardware: DS18B20 files in a fake sysfs tree, the NTC β
// equation and the ADS1115's words, the stepper's coil sequence, the heater's PWM and the servo's pulses
// on recording lines.
#include "hal/gpiod/output_guard.h"
#include "hal/instrument/ads1115_thermometer.h"
#include "hal/instrument/ds18b20_thermometer.h"
#include "hal/instrument/ntc_divider.h"
#include "hal/instrument/pwm_heater.h"
#include "hal/instrument/servo_filter_wheel.h"
#include "hal/instrument/stepper_drive.h"
#include "hal/instrument/stepper_filter_wheel.h"
#include "hal/instrument/stepper_sequence.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "../strobe/recording_lines.h"
#include "support/sanitizers.h"
#include "support/verify_ok.h"
#include <cmath>

using namespace std::chrono_literals;
using namespace scopesync;
using hal::instrument::StepperSequence;
using tests::RecordingLines;

namespace {
void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

// The full-step coil patterns (bit i = coil i) in the order they were reached, then the final state: a
// transition passes through one coil (off before on), so the two-coil states are the steps.
QList<int> coilStates(const RecordingLines &lines)
{
    QList<int> out;
    int state = 0;
    for (const auto &w : lines.writes()) {
        if (w.line > 3)
            continue;
        state = w.active ? (state | (1 << w.line)) : (state & ~(1 << w.line));
        if (__builtin_popcount(unsigned(state)) == 2 && (out.isEmpty() || out.back() != state))
            out << state;
    }
    out << state;
    return out;
}

class FakePulses final : public hal::instrument::DutyOutput {
public:
    core::Status setHighTime(std::chrono::nanoseconds high) override
    {
        highs.push_back(high);
        return core::Ok {};
    }
    [[nodiscard]] std::chrono::nanoseconds period() const override { return 20ms; }
    void off() override { highs.push_back(0ns); }
    std::vector<std::chrono::nanoseconds> highs;
};
}  // namespace

class TestInstrumentBackends : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void ds18b20ReadsTemperatureFile()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("28-0123456789ab/temperature")), "58125\n");
        writeFile(dir.filePath(QStringLiteral("w1_bus_master1/w1_master_slaves")), "28-0123456789ab\n");
        auto t = hal::instrument::Ds18b20Thermometer::open({}, dir.path());
        SCOPESYNC_VERIFY_OK(t);
        QCOMPARE((*t)->name(), QStringLiteral("DS18B20 28-0123456789ab"));
        auto r = (*t)->read();
        QVERIFY(r.ok());
        QCOMPARE(r->kelvin, 273.15 + 58.125);
    }

    void ds18b20ReadsW1SlaveWithCrc()
    {
        QTemporaryDir dir;
        const QString slave = dir.filePath(QStringLiteral("28-00000a1b2c3d/w1_slave"));
        writeFile(slave, "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
        auto t = hal::instrument::Ds18b20Thermometer::open(QStringLiteral("28-00000a1b2c3d"), dir.path());
        QVERIFY(t.ok());
        auto r = (*t)->read();
        QVERIFY(r.ok());
        QCOMPARE(r->kelvin, 273.15 + 23.125);

        writeFile(slave, "72 01 4b 46 7f ff 0e 10 57 : crc=a4 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
        r = (*t)->read();
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QStringLiteral("CRC")), qPrintable(r.error().message));
    }

    void ds18b20RefusesNonsenseAndNamesTheFix()
    {
        QTemporaryDir dir;
        const QString temp = dir.filePath(QStringLiteral("28-0123456789ab/temperature"));
        writeFile(temp, "85000\n");  // power-on value: no conversion happened
        auto t = hal::instrument::Ds18b20Thermometer::open({}, dir.path());
        QVERIFY(t.ok());
        QVERIFY(!(*t)->read().ok());
        writeFile(temp, "130000\n");
        QVERIFY(!(*t)->read().ok());
        writeFile(temp, "");
        QVERIFY(!(*t)->read().ok());
        QFile::remove(temp);
        const auto gone = (*t)->read();
        QVERIFY(!gone.ok());
        QVERIFY2(gone.error().message.contains(QStringLiteral("dtoverlay=w1-gpio")),
            qPrintable(gone.error().message));

        QTemporaryDir empty;
        const auto none = hal::instrument::Ds18b20Thermometer::open({}, empty.path());
        QVERIFY(!none.ok());
        QVERIFY(none.error().message.contains(QStringLiteral("dtoverlay=w1-gpio")));
        const auto noBus
            = hal::instrument::Ds18b20Thermometer::open({}, empty.filePath(QStringLiteral("nope")));
        QVERIFY(!noBus.ok());
        QVERIFY(noBus.error().message.contains(QStringLiteral("dtoverlay=w1-gpio")));

        writeFile(empty.filePath(QStringLiteral("28-aaaaaaaaaaaa/temperature")), "20000");
        writeFile(empty.filePath(QStringLiteral("28-bbbbbbbbbbbb/temperature")), "20000");
        const auto two = hal::instrument::Ds18b20Thermometer::open({}, empty.path());
        QVERIFY(!two.ok());
        QVERIFY(two.error().message.contains(QStringLiteral("$.heater.sensor.w1_device")));
    }

    void ntcBetaEquationFigures()
    {
        core::instrument::ThermometerDescription d;  // β 3470 K, 10 kΩ at 25 °C, 10 kΩ series, 3.3 V
        const hal::instrument::NtcDivider ntc(d);
        // At 25 °C the thermistor equals the series resistor: half the supply.
        QCOMPARE(ntc.voltsAt(298.15), 1.65);
        QVERIFY(std::abs(*ntc.kelvinFromVolts(1.65) - 298.15) < 1e-9);
        // R(58 °C) = 10 kΩ·exp(3470·(1/331.15 − 1/298.15)) = 3135.5 Ω, from the β equation.
        QVERIFY(std::abs(*ntc.resistanceOhm(ntc.voltsAt(331.15)) - 3135.5) < 0.1);
        QVERIFY(std::abs(ntc.kelvinFromResistance(3135.5) - 331.15) < 0.001);
        for (double c : {20.0, 50.0, 58.0, 70.0}) {
            const double k = 273.15 + c;
            QVERIFY(std::abs(*ntc.kelvinFromVolts(ntc.voltsAt(k)) - k) < 1e-6);
        }
        // Hotter → lower resistance → lower voltage with the NTC to ground.
        QVERIFY(ntc.voltsAt(331.15) < ntc.voltsAt(298.15));
        QVERIFY(!ntc.kelvinFromVolts(0.0).ok());  // shorted
        QVERIFY(!ntc.kelvinFromVolts(3.3).ok());  // open

        d.ntcToGround = false;
        const hal::instrument::NtcDivider high(d);
        QVERIFY(high.voltsAt(331.15) > high.voltsAt(298.15));
        QVERIFY(std::abs(*high.kelvinFromVolts(high.voltsAt(331.15)) - 331.15) < 1e-6);
    }

    void ads1115Words()
    {
        // OS | MUX=100 (AIN0/GND) | PGA=001 | MODE=1 | DR=100 | COMP_QUE=11, from the datasheet's table 8.
        QCOMPARE(hal::instrument::Ads1115Thermometer::singleShotConfig(0), quint16(0xC383));
        QCOMPARE(hal::instrument::Ads1115Thermometer::singleShotConfig(3), quint16(0xF383));
        QCOMPARE(hal::instrument::Ads1115Thermometer::voltsFromCode(8000), 1.0);
        QCOMPARE(hal::instrument::Ads1115Thermometer::voltsFromCode(-32768), -4.096);
        core::instrument::ThermometerDescription d;
        d.i2cDevice = QStringLiteral("/nonexistent/i2c-1");
        const auto missing = hal::instrument::Ads1115Thermometer::open(d);
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QStringLiteral("dtparam=i2c_arm=on")),
            qPrintable(missing.error().message));
    }

    void stepperSequences()
    {
        const StepperSequence full(false);
        const StepperSequence half(true);
        QCOMPARE(full.phases(), 4);
        QCOMPARE(half.phases(), 8);
        const auto bits = [](const std::array<bool, 4> &c) {
            return int(c[0]) | int(c[1]) << 1 | int(c[2]) << 2 | int(c[3]) << 3;
        };
        QList<int> f;
        QList<int> h;
        for (int p = 0; p < 8; ++p) {
            f << bits(full.coils(p));
            h << bits(half.coils(p));
        }
        QCOMPARE(f, (QList<int> {0b0011, 0b0110, 0b1100, 0b1001, 0b0011, 0b0110, 0b1100, 0b1001}));
        QCOMPARE(h, (QList<int> {0b0001, 0b0011, 0b0010, 0b0110, 0b0100, 0b1100, 0b1000, 0b1001}));
        QCOMPARE(bits(full.coils(-1)), 0b1001);  // negative phases wrap
    }

    void stepperHomesMovesAndReleases()
    {
        auto owned = std::make_unique<RecordingLines>(
            QStringList {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")});
        RecordingLines *lines = owned.get();
        core::instrument::StepperDescription d;
        d.stepTime = 2ms;
        d.homeSteps = -6;
        hal::instrument::StepperDrive drive(d, std::move(owned), {}, -100, 100);
        QVERIFY(!drive.position().has_value());  // not homed
        QVERIFY(drive.moveTo(3).ok());  // homes first
        QVERIFY(drive.waitSettled(2s).ok());
        QCOMPARE(drive.position(), std::optional<int>(3));
        QCOMPARE(drive.moveTime(0, 100), 200ms);
        // Energise phase 0, six steps backwards against the stop, three forwards, then released.
        const QList<int> seen = coilStates(*lines);
        const QList<int> expected {
            0b0011, 0b1001, 0b1100, 0b0110, 0b0011, 0b1001, 0b1100, 0b1001, 0b0011, 0b0110, 0};
        if (seen != expected) {
            QStringList s;
            for (int v : seen)
                s << QString::number(v, 2);
            qWarning("seen %s", qPrintable(s.join(u' ')));
        }
        QCOMPARE(seen, expected);
        QVERIFY(!lines->anyActive());
        // The last step is held for a step time before the coils are released: the rotor needs it.
        const auto writes = lines->writes();
        std::optional<hal::strobe::MonoTime> lastOn;
        std::optional<hal::strobe::MonoTime> releasedAt;
        for (const auto &w : writes) {
            if (w.active)
                lastOn = w.when;
        }
        for (const auto &w : writes)
            if (!w.active && lastOn && w.when > *lastOn && !releasedAt)
                releasedAt = w.when;
        QVERIFY(lastOn && releasedAt);
        QVERIFY(*releasedAt - *lastOn >= d.stepTime);
        // A transition never energises three coils at once (off before on).
        int state = 0;
        for (const auto &w : lines->writes()) {
            state = w.active ? (state | (1 << w.line)) : (state & ~(1 << w.line));
            QVERIFY(__builtin_popcount(unsigned(state)) <= 2);
        }
        QVERIFY(!drive.moveTo(101).ok());
    }

    void stepperWheelCurrentFilterAndStandby()
    {
        auto owned = std::make_unique<RecordingLines>(QStringList {QStringLiteral("a"), QStringLiteral("b"),
            QStringLiteral("c"), QStringLiteral("d"), QStringLiteral("enable")});
        RecordingLines *lines = owned.get();
        core::instrument::FilterWheelDescription w;
        w.kind = QStringLiteral("stepper");
        w.order = {QStringLiteral("no_filter"), QStringLiteral("red")};
        w.positions = {{QStringLiteral("no_filter"), 0}, {QStringLiteral("red"), 8}};
        w.stepper.stepTime = 1ms;
        w.stepper.standbyPerMille = 400;
        hal::instrument::StepperFilterWheel wheel(
            w, std::make_unique<hal::instrument::StepperDrive>(w.stepper, std::move(owned)));
        QVERIFY(!wheel.moveTo(QStringLiteral("green")).ok());
        QVERIFY(wheel.moveTo(QStringLiteral("red")).ok());
        QVERIFY(wheel.waitSettled(2s).ok());
        QCOMPARE(wheel.current(), std::optional<QString>(QStringLiteral("red")));
        // A set-up move to a raw position between filters names none; back on red's position, red.
        QVERIFY(wheel.moveToRaw(6).ok());
        QVERIFY(wheel.waitSettled(2s).ok());
        QVERIFY(!wheel.current().has_value());
        QVERIFY(wheel.moveToRaw(8).ok());
        QVERIFY(wheel.waitSettled(2s).ok());
        QCOMPARE(wheel.current(), std::optional<QString>(QStringLiteral("red")));
        // Holding at standby: coils stay energised, the enable line pulses (software PWM at 1 kHz).
        QTest::qWait(30);
        QVERIFY(lines->isActive(0) || lines->isActive(1) || lines->isActive(2) || lines->isActive(3));
        QVERIFY(lines->onIntervals(4).size() > 5);
        wheel.release();
        QTest::qWait(5);
        QVERIFY(!lines->anyActive());
    }

    void stepperWriteFailureLatchesAFaultWithCoilsLow()
    {
        auto owned = std::make_unique<RecordingLines>(
            QStringList {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")});
        RecordingLines *lines = owned.get();
        core::instrument::StepperDescription d;
        d.stepTime = 1ms;
        hal::instrument::StepperDrive drive(d, std::move(owned));
        QVERIFY(drive.home().ok());
        QVERIFY(drive.waitSettled(1s).ok());
        lines->failNextWrite(2, true);  // coil c refuses to switch on at the second step
        QVERIFY(drive.moveTo(10).ok());
        const auto st = drive.waitSettled(1s);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.contains(QStringLiteral("injected write failure")),
            qPrintable(st.error().message));
        QVERIFY(!drive.position().has_value());
        QVERIFY(!lines->anyActive());
        QVERIFY(!drive.moveTo(0).ok());  // latched
    }

    void outputGuardThatCannotStartSaysSo()
    {
        // The build tree's guard exists but the chip does not: it exits before reporting ready.
        QVERIFY(!hal::gpiod::OutputGuard::helperPath().isEmpty());
        const auto g = hal::gpiod::OutputGuard::start(QStringLiteral("/nonexistent/gpiochip9"), {13});
        QVERIFY(!g.ok());
        QVERIFY2(g.error().message.contains(QStringLiteral("/nonexistent/gpiochip9")),
            qPrintable(g.error().message));
    }

    void heaterPwmDutyAndOff()
    {
        SCOPESYNC_SKIP_UNDER_TSAN_WHEN_REAL_TIME();
        auto owned = std::make_unique<RecordingLines>(QStringList {QStringLiteral("heater")});
        RecordingLines *line = owned.get();
        hal::instrument::PwmHeater heater(std::move(owned), 500, 100ms);
        QVERIFY(heater.setDuty(0.9).ok());
        QCOMPARE(heater.duty(), 0.5);  // the rig's maximum
        QTest::qWait(1050);
        const auto on = line->onIntervals(0);
        QVERIFY(on.size() >= 9);
        double highNs = 0;
        int counted = 0;
        for (std::size_t i = 1; i + 1 < on.size(); ++i) {  // whole periods only
            highNs += double((on[i].off - on[i].on).count());
            ++counted;
        }
        const double meanMs = highNs / counted / 1e6;
        qInfo("heater: %d whole periods of 100 ms at duty 0.5, mean high time %.2f ms", counted, meanMs);
        QVERIFY(std::abs(meanMs - 50.0) < 5.0);
        heater.off();
        QVERIFY(!line->isActive(0));
        QTest::qWait(150);
        QVERIFY(!line->isActive(0));
        QCOMPARE(heater.duty(), 0.0);
    }

    void servoPulsesAndSettle()
    {
        core::instrument::FilterWheelDescription w;
        w.kind = QStringLiteral("servo");
        w.order = {QStringLiteral("no_filter"), QStringLiteral("red"), QStringLiteral("green")};
        w.positions = {{QStringLiteral("no_filter"), 500}, {QStringLiteral("red"), 750},
            {QStringLiteral("green"), 1250}};
        w.servoSettle = 50ms;
        auto pulses = std::make_unique<FakePulses>();
        FakePulses *p = pulses.get();
        hal::instrument::ServoFilterWheel wheel(w, std::move(pulses));
        QVERIFY(!wheel.current().has_value());
        QVERIFY(wheel.moveTo(QStringLiteral("red")).ok());
        QVERIFY(!wheel.current().has_value());  // settling
        QCOMPARE(p->highs.back(), std::chrono::nanoseconds(750us));
        const auto t0 = std::chrono::steady_clock::now();
        QVERIFY(wheel.waitSettled(1s).ok());
        QVERIFY(std::chrono::steady_clock::now() - t0 >= 45ms);
        QCOMPARE(wheel.current(), std::optional<QString>(QStringLiteral("red")));
        QVERIFY(wheel.moveTo(QStringLiteral("green")).ok());
        QVERIFY(!wheel.waitSettled(10ms).ok());
        QCOMPARE(p->highs.back(), std::chrono::nanoseconds(1250us));
        wheel.release();
        QCOMPARE(p->highs.back(), 0ns);
        QVERIFY(!wheel.moveTo(QStringLiteral("blue")).ok());

        // Set-up moves: any width from 500 to 2500 µs; between filters no filter is named.
        QVERIFY(wheel.moveToRaw(760).ok());
        QCOMPARE(p->highs.back(), std::chrono::nanoseconds(760us));
        QVERIFY(wheel.waitSettled(1s).ok());
        QVERIFY(!wheel.current().has_value());
        QVERIFY(wheel.moveToRaw(750).ok());
        QVERIFY(wheel.waitSettled(1s).ok());
        QCOMPARE(wheel.current(), std::optional<QString>(QStringLiteral("red")));
        const auto sent = p->highs.size();
        const auto refused = wheel.moveToRaw(2600);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("500–2500")),
            qPrintable(refused.error().message));
        QCOMPARE(p->highs.size(), sent);  // nothing sent to the servo
    }
};

QTEST_GUILESS_MAIN(TestInstrumentBackends)
#include "test_instrument_backends.moc"
