// Unit tests of the rig doctor on fake /sys, /proc, /dev and /boot trees: each check's status, and for a
// problem the exact command or file edit that fixes it.
#include "core/acquisition/rig_check.h"
#include "core/acquisition/rig_description.h"
#include "hal/doctor/rig_doctor.h"
#include "hal/libcamera/camera_manager_access.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace scopesync;
using core::acquisition::CheckStatus;
using core::acquisition::RigCheck;
using core::acquisition::RigDescription;
using core::acquisition::TriggerMode;
using hal::doctor::RigDoctor;

Q_DECLARE_METATYPE(core::acquisition::CheckStatus)
Q_DECLARE_METATYPE(core::acquisition::TriggerMode)

namespace {

const char *const kFirmwareCmdline = "boot/firmware/cmdline.txt";
const QString kLimitsHeader
    = QStringLiteral("Limit                     Soft Limit           Hard Limit           Units     \n"
                     "Max cpu time              unlimited            unlimited            seconds   \n"
                     "Max locked memory         8388608              8388608              bytes     \n");

RigDescription piRig(
    const QString &sensor = QStringLiteral("imx477"), TriggerMode trigger = TriggerMode::XvsSink)
{
    RigDescription rig = RigDescription::referenceSim();
    rig.backend = QStringLiteral("pi");
    rig.sensor = sensor;
    rig.trigger = trigger;
    return rig;
}

QString describe(const RigCheck &c)
{
    return QStringLiteral("%1: %2 — %3 — fix: %4")
        .arg(c.id, core::acquisition::checkStatusName(c.status), c.detail, c.fix);
}

// Group names of this process's user, as `id` reports them.
QStringList myGroups()
{
    QProcess id;
    id.start(QStringLiteral("id"), {QStringLiteral("-nG")});
    if (!id.waitForFinished(5000) || id.exitCode() != 0)
        return {};
    return QString::fromLocal8Bit(id.readAllStandardOutput()).split(u' ', Qt::SkipEmptyParts);
}

}  // namespace

class TestRigDoctor : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_tree;

    QString root() const { return m_tree->path(); }

    void write(const QString &relative, const QByteArray &content)
    {
        const QString path = m_tree->filePath(relative);
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QFile f(path);
        QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
        QCOMPARE(f.write(content), content.size());
    }

    // The process files the real-time check reads: soft RLIMIT_RTPRIO, effective capabilities, uids.
    void writeProcSelf(const QString &rtprio, const QString &capEff, int uid)
    {
        write(QStringLiteral("proc/self/limits"),
            (kLimitsHeader
                + QStringLiteral(
                    "Max realtime priority     %1                    %1                    \n"
                    "Max realtime timeout      unlimited            unlimited            us        \n")
                      .arg(rtprio))
                .toUtf8());
        write(QStringLiteral("proc/self/status"),
            QStringLiteral(
                "Name:\tscopesync\nUid:\t%1\t%1\t%1\t%1\nGid:\t%1\t%1\t%1\t%1\nCapInh:\t0000000000000000\n"
                "CapPrm:\t%2\nCapEff:\t%2\n")
                .arg(uid)
                .arg(capEff)
                .toUtf8());
    }

    hal::doctor::DoctorPaths paths() const
    {
        hal::doctor::DoctorPaths p;
        p.sys = m_tree->filePath(QStringLiteral("sys"));
        p.proc = m_tree->filePath(QStringLiteral("proc"));
        p.dev = m_tree->filePath(QStringLiteral("dev"));
        p.boot = m_tree->filePath(QStringLiteral("boot"));
        p.dataDir = m_tree->path();
        p.probeCamera = false;
        return p;
    }

    RigDoctor doctor(const RigDescription &rig = piRig()) const { return RigDoctor(rig, paths()); }

    static void checkStatus(const RigCheck &c, CheckStatus want)
    {
        QVERIFY2(c.status == want,
            qPrintable(
                QStringLiteral("%1 (wanted %2)").arg(describe(c), core::acquisition::checkStatusName(want))));
        // A problem always says how to fix it; an ok or skipped check has nothing to fix.
        if (want == CheckStatus::Problem)
            QVERIFY2(!c.fix.isEmpty(), qPrintable(describe(c)));
        if (want == CheckStatus::Ok || want == CheckStatus::Skipped)
            QVERIFY2(c.fix.isEmpty(), qPrintable(describe(c)));
    }

private Q_SLOTS:
    void init()
    {
        m_tree = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tree->isValid());
        QVERIFY(QDir(root()).mkpath(QStringLiteral("dev")));
    }

    void cleanup()
    {
        // A test may have taken the permissions away; give them back so the tree can be removed.
        const QString chip = m_tree->filePath(QStringLiteral("dev/gpiochip0"));
        if (QFile::exists(chip))
            ::chmod(chip.toLocal8Bit().constData(), 0644);
        m_tree.reset();
    }

    void recordsKeepTheirJsonFormat()
    {
        const RigCheck problem {QStringLiteral("gpiochip"), QStringLiteral("GPIO chip accessible"),
            CheckStatus::Problem, QStringLiteral("/dev/gpiochip0 does not exist"),
            QStringLiteral("run on a Pi")};
        QCOMPARE(QJsonDocument(problem.toJson()).toJson(QJsonDocument::Compact),
            QByteArray(R"({"detail":"/dev/gpiochip0 does not exist","fix":"run on a Pi","id":"gpiochip",)"
                       R"("status":"problem","title":"GPIO chip accessible"})"));
        const RigCheck ok {QStringLiteral("disk"), QStringLiteral("free disk space"), CheckStatus::Ok,
            QStringLiteral("50.0 GiB free"), {}};
        QVERIFY(!ok.toJson().contains(QStringLiteral("fix")));
        QCOMPARE(core::acquisition::checkStatusName(CheckStatus::Ok), QStringLiteral("ok"));
        QCOMPARE(core::acquisition::checkStatusName(CheckStatus::Warning), QStringLiteral("warning"));
        QCOMPARE(core::acquisition::checkStatusName(CheckStatus::Problem), QStringLiteral("problem"));
        QCOMPARE(core::acquisition::checkStatusName(CheckStatus::Skipped), QStringLiteral("skipped"));
    }

    void expectedTriggerModeFollowsTheDrivers()
    {
        // imx477: 1 = the sensor drives XVS (xvs-sink on the Pi's side), 2 = it waits for XVS.
        QCOMPARE(RigDoctor::expectedTriggerMode(QStringLiteral("imx477"), TriggerMode::XvsSink), 1);
        QCOMPARE(RigDoctor::expectedTriggerMode(QStringLiteral("imx477"), TriggerMode::XvsSource), 2);
        QCOMPARE(RigDoctor::expectedTriggerMode(QStringLiteral("imx477"), TriggerMode::FreeRun), 0);
        QVERIFY(!RigDoctor::expectedTriggerMode(QStringLiteral("imx477"), TriggerMode::External));
        QCOMPARE(RigDoctor::expectedTriggerMode(QStringLiteral("imx296"), TriggerMode::External), 1);
        QCOMPARE(RigDoctor::expectedTriggerMode(QStringLiteral("imx296"), TriggerMode::FreeRun), 0);
        QVERIFY(!RigDoctor::expectedTriggerMode(QStringLiteral("imx219"), TriggerMode::XvsSink));
    }

    void triggerModeParameter_data()
    {
        QTest::addColumn<QString>("sensor");
        QTest::addColumn<TriggerMode>("trigger");
        QTest::addColumn<QString>("value");  // empty: the parameter file does not exist
        QTest::addColumn<CheckStatus>("status");
        QTest::addColumn<QString>("fix");

        const auto echo = [](int v, const char *sensor) {
            return QStringLiteral(
                "echo %1 | sudo tee /sys/module/%2/parameters/trigger_mode (until the next boot; "
                "for every boot see the kernel command line check)")
                .arg(v)
                .arg(QLatin1String(sensor));
        };
        QTest::newRow("imx477 xvs-sink, right")
            << "imx477" << TriggerMode::XvsSink << "1" << CheckStatus::Ok << "";
        QTest::newRow("imx477 xvs-sink, wrong")
            << "imx477" << TriggerMode::XvsSink << "2" << CheckStatus::Problem << echo(1, "imx477");
        QTest::newRow("imx477 xvs-sink, default 0")
            << "imx477" << TriggerMode::XvsSink << "0" << CheckStatus::Problem << echo(1, "imx477");
        QTest::newRow("imx477 xvs-source, right")
            << "imx477" << TriggerMode::XvsSource << "2" << CheckStatus::Ok << "";
        QTest::newRow("imx477 xvs-source, wrong")
            << "imx477" << TriggerMode::XvsSource << "1" << CheckStatus::Problem << echo(2, "imx477");
        QTest::newRow("imx477 driver not loaded")
            << "imx477" << TriggerMode::XvsSource << "" << CheckStatus::Problem
            << "add 'dtoverlay=imx477' to /boot/firmware/config.txt and reboot";
        QTest::newRow("imx296 external, right")
            << "imx296" << TriggerMode::External << "1" << CheckStatus::Ok << "";
        QTest::newRow("imx296 external, wrong")
            << "imx296" << TriggerMode::External << "0" << CheckStatus::Problem << echo(1, "imx296");
        QTest::newRow("imx296 driver not loaded")
            << "imx296" << TriggerMode::External << "" << CheckStatus::Problem
            << "add 'dtoverlay=imx296' to /boot/firmware/config.txt and reboot";
        QTest::newRow("imx477 external: no such parameter")
            << "imx477" << TriggerMode::External << "1" << CheckStatus::Skipped << "";
    }

    void triggerModeParameter()
    {
        QFETCH(QString, sensor);
        QFETCH(TriggerMode, trigger);
        QFETCH(QString, value);
        QFETCH(CheckStatus, status);
        QFETCH(QString, fix);
        if (!value.isEmpty())  // sysfs ends the value with a newline
            write(QStringLiteral("sys/module/%1/parameters/trigger_mode").arg(sensor), value.toUtf8() + '\n');
        const RigCheck c = doctor(piRig(sensor, trigger)).checkTriggerModeParameter();
        QCOMPARE(c.id, QStringLiteral("trigger_mode"));
        checkStatus(c, status);
        QCOMPARE(c.fix, fix);
        if (status == CheckStatus::Ok)
            QCOMPARE(c.detail, QStringLiteral("trigger_mode=%1").arg(value));
        if (status == CheckStatus::Problem && !value.isEmpty())
            QVERIFY2(
                c.detail.contains(QStringLiteral("trigger_mode is %1").arg(value)), qPrintable(c.detail));
    }

    void kernelCommandLine_data()
    {
        QTest::addColumn<TriggerMode>("trigger");
        QTest::addColumn<QString>("file");  // which cmdline.txt exists, relative to the tree
        QTest::addColumn<QString>("configured");  // its line
        QTest::addColumn<QString>("running");  // /proc/cmdline
        QTest::addColumn<CheckStatus>("status");
        QTest::addColumn<QString>("fix");

        const QString base = QStringLiteral("console=serial0,115200 root=PARTUUID=1234-02 rootwait quiet");
        const QString sink = base + QStringLiteral(" imx477.trigger_mode=1");
        const QString wrong = base + QStringLiteral(" imx477.trigger_mode=2");
        QTest::newRow("set and booted")
            << TriggerMode::XvsSink << kFirmwareCmdline << sink << sink << CheckStatus::Ok << "";
        QTest::newRow("set, not booted yet") << TriggerMode::XvsSink << kFirmwareCmdline << sink << base
                                             << CheckStatus::Warning << "sudo reboot";
        QTest::newRow("missing")
            << TriggerMode::XvsSink << kFirmwareCmdline << base << base << CheckStatus::Problem
            << "append ' imx477.trigger_mode=1' to the single line of /boot/firmware/cmdline.txt "
               "(sudo nano /boot/firmware/cmdline.txt) and reboot";
        QTest::newRow("booted with it, but gone from the file")
            << TriggerMode::XvsSink << kFirmwareCmdline << base << sink << CheckStatus::Problem
            << "append ' imx477.trigger_mode=1' to the single line of /boot/firmware/cmdline.txt "
               "(sudo nano /boot/firmware/cmdline.txt) and reboot";
        QTest::newRow("wrong value") << TriggerMode::XvsSink << kFirmwareCmdline << wrong << wrong
                                     << CheckStatus::Problem
                                     << "replace 'imx477.trigger_mode=2' with 'imx477.trigger_mode=1' in "
                                        "/boot/firmware/cmdline.txt and "
                                        "reboot";
        QTest::newRow("xvs-source wants 2")
            << TriggerMode::XvsSource << kFirmwareCmdline << sink << sink << CheckStatus::Problem
            << "replace 'imx477.trigger_mode=1' with 'imx477.trigger_mode=2' in /boot/firmware/cmdline.txt "
               "and "
               "reboot";
        QTest::newRow("older OS: /boot/cmdline.txt")
            << TriggerMode::XvsSink << "boot/cmdline.txt" << base << base << CheckStatus::Problem
            << "append ' imx477.trigger_mode=1' to the single line of /boot/cmdline.txt "
               "(sudo nano /boot/cmdline.txt) and reboot";
        QTest::newRow("no cmdline.txt at all")
            << TriggerMode::XvsSink << ""
            << "" << base << CheckStatus::Problem
            << "append ' imx477.trigger_mode=1' to the single line of /boot/cmdline.txt "
               "(sudo nano /boot/cmdline.txt) and reboot";
        QTest::newRow("external on imx477: nothing to set")
            << TriggerMode::External << kFirmwareCmdline << base << base << CheckStatus::Skipped << "";
    }

    void kernelCommandLine()
    {
        QFETCH(TriggerMode, trigger);
        QFETCH(QString, file);
        QFETCH(QString, configured);
        QFETCH(QString, running);
        QFETCH(CheckStatus, status);
        QFETCH(QString, fix);
        if (!file.isEmpty())
            write(file, configured.toUtf8() + '\n');
        write(QStringLiteral("proc/cmdline"), running.toUtf8() + '\n');
        const RigCheck c = doctor(piRig(QStringLiteral("imx477"), trigger)).checkKernelCommandLine();
        QCOMPARE(c.id, QStringLiteral("kernel_cmdline"));
        checkStatus(c, status);
        QCOMPARE(c.fix, fix);
    }

    void gpioChipPresent()
    {
        write(QStringLiteral("dev/gpiochip0"), {});
        const RigCheck c = doctor().checkGpioChip();
        checkStatus(c, CheckStatus::Ok);
        QCOMPARE(c.detail, m_tree->filePath(QStringLiteral("dev/gpiochip0")));
    }

    void gpioChipByNumber()
    {
        // "0" is /dev/gpiochip0 for the GPIO layer (gpiod::chipDevicePath): the doctor must agree.
        write(QStringLiteral("dev/gpiochip0"), {});
        RigDescription rig = piRig();
        rig.gpioChip = QStringLiteral("0");
        checkStatus(doctor(rig).checkGpioChip(), CheckStatus::Ok);
    }

    void gpioChipAbsentNamesTheChipsThereAre()
    {
        // A Pi 5 on an older kernel has its header on gpiochip4.
        write(QStringLiteral("dev/gpiochip4"), {});
        write(QStringLiteral("dev/gpiochip5"), {});
        const RigCheck c = doctor().checkGpioChip();
        checkStatus(c, CheckStatus::Problem);
        QCOMPARE(c.detail,
            QStringLiteral("%1 does not exist").arg(m_tree->filePath(QStringLiteral("dev/gpiochip0"))));
        QCOMPARE(c.fix,
            QStringLiteral(
                "set \"lines\": {\"chip\": \"gpiochip4\"} in the rig file (this machine has gpiochip4, "
                "gpiochip5; 'gpiodetect' names them)"));
    }

    void gpioChipAbsentOnAMachineWithoutGpio()
    {
        const RigCheck c = doctor().checkGpioChip();
        checkStatus(c, CheckStatus::Problem);
        QCOMPARE(c.fix, QStringLiteral("run on a Raspberry Pi (no GPIO chip on this machine)"));
    }

    void gpioChipUnreadable()
    {
        write(QStringLiteral("dev/gpiochip0"), {});
        const QByteArray chip = m_tree->filePath(QStringLiteral("dev/gpiochip0")).toLocal8Bit();
        QCOMPARE(::chmod(chip.constData(), 0), 0);
        if (::access(chip.constData(), R_OK | W_OK) == 0)
            QSKIP(
                "this process may open a file with mode 000 (it runs as root): permissions cannot be tested");
        const RigCheck c = doctor().checkGpioChip();
        checkStatus(c, CheckStatus::Problem);
        QVERIFY2(c.detail.startsWith(QStringLiteral("no permission to open")), qPrintable(describe(c)));
        QVERIFY2(c.fix.contains(QRegularExpression(QStringLiteral("'sudo usermod -aG \\S+ \\$USER'"))),
            qPrintable(describe(c)));
        // The lines cannot be asked about: one skipped finding pointing back at the chip.
        const QList<RigCheck> lines = doctor().checkLinesFree();
        QCOMPARE(lines.size(), 1);
        checkStatus(lines.constFirst(), CheckStatus::Skipped);
    }

    void linesSkippedWithoutAChip()
    {
        const QList<RigCheck> lines = doctor().checkLinesFree();
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.constFirst().id, QStringLiteral("lines"));
        checkStatus(lines.constFirst(), CheckStatus::Skipped);
    }

    void linesOnANodeThatIsNoGpioChip()
    {
        // Present and accessible but not a GPIO character device: one problem about the chip, not one
        // "fix the line number" per line.
        write(QStringLiteral("dev/gpiochip0"), "not a chip");
        const QList<RigCheck> lines = doctor().checkLinesFree();
        QCOMPARE(lines.size(), 1);
        const RigCheck &c = lines.constFirst();
        QCOMPARE(c.id, QStringLiteral("lines"));
        checkStatus(c, CheckStatus::Problem);
        QCOMPARE(c.detail,
            QStringLiteral("%1 exists but does not open as a GPIO chip")
                .arg(m_tree->filePath(QStringLiteral("dev/gpiochip0"))));
        QCOMPARE(c.fix,
            QStringLiteral(
                "set \"lines\": {\"chip\": …} in the rig file to a GPIO chip ('gpiodetect' lists them)"));
    }

    void groupsOfTheRealUser()
    {
        // Group membership is the process's own; it cannot be faked in a tree. Both answers are checked.
        const RigCheck c = doctor().checkGroups();
        QCOMPARE(c.id, QStringLiteral("groups"));
        if (::geteuid() == 0) {
            checkStatus(c, CheckStatus::Warning);
            QCOMPARE(c.fix,
                QStringLiteral("run scopesync as your user after 'sudo usermod -aG gpio,video $USER'"));
            return;
        }
        const QStringList mine = myGroups();
        if (mine.isEmpty())
            QSKIP("'id -nG' did not answer: the expected membership is unknown");
        QStringList missing;
        for (const QString &g : {QStringLiteral("gpio"), QStringLiteral("video")})
            if (!mine.contains(g))
                missing << g;
        if (missing.isEmpty()) {
            checkStatus(c, CheckStatus::Ok);
            return;
        }
        checkStatus(c, CheckStatus::Problem);
        QCOMPARE(c.detail, QStringLiteral("not in %1").arg(missing.join(QStringLiteral(", "))));
        QCOMPARE(c.fix,
            QStringLiteral("sudo usermod -aG %1 $USER, then log out and in again").arg(missing.join(u',')));
    }

    void realtime_data()
    {
        QTest::addColumn<QString>("rtprio");
        QTest::addColumn<QString>("capEff");
        QTest::addColumn<int>("uid");
        QTest::addColumn<CheckStatus>("status");
        QTest::addColumn<QString>("detail");

        const QString none = QStringLiteral("0000000000000000");
        const QString sysNice = QStringLiteral("0000000000800000");  // CAP_SYS_NICE alone
        const QString allCaps = QStringLiteral("000001ffffffffff");
        const QString dockerRoot
            = QStringLiteral("00000000a80425fb");  // a container's default: no CAP_SYS_NICE
        QTest::newRow("user, no limit")
            << "0" << none << 1000 << CheckStatus::Problem << "RLIMIT_RTPRIO is 0";
        QTest::newRow("user, 79") << "79" << none << 1000 << CheckStatus::Problem << "RLIMIT_RTPRIO is 79";
        QTest::newRow("user, 80") << "80" << none << 1000 << CheckStatus::Ok << "RLIMIT_RTPRIO 80";
        QTest::newRow("user, limits.d 95") << "95" << none << 1000 << CheckStatus::Ok << "RLIMIT_RTPRIO 95";
        QTest::newRow("user, unlimited")
            << "unlimited" << none << 1000 << CheckStatus::Ok << "RLIMIT_RTPRIO unlimited";
        QTest::newRow("user with CAP_SYS_NICE")
            << "0" << sysNice << 1000 << CheckStatus::Ok << "CAP_SYS_NICE";
        QTest::newRow("root") << "0" << allCaps << 0 << CheckStatus::Ok << "root (CAP_SYS_NICE)";
        QTest::newRow("root in a container without CAP_SYS_NICE")
            << "0" << dockerRoot << 0 << CheckStatus::Problem << "RLIMIT_RTPRIO is 0";
    }

    void realtime()
    {
        QFETCH(QString, rtprio);
        QFETCH(QString, capEff);
        QFETCH(int, uid);
        QFETCH(CheckStatus, status);
        QFETCH(QString, detail);
        writeProcSelf(rtprio, capEff, uid);
        const RigCheck c = doctor().checkRealtime();
        QCOMPARE(c.id, QStringLiteral("realtime"));
        checkStatus(c, status);
        if (status == CheckStatus::Problem) {
            QVERIFY2(c.detail.startsWith(detail + u';'), qPrintable(describe(c)));
            QCOMPARE(c.fix,
                QStringLiteral(
                    "echo '@gpio - rtprio 95' | sudo tee /etc/security/limits.d/scopesync.conf; echo "
                    "'@gpio - memlock unlimited' | sudo tee -a /etc/security/limits.d/scopesync.conf; "
                    "then log in again"));
        } else {
            QCOMPARE(c.detail, detail);
        }
    }

    void versions()
    {
        const RigCheck c = doctor().checkVersions();
        checkStatus(c, CheckStatus::Ok);
        QVERIFY2(
            c.detail.contains(QRegularExpression(QStringLiteral("^libcamera \\S+, libgpiod \\d+\\.\\d+"))),
            qPrintable(c.detail));
    }

    void diskOfARunsFolderNotMadeYet()
    {
        // The first run creates the folder: its disk is measured, not reported as a problem.
        const QString runs = m_tree->filePath(QStringLiteral("not made yet/ScopeSync runs"));
        hal::doctor::DoctorPaths p = paths();
        p.dataDir = runs;
        const RigCheck c = RigDoctor(piRig(), p).checkDisk();
        QCOMPARE(c.id, QStringLiteral("disk"));
        const QStorageInfo disk(root());
        QVERIFY(disk.isValid());
        const double gib = double(disk.bytesAvailable()) / (1024.0 * 1024.0 * 1024.0);
        QVERIFY2(c.detail.endsWith(QStringLiteral(" GiB free at %1").arg(runs)), qPrintable(c.detail));
        const double reported = c.detail.section(u' ', 0, 0).toDouble();
        QVERIFY2(
            qAbs(reported - gib) < 0.2, qPrintable(QStringLiteral("%1 vs %2 GiB").arg(c.detail).arg(gib)));
        if (gib >= 10.0) {
            checkStatus(c, CheckStatus::Ok);
        } else if (gib >= 2.0) {
            checkStatus(c, CheckStatus::Warning);
            QCOMPARE(c.fix, QStringLiteral("free space on %1 before long runs").arg(disk.rootPath()));
        } else {
            checkStatus(c, CheckStatus::Problem);
            QVERIFY2(c.fix.startsWith(QStringLiteral("free space on %1 ").arg(disk.rootPath())),
                qPrintable(c.fix));
        }
    }

    void cameraNotProbedOnAFakeTree()
    {
        const RigCheck c = doctor().checkCamera();
        QCOMPARE(c.id, QStringLiteral("camera"));
        checkStatus(c, CheckStatus::Skipped);
    }

    void cameraAsLibcameraSeesIt()
    {
        // What libcamera sees cannot be faked: the finding must agree with libcamera's own listing.
        hal::doctor::DoctorPaths p = paths();
        p.probeCamera = true;
        const RigCheck c = RigDoctor(piRig(), p).checkCamera();
        const auto cams = hal::libcamera::listCameras();
        const QString overlayFix = QStringLiteral("connect the camera, add 'dtoverlay=imx477' under [all] in "
                                                  "/boot/firmware/config.txt, reboot, then "
                                                  "check with 'rpicam-hello --list-cameras'");
        if (!cams.ok() || cams.value().isEmpty()) {
            checkStatus(c, CheckStatus::Problem);
            QCOMPARE(c.fix, overlayFix);
            if (cams.ok())
                QCOMPARE(c.detail, QStringLiteral("libcamera finds no camera"));
            return;
        }
        bool imx477 = false;
        for (const auto &cam : cams.value())
            imx477 = imx477 || cam.model.compare(QStringLiteral("imx477"), Qt::CaseInsensitive) == 0;
        if (imx477) {
            checkStatus(c, CheckStatus::Ok);
        } else {
            checkStatus(c, CheckStatus::Problem);
            QCOMPARE(c.fix,
                QStringLiteral(
                    "connect the imx477 camera, or set \"sensor\" in the rig file to the camera you have"));
        }
    }

    void thermometerDs18b20Answers()
    {
        RigDescription rig = piRig();
        core::instrument::HeaterDescription h;
        h.kind = QStringLiteral("pwm");
        h.bcm = 13;
        h.sensor.kind = QStringLiteral("ds18b20");
        rig.heater = h;
        auto none = doctor(rig).checkThermometer();
        QVERIFY(none);
        checkStatus(*none, CheckStatus::Problem);
        QVERIFY2(none->fix.contains(QStringLiteral("dtoverlay=w1-gpio")), qPrintable(describe(*none)));

        write(QStringLiteral("sys/bus/w1/devices/28-0123456789ab/temperature"), "57950\n");
        const auto ok = doctor(rig).checkThermometer();
        QVERIFY(ok);
        checkStatus(*ok, CheckStatus::Ok);
        QVERIFY2(ok->detail.contains(QStringLiteral("57.95 °C")), qPrintable(describe(*ok)));

        write(QStringLiteral("sys/bus/w1/devices/28-0123456789ab/temperature"), "85000\n");
        const auto reset = doctor(rig).checkThermometer();
        checkStatus(*reset, CheckStatus::Problem);
    }

    void thermometerNtcNeedsI2c()
    {
        RigDescription rig = piRig();
        core::instrument::HeaterDescription h;
        h.kind = QStringLiteral("pwm");
        h.bcm = 13;
        h.sensor.kind = QStringLiteral("ntc-ads1115");
        rig.heater = h;
        const auto c = doctor(rig).checkThermometer();
        QVERIFY(c);
        checkStatus(*c, CheckStatus::Problem);
        QVERIFY2(c->detail.contains(QStringLiteral("/dev/i2c-1")), qPrintable(describe(*c)));
        QVERIFY2(c->fix.contains(QStringLiteral("dtparam=i2c_arm=on")), qPrintable(describe(*c)));
        // A rig without a heater has nothing to check.
        QVERIFY(!doctor(piRig()).checkThermometer());
    }

    void outputGuardForHeaterAndSteppers()
    {
        QVERIFY(!doctor(piRig()).checkOutputGuard());
        RigDescription rig = piRig();
        core::instrument::FocusDescription f;
        f.kind = QStringLiteral("stepper");
        f.stepper.coilBcm = {24, 25, 26, 27};
        rig.focus = f;
        const auto c = doctor(rig).checkOutputGuard();
        QVERIFY(c);
        // The build tree's guard is found (this test runs from the build tree).
        checkStatus(*c, CheckStatus::Ok);
        QVERIFY(c->detail.endsWith(QStringLiteral("scopesync-output-guard")));
    }

    void runListsEveryCheckInFixingOrder()
    {
        write(QStringLiteral("sys/module/imx477/parameters/trigger_mode"), "0\n");
        write(QString::fromLatin1(kFirmwareCmdline), "console=tty1 root=PARTUUID=1234-02 rootwait\n");
        write(QStringLiteral("proc/cmdline"), "console=tty1 root=PARTUUID=1234-02 rootwait\n");
        writeProcSelf(QStringLiteral("0"), QStringLiteral("0000000000000000"), 1000);
        const QList<RigCheck> checks = doctor().run();
        QStringList ids;
        for (const auto &c : checks)
            ids << c.id;
        QCOMPARE(ids,
            QStringList({"camera", "trigger_mode", "kernel_cmdline", "gpiochip", "lines", "groups",
                "realtime", "versions", "disk", "other_cameras"}));
        for (const auto &c : checks) {
            if (c.status == CheckStatus::Problem)
                QVERIFY2(!c.fix.isEmpty(), qPrintable(describe(c)));
            // A fix names the machine's real files, never the tree the doctor was pointed at.
            QVERIFY2(!c.fix.contains(root()), qPrintable(describe(c)));
        }
        QCOMPARE(checks.at(1).status, CheckStatus::Problem);
        QCOMPARE(checks.at(2).status, CheckStatus::Problem);
        QCOMPARE(checks.at(3).status, CheckStatus::Problem);
        QCOMPARE(checks.at(4).status, CheckStatus::Skipped);
        QCOMPARE(checks.at(6).status, CheckStatus::Problem);
        QCOMPARE(checks.last().status, CheckStatus::Skipped);  // cameras are not probed on a fake tree
    }

    void runOnAWellSetUpTree()
    {
        write(QStringLiteral("sys/module/imx477/parameters/trigger_mode"), "1\n");
        const QByteArray cmdline = "console=tty1 root=PARTUUID=1234-02 rootwait imx477.trigger_mode=1\n";
        write(QString::fromLatin1(kFirmwareCmdline), cmdline);
        write(QStringLiteral("proc/cmdline"), cmdline);
        write(QStringLiteral("dev/gpiochip0"), {});
        writeProcSelf(QStringLiteral("95"), QStringLiteral("0000000000000000"), 1000);
        const QList<RigCheck> checks = doctor().run();
        QCOMPARE(checks.size(), 10);
        for (int i : {1, 2, 3, 6})
            QVERIFY2(checks.at(i).status == CheckStatus::Ok, qPrintable(describe(checks.at(i))));
    }
};

QTEST_GUILESS_MAIN(TestRigDoctor)
#include "test_rig_doctor.moc"
