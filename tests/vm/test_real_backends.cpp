// Real-driver tests of the Pi backends, run inside the VM: libgpiod lines on gpio-sim, libcamera on vimc,
// the ADS1115 thermometer on i2c-stub, the heater and steppers on gpio-sim lines and the output guard.
#include "core/acquisition/rig_description.h"
#include "hal/gpiod/gpiod_chip_access.h"
#include "hal/gpiod/gpiod_output_lines.h"
#include "hal/gpiod/gpiod_trigger_input.h"
#include "hal/gpiod/output_guard.h"
#include "hal/instrument/ads1115_thermometer.h"
#include "hal/instrument/ntc_divider.h"
#include "hal/instrument/pwm_heater.h"
#include "hal/instrument/stepper_drive.h"
#include "hal/libcamera/camera_manager_access.h"
#include "hal/libcamera/libcamera_camera.h"
#include "hal/strobe/strobe_engine.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

#include "support/verify_ok.h"
#include "vm_gpio_sim.h"
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <grp.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;
using namespace scopesync;
using hal::strobe::MonoTime;

using namespace scopesync::testing;

namespace {
MonoTime now()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return core::monoFromNs(qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec);
}

// The i2c-stub adapter's device node ("/dev/i2c-3"), found by its name in sysfs.
QString findI2cStub()
{
    const QDir adapters(QStringLiteral("/sys/class/i2c-dev"));
    for (const QString &a : adapters.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile name(adapters.filePath(a) + QStringLiteral("/name"));
        if (name.open(QIODevice::ReadOnly) && name.readAll().contains("SMBus stub"))
            return QStringLiteral("/dev/") + a;
    }
    return {};
}

// One SMBus word transfer, as the test's own independent client of i2c-stub.
bool smbusWord(int fd, char readWrite, quint8 reg, quint16 *value)
{
    i2c_smbus_data data {};
    if (readWrite == I2C_SMBUS_WRITE)
        data.word = *value;
    i2c_smbus_ioctl_data args {};
    args.read_write = readWrite;
    args.command = reg;
    args.size = I2C_SMBUS_WORD_DATA;
    args.data = &data;
    if (::ioctl(fd, I2C_SMBUS, &args) != 0)
        return false;
    if (readWrite == I2C_SMBUS_READ)
        *value = data.word;
    return true;
}

// The child process of the SIGKILL test: heater full on (with or without the guard), then waits to be
// killed. Reports "on" on stdout once the line is driven.
int heaterChild()
{
    const QString chip = qEnvironmentVariable("SCOPESYNC_VM_CHIP");
    const int line = qEnvironmentVariableIntValue("SCOPESYNC_VM_HEATER_LINE");
    std::unique_ptr<hal::gpiod::OutputGuard> guard;
    if (qEnvironmentVariableIntValue("SCOPESYNC_VM_GUARD") == 1) {
        // gpio-sim returns a released line to its pull: the guard holds it low for the test to see.
        auto g = hal::gpiod::OutputGuard::start(chip, {line}, std::chrono::milliseconds(5000));
        if (!g.ok()) {
            std::fprintf(stderr, "guard: %s\n", qPrintable(g.error().toString()));
            return 1;
        }
        guard = std::move(g).value();
    }
    auto lines = hal::gpiod::GpiodOutputLines::open(
        chip, {{QStringLiteral("heater"), line}}, QStringLiteral("scopesync-heater"));
    if (!lines.ok()) {
        std::fprintf(stderr, "heater: %s\n", qPrintable(lines.error().toString()));
        return 1;
    }
    hal::instrument::PwmHeater heater(std::move(lines).value(), 1000);
    if (!heater.setDuty(1.0).ok())
        return 1;
    QThread::msleep(100);
    std::printf("on\n");
    std::fflush(stdout);
    while (true)
        ::pause();
}
}  // namespace

class TestRealBackends : public QObject {
    Q_OBJECT

private:
    SimChip m_chip;
    QString pull(int line) const { return QStringLiteral("%1/sim_gpio%2/pull").arg(m_chip.sysfs).arg(line); }
    QString value(int line) const
    {
        return QStringLiteral("%1/sim_gpio%2/value").arg(m_chip.sysfs).arg(line);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto chip = findSimChip();
        if (!chip)
            QSKIP("no gpio-sim chip: this test runs inside the VM started by tests/vm/run_vm_tests.sh "
                  "(ctest -L vm)");
        m_chip = *chip;
    }

    void triggerInputSeesOneTimestampPerFallingEdge()
    {
        QVERIFY(writeSys(pull(6), "pull-up"));
        auto in = hal::gpiod::GpiodTriggerInput::open(m_chip.dev, 6);
        SCOPESYNC_VERIFY_OK(in);
        // Nothing queued yet: the rising edge before the request is not reported.
        auto none = in.value()->waitEdge(50ms);
        QVERIFY(none.ok());
        QVERIFY(!none.value());
        std::vector<std::pair<MonoTime, MonoTime>> windows;
        for (int i = 0; i < 5; ++i) {
            const MonoTime before = now();
            QVERIFY(writeSys(pull(6), "pull-down"));  // falling edge
            const MonoTime after = now();
            windows.emplace_back(before, after);
            QThread::msleep(20);
            QVERIFY(writeSys(pull(6), "pull-up"));  // rising edge: must not be reported
            QThread::msleep(20);
        }
        for (int i = 0; i < 5; ++i) {
            auto e = in.value()->waitEdge(2s);
            QVERIFY(e.ok());
            QVERIFY2(
                e.value().has_value(), qPrintable(QStringLiteral("falling edge %1 not reported").arg(i)));
            // The kernel stamped it on CLOCK_MONOTONIC while the sysfs write ran.
            QVERIFY2(
                *e.value() >= windows[std::size_t(i)].first && *e.value() <= windows[std::size_t(i)].second,
                qPrintable(QStringLiteral("edge %1 at %2 ns outside its write [%3, %4]")
                               .arg(i)
                               .arg(core::toNs(*e.value()))
                               .arg(core::toNs(windows[std::size_t(i)].first))
                               .arg(core::toNs(windows[std::size_t(i)].second))));
        }
        auto extra = in.value()->waitEdge(200ms);
        QVERIFY(extra.ok());
        QVERIFY2(!extra.value(), "an edge was reported for a rising transition");
    }

    void outputLinesDriveTheChip()
    {
        auto out = hal::gpiod::GpiodOutputLines::open(m_chip.dev,
            {{QStringLiteral("red"), 16, false, true}, {QStringLiteral("trigger"), 17, true, false}});
        SCOPESYNC_VERIFY_OK(out);
        auto &lines = *out.value();
        QCOMPARE(readSys(value(16)), QByteArray("0"));
        QCOMPARE(readSys(value(17)), QByteArray("1"));  // active-low trigger idles high
        QVERIFY(lines.set(0, true).ok());
        QVERIFY(lines.set(1, true).ok());
        QCOMPARE(readSys(value(16)), QByteArray("1"));
        QCOMPARE(readSys(value(17)), QByteArray("0"));  // "active" drives it low
        QVERIFY(lines.isActive(0));
        QVERIFY(lines.set(0, false).ok());
        QCOMPARE(readSys(value(16)), QByteArray("0"));
        // BCM 16 has no PWM: on/off, and the notes say so.
        QVERIFY(!lines.setIntensity(0, 500));
        QVERIFY(lines.notes().join(u'\n').contains(QStringLiteral("on/off only")));
    }

    void busyLineNamesTheConsumer()
    {
        auto first = hal::gpiod::GpiodOutputLines::open(
            m_chip.dev, {{QStringLiteral("green"), 20, false, false}}, QStringLiteral("first-owner"));
        QVERIFY(first.ok());
        auto second = hal::gpiod::GpiodTriggerInput::open(m_chip.dev, 20);
        QVERIFY(!second.ok());
        QVERIFY2(second.error().message.contains(QStringLiteral("already in use by 'first-owner'")),
            qPrintable(second.error().message));
        auto holder = hal::gpiod::lineConsumer(m_chip.dev, 20);
        QVERIFY(holder.ok() && holder.value() && *holder.value() == QStringLiteral("first-owner"));
    }

    void independentPeerSeesOurLine()
    {
        // libgpiod's own gpioget reads a line we do not hold; gpioinfo shows the one we hold.
        if (QStandardPaths::findExecutable(QStringLiteral("gpioinfo")).isEmpty())
            QSKIP("gpioinfo missing; install the gpiod package");
        auto out = hal::gpiod::GpiodOutputLines::open(
            m_chip.dev, {{QStringLiteral("blue"), 21, false, false}}, QStringLiteral("scopesync-peer"));
        QVERIFY(out.ok());
        QProcess p;
        p.start(QStringLiteral("gpioinfo"), {m_chip.dev});
        QVERIFY(p.waitForFinished(10000));
        const QString info = QString::fromLocal8Bit(p.readAllStandardOutput());
        QVERIFY2(info.contains(QStringLiteral("\"scopesync-peer\"")), qPrintable(info));
        QVERIFY(writeSys(pull(5), "pull-up"));
        p.start(QStringLiteral("gpioget"), {m_chip.dev, QStringLiteral("5")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.readAllStandardOutput().trimmed(), QByteArray("1"));
    }

    void missingChipAndLineAreExplained()
    {
        auto in = hal::gpiod::GpiodTriggerInput::open(QStringLiteral("gpiochip99"), 6);
        QVERIFY(!in.ok());
        QVERIFY2(
            in.error().message.contains(QStringLiteral("does not exist")), qPrintable(in.error().message));
        QVERIFY(in.error().message.contains(m_chip.dev));
        auto line = hal::gpiod::GpiodTriggerInput::open(m_chip.dev, 40);
        QVERIFY(!line.ok());
        QVERIFY2(line.error().message.contains(QStringLiteral("has no line 40 (it has 32 lines)")),
            qPrintable(line.error().message));
    }

    // An unprivileged user (nobody) on a chip left to root: refused, and told the udev rule and the group.
    void permissionDeniedNamesTheFix()
    {
        int fds[2];
        QVERIFY(::pipe(fds) == 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::close(fds[0]);
            QByteArray msg = "could not drop privileges";
            if (::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0) {
                auto in = hal::gpiod::GpiodTriggerInput::open(m_chip.dev, 6);
                msg = in.ok() ? QByteArray("opened") : in.error().message.toUtf8();
            }
            (void)!::write(fds[1], msg.constData(), std::size_t(msg.size()));
            ::_exit(0);
        }
        ::close(fds[1]);
        QByteArray got;
        char buf[512];
        for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
            got.append(buf, n);
        ::close(fds[0]);
        int status = 0;
        ::waitpid(child, &status, 0);
        const QString path = QStringLiteral("/dev/") + m_chip.dev;
        QVERIFY2(got.contains("no permission to open"), got.constData());
        QVERIFY2(got.contains(path.toUtf8()), got.constData());
        QVERIFY2(got.contains("usermod -aG"), got.constData());
    }

    void strobeEngineDrivesLedFromInjectedXvs()
    {
        // Correctness only: timing inside a TCG guest means nothing.
        QVERIFY(writeSys(pull(6), "pull-up"));
        auto xvs = hal::gpiod::GpiodTriggerInput::open(m_chip.dev, 6);
        auto leds = hal::gpiod::GpiodOutputLines::open(
            m_chip.dev, {{QStringLiteral("red"), 16, false, false}, {QStringLiteral("uv"), 18, false, true}});
        QVERIFY(xvs.ok() && leds.ok());
        hal::strobe::StrobeEngineConfig ec;
        ec.mode = core::acquisition::TriggerMode::XvsSink;
        ec.framePeriod = 500ms;
        ec.flashMaxOn = {1000ms, 1000ms};
        ec.illuminationMaxOn = {1000ms, 1000ms};
        ec.requestRealtime = false;
        // Time in an emulated (TCG) guest is meaningless: the edges land on the 500 ms grid only roughly.
        ec.classifierTolerance = 0.2;
        hal::strobe::StrobeEngine engine(ec, *leds.value(), xvs.value().get(), nullptr);
        engine.arm({1, {{QStringLiteral("uv"), 20ms, 150ms, 1000}}});
        engine.arm({2, {{QStringLiteral("red"), 20ms, 150ms, 1000}}});
        QVERIFY(engine.start().ok());
        // Edges on a fixed 500 ms grid, the period the engine expects (its classifier checks intervals).
        const MonoTime t0 = now() + 100ms;
        for (quint64 job = 1; job <= 2; ++job) {
            const MonoTime due = t0 + (job - 1) * 500ms;
            const timespec ts {
                time_t(core::toNs(due) / 1'000'000'000), long(core::toNs(due) % 1'000'000'000)};
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
            const MonoTime edge = now();
            QVERIFY(writeSys(pull(6), "pull-down"));
            const QString want = job == 1 ? QStringLiteral("uv") : QStringLiteral("red");
            const int wantLine = job == 1 ? 18 : 16;
            const int otherLine = job == 1 ? 16 : 18;
            // Mid-pulse the right LED is on and the other off, as the chip sees it.
            QThread::msleep(95);
            const QByteArray mid = readSys(value(wantLine));
            const QByteArray other = readSys(value(otherLine));
            auto ev = engine.waitEvent(job, 5000ms);
            QVERIFY2(ev.has_value(),
                qPrintable(QStringLiteral("no event for job %1 (triggers %2, rejected %3, missed %4)")
                               .arg(job)
                               .arg(engine.stats().triggers)
                               .arg(engine.stats().rejected)
                               .arg(engine.stats().missed)));
            QCOMPARE(mid, QByteArray("1"));
            QCOMPARE(other, QByteArray("0"));
            QVERIFY(ev->triggerTime >= edge);
            QCOMPARE(ev->edges.size(), std::size_t(2));
            QCOMPARE(ev->edges[0].line, want);
            QVERIFY(ev->edges[0].active && !ev->edges[1].active);
            QCOMPARE(readSys(value(wantLine)), QByteArray("0"));
            QVERIFY(writeSys(pull(6), "pull-up"));
        }
        QVERIFY2(engine.fault().isEmpty(), qPrintable(engine.fault()));
        QCOMPARE(engine.stats().triggers, qint64(2));
        engine.stop();
        QVERIFY(engine.allLedsOff());
        QCOMPARE(readSys(value(16)), QByteArray("0"));
        QCOMPARE(readSys(value(18)), QByteArray("0"));
    }

    void gangedLinesSwitchTogether()
    {
        // The 454's UV LED on four pins: 18 with 19, 22 and 23 ganged.
        hal::gpiod::OutputLineSpec uv {QStringLiteral("uv"), 18};
        uv.gangedOffsets = {19, 22, 23};
        auto out = hal::gpiod::GpiodOutputLines::open(m_chip.dev, {uv});
        SCOPESYNC_VERIFY_OK(out);
        QCOMPARE((*out)->count(), 1);
        for (int l : {18, 19, 22, 23})
            QCOMPARE(readSys(value(l)), QByteArray("0"));
        QVERIFY((*out)->set(0, true).ok());
        for (int l : {18, 19, 22, 23})
            QCOMPARE(readSys(value(l)), QByteArray("1"));
        QVERIFY((*out)->set(0, false).ok());
        for (int l : {18, 19, 22, 23})
            QCOMPARE(readSys(value(l)), QByteArray("0"));
        QVERIFY((*out)->notes().join(u' ').contains(QStringLiteral("ganged with lines 19, 22, 23")));
    }

    void stepperCoilSequenceOnTheChip()
    {
        // The 454 filter wheel's coil lines (BCM 7, 8, 14, 15); slow steps: a TCG guest is slow to sample.
        auto lines = hal::gpiod::GpiodOutputLines::open(m_chip.dev,
            {{QStringLiteral("c1"), 7}, {QStringLiteral("c2"), 8}, {QStringLiteral("c3"), 14},
                {QStringLiteral("c4"), 15}});
        SCOPESYNC_VERIFY_OK(lines);
        core::instrument::StepperDescription d;
        d.coilBcm = {7, 8, 14, 15};
        d.stepTime = 60ms;
        d.homeSteps = -4;
        std::atomic<bool> sampling {true};
        QList<int> states;
        std::thread sampler([&] {
            int last = -1;
            while (sampling) {
                int state = 0;
                const int offsets[] = {7, 8, 14, 15};
                for (int i = 0; i < 4; ++i)
                    if (readSys(value(offsets[i])) == "1")
                        state |= 1 << i;
                // Two coils on: a full step (a transition passes through one coil, off before on).
                if ((__builtin_popcount(unsigned(state)) == 2 || state == 0) && state != last) {
                    states << state;
                    last = state;
                }
                std::this_thread::sleep_for(1ms);
            }
        });
        {
            hal::instrument::StepperDrive drive(d, std::move(lines).value());
            QVERIFY(drive.moveTo(3).ok());
            QVERIFY(drive.waitSettled(20s).ok());
            QCOMPARE(drive.position(), std::optional<int>(3));
            QThread::msleep(100);
        }
        sampling = false;
        sampler.join();
        QStringList seen;
        for (int v : states)
            seen << QString::number(v, 2).rightJustified(4, u'0');
        qInfo("coil states seen on gpio-sim (bit 0 = BCM 7): %s", qPrintable(seen.join(u' ')));
        // Idle low, phase 0, four steps back against the stop, three forward, released.
        const QList<int> expected {0, 0b0011, 0b1001, 0b1100, 0b0110, 0b0011, 0b0110, 0b1100, 0b1001, 0};
        QCOMPARE(states, expected);
        for (int l : {7, 8, 14, 15})
            QCOMPARE(readSys(value(l)), QByteArray("0"));
    }

    void heaterLineDutyOnTheChip()
    {
        auto lines = hal::gpiod::GpiodOutputLines::open(m_chip.dev, {{QStringLiteral("heater"), 13}});
        SCOPESYNC_VERIFY_OK(lines);
        hal::instrument::PwmHeater heater(std::move(lines).value(), 500, 400ms);
        QVERIFY(heater.setDuty(1.0).ok());  // limited to 500 ‰
        int high = 0;
        int samples = 0;
        const auto until = std::chrono::steady_clock::now() + 4s;
        while (std::chrono::steady_clock::now() < until) {
            high += readSys(value(13)) == "1" ? 1 : 0;
            ++samples;
            QThread::msleep(2);
        }
        const double fraction = double(high) / samples;
        qInfo("heater at 500 per mille: line 13 high in %d of %d samples (%.3f)", high, samples, fraction);
        QVERIFY(fraction > 0.35 && fraction < 0.65);
        heater.off();
        QCOMPARE(readSys(value(13)), QByteArray("0"));
        QThread::msleep(500);
        QCOMPARE(readSys(value(13)), QByteArray("0"));
    }

    void sigkilledHeaterGoesLow_data()
    {
        QTest::addColumn<bool>("guarded");
        QTest::newRow("without the guard") << false;
        QTest::newRow("with the guard") << true;
    }

    void sigkilledHeaterGoesLow()
    {
        QFETCH(bool, guarded);
        // A Raspberry Pi's pin keeps its level when its process dies; gpio-sim returns a released line to
        // its pull. Pull-up stands for "stays on".
        QVERIFY(writeSys(pull(13), "pull-up"));
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SCOPESYNC_VM_HEATER_CHILD"), QStringLiteral("1"));
        env.insert(QStringLiteral("SCOPESYNC_VM_CHIP"), m_chip.dev);
        env.insert(QStringLiteral("SCOPESYNC_VM_HEATER_LINE"), QStringLiteral("13"));
        env.insert(QStringLiteral("SCOPESYNC_VM_GUARD"), guarded ? QStringLiteral("1") : QStringLiteral("0"));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted(10000));
        QVERIFY2(child.waitForReadyRead(30000) && child.readAllStandardOutput().contains("on"),
            qPrintable(QString::fromLocal8Bit(child.readAllStandardError())));
        const auto holder = hal::gpiod::lineConsumer(m_chip.dev, 13);
        QVERIFY(holder.ok() && holder.value() && *holder.value() == QStringLiteral("scopesync-heater"));
        QCOMPARE(readSys(value(13)), QByteArray("1"));

        const auto killedAt = std::chrono::steady_clock::now();
        child.kill();  // SIGKILL: no handler, no destructor runs
        QVERIFY(child.waitForFinished(10000));
        std::optional<std::chrono::milliseconds> lowAfter;
        while (std::chrono::steady_clock::now() - killedAt < 2s) {
            if (readSys(value(13)) == "0") {
                lowAfter = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - killedAt);
                break;
            }
            QThread::msleep(2);
        }
        if (guarded) {
            QVERIFY2(lowAfter, "the heater line was still high 2 s after SIGKILL");
            qInfo("heater line low %lld ms after SIGKILL", static_cast<long long>(lowAfter->count()));
            QVERIFY(*lowAfter < 1000ms);
            const auto by = hal::gpiod::lineConsumer(m_chip.dev, 13);
            QVERIFY(by.ok() && by.value() && *by.value() == QStringLiteral("scopesync-output-guard"));
        } else {
            // The control: nothing drives it low, it stays "on".
            QVERIFY2(!lowAfter, "without the guard the line went low by itself: this chip proves nothing");
        }
        QThread::msleep(guarded ? 5500 : 0);  // the guard releases the line after its hold
        QVERIFY(writeSys(pull(13), "pull-down"));
    }

    void ads1115ThroughI2cStub()
    {
        const QString dev = findI2cStub();
        if (dev.isEmpty())
            QSKIP("no i2c-stub adapter (the VM loads i2c-stub chip_addr=0x48 and i2c-dev)");
        const int fd = ::open(dev.toLocal8Bit().constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(fd >= 0);
        QVERIFY(::ioctl(fd, I2C_SLAVE, 0x48L) == 0);
        core::instrument::ThermometerDescription d;
        d.kind = QStringLiteral("ntc-ads1115");
        d.i2cDevice = dev;
        d.adcChannel = 1;
        // The conversion register holds the code for 58 °C, most significant byte first as the chip sends it.
        const hal::instrument::NtcDivider ntc(d);
        const auto code = qint16(std::lround(ntc.voltsAt(331.15) / (4.096 / 32768.0)));
        quint16 word = quint16((quint16(code) >> 8) | (quint16(code) << 8));
        QVERIFY(smbusWord(fd, I2C_SMBUS_WRITE, 0x00, &word));

        auto t = hal::instrument::Ads1115Thermometer::open(d);
        SCOPESYNC_VERIFY_OK(t);
        const auto r = (*t)->read();
        SCOPESYNC_VERIFY_OK(r);
        qInfo("%s: code %d reads %.3f °C", qPrintable((*t)->name()), int(code), r->kelvin - 273.15);
        QVERIFY(std::abs(r->kelvin - 331.15) < 0.05);  // one code is ≈ 0.01 K here
        // The driver started a single-shot conversion of AIN1: config word written MSB first.
        quint16 config = 0;
        QVERIFY(smbusWord(fd, I2C_SMBUS_READ, 0x01, &config));
        QCOMPARE(
            quint16((config >> 8) | (config << 8)), hal::instrument::Ads1115Thermometer::singleShotConfig(1));

        // A wrong address answers nothing: the error names the device and the wiring.
        d.i2cAddress = 0x49;
        auto wrong = hal::instrument::Ads1115Thermometer::open(d);
        QVERIFY(wrong.ok());
        const auto nothing = (*wrong)->read();
        QVERIFY(!nothing.ok());
        QVERIFY2(nothing.error().message.contains(dev), qPrintable(nothing.error().message));
        ::close(fd);
    }

    void libcameraCapturesFromVimc()
    {
        auto cams = hal::libcamera::listCameras();
        SCOPESYNC_VERIFY_OK(cams);
        if (cams.value().isEmpty())
            QSKIP("libcamera sees no camera (vimc not loaded or udev not run)");
        core::camera::CameraSettings settings = core::camera::CameraSettings::referenceRig();
        hal::libcamera::LibcameraCameraConfig cc;
        cc.raw = true;  // vimc has no raw stream: the camera falls back and says so
        cc.width = 640;
        cc.height = 480;
        // A preview stream at half size: delivered with every frame, or refused with a note saying the
        // preview is binned in software instead.
        cc.previewWidth = 320;
        cc.previewHeight = 240;
        auto cam = hal::libcamera::LibcameraCamera::open(cc, settings);
        SCOPESYNC_VERIFY_OK(cam);
        qInfo() << "camera" << cam.value()->model() << cam.value()->notes();
        const QStringList notes = cam.value()->notes();
        const bool previewRefused = notes.filter(QStringLiteral("no preview stream (")).size() == 1
            && notes.filter(QStringLiteral("bins the full frame in software")).size() == 1;
        const bool previewOffered = notes.filter(QStringLiteral("preview stream ")).size() == 1
            && notes.filter(QStringLiteral("320x240")).size() == 1;
        QVERIFY2(previewRefused != previewOffered, qPrintable(notes.join(QStringLiteral("; "))));
        for (int round = 0; round < 2; ++round) {  // clean stop and restart
            QVERIFY(cam.value()->start().ok());
            MonoTime previous {};
            for (int i = 0; i < 3; ++i) {
                auto f = cam.value()->waitFrame(20s);
                QVERIFY2(
                    f.has_value(), qPrintable(QStringLiteral("no frame %1 in round %2").arg(i).arg(round)));
                QCOMPARE(f->image.width, cam.value()->width());
                QCOMPARE(f->image.height, cam.value()->height());
                if (previewOffered) {
                    QCOMPARE(f->preview.width, 320);
                    QCOMPARE(f->preview.height, 240);
                } else {
                    QVERIFY(f->preview.isEmpty());
                }
                QVERIFY(f->sensorTimestamp > previous);
                QVERIFY(f->sensorTimestamp <= now());
                QVERIFY(f->exposureStart
                    == f->sensorTimestamp
                        - std::chrono::duration_cast<std::chrono::nanoseconds>(f->exposure));
                previous = f->sensorTimestamp;
            }
            cam.value()->stop();
        }
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet("SCOPESYNC_VM_HEATER_CHILD"))
        return heaterChild();
    QCoreApplication app(argc, argv);
    TestRealBackends test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "test_real_backends.moc"
