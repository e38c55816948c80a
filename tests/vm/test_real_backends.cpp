// Real-driver tests of the Pi backends, run inside the VM: libgpiod lines on gpio-sim, libcamera on vimc.
#include "core/acquisition/rig_description.h"
#include "hal/gpiod/gpiod_chip_access.h"
#include "hal/gpiod/gpiod_output_lines.h"
#include "hal/gpiod/gpiod_trigger_input.h"
#include "hal/libcamera/camera_manager_access.h"
#include "hal/libcamera/libcamera_camera.h"
#include "hal/strobe/strobe_engine.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

#include <ctime>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace std::chrono_literals;
using namespace scopesync;
using hal::strobe::MonoTime;

namespace {
// The gpio-sim chip the VM's init creates (label "scopesync-sim"): its /dev name and sysfs directory.
struct SimChip {
    QString dev;  // "gpiochip0"
    QString sysfs;  // /sys/devices/platform/gpio-sim.0/gpiochip0
};

std::optional<SimChip> findSimChip()
{
    const QDir platform(QStringLiteral("/sys/devices/platform"));
    for (const QString &sim : platform.entryList({QStringLiteral("gpio-sim.*")}, QDir::Dirs)) {
        const QDir d(platform.filePath(sim));
        for (const QString &chip : d.entryList({QStringLiteral("gpiochip*")}, QDir::Dirs))
            return SimChip {chip, d.filePath(chip)};
    }
    return std::nullopt;
}

bool writeSys(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

QByteArray readSys(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
}

MonoTime now()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return core::monoFromNs(qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec);
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
        QVERIFY2(in.ok(), qPrintable(in.ok() ? QString() : in.error().toString()));
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
        QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().toString()));
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

    void libcameraCapturesFromVimc()
    {
        auto cams = hal::libcamera::listCameras();
        QVERIFY2(cams.ok(), qPrintable(cams.ok() ? QString() : cams.error().toString()));
        if (cams.value().isEmpty())
            QSKIP("libcamera sees no camera (vimc not loaded or udev not run)");
        core::camera::CameraSettings settings = core::camera::CameraSettings::referenceRig();
        hal::libcamera::LibcameraCameraConfig cc;
        cc.raw = true;  // vimc has no raw stream: the camera falls back and says so
        cc.width = 640;
        cc.height = 480;
        auto cam = hal::libcamera::LibcameraCamera::open(cc, settings);
        QVERIFY2(cam.ok(), qPrintable(cam.ok() ? QString() : cam.error().toString()));
        qInfo() << "camera" << cam.value()->model() << cam.value()->notes();
        for (int round = 0; round < 2; ++round) {  // clean stop and restart
            QVERIFY(cam.value()->start().ok());
            MonoTime previous {};
            for (int i = 0; i < 3; ++i) {
                auto f = cam.value()->waitFrame(20s);
                QVERIFY2(
                    f.has_value(), qPrintable(QStringLiteral("no frame %1 in round %2").arg(i).arg(round)));
                QCOMPARE(f->image.width, cam.value()->width());
                QCOMPARE(f->image.height, cam.value()->height());
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

QTEST_GUILESS_MAIN(TestRealBackends)
#include "test_real_backends.moc"
