// The rig doctor: checks a machine against a rig (camera, trigger_mode, GPIO, groups, real-time, disk);
// changes nothing.
#include "hal/doctor/rig_doctor.h"

#include "hal/gpiod/gpiod_chip_access.h"
#include "hal/gpiod/output_guard.h"
#include "hal/instrument/ads1115_thermometer.h"
#include "hal/instrument/ds18b20_thermometer.h"
#include "hal/instrument/instrument_devices.h"
#include "hal/libcamera/camera_manager_access.h"
#ifdef SCOPESYNC_HAVE_QT_CAMERA
#include "hal/qtcamera/qt_camera.h"
#endif

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStorageInfo>

#include <grp.h>
#include <limits>
#include <sys/resource.h>
#include <unistd.h>

namespace scopesync::hal::doctor {

using core::acquisition::CheckStatus;
using core::acquisition::RigCheck;
using core::acquisition::TriggerMode;

namespace {
QString readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).trimmed();
}

RigCheck make(
    const QString &id, const QString &title, CheckStatus s, const QString &detail, const QString &fix = {})
{
    return RigCheck {id, title, s, detail, fix};
}

constexpr qulonglong kUnlimited = std::numeric_limits<qulonglong>::max();

// The soft "Max realtime priority" of /proc/self/limits: what SCHED_FIFO may ask for without a
// capability. nullopt when the file cannot be read.
std::optional<qulonglong> rtprioFromLimits(const QString &path)
{
    for (const QString &line : readText(path).split(u'\n')) {
        if (!line.startsWith(QLatin1String("Max realtime priority")))
            continue;
        const QStringList words = line.mid(21).split(u' ', Qt::SkipEmptyParts);
        if (words.isEmpty())
            return std::nullopt;
        if (words.constFirst() == QLatin1String("unlimited"))
            return kUnlimited;
        bool ok = false;
        const qulonglong v = words.constFirst().toULongLong(&ok);
        return ok ? std::optional(v) : std::nullopt;
    }
    return std::nullopt;
}

// A field of /proc/self/status ("CapEff", "Uid"): its words, empty when the file or the field is missing.
QStringList statusField(const QString &path, const QString &field)
{
    for (const QString &line : readText(path).split(u'\n'))
        if (line.startsWith(field + u':'))
            return line.mid(field.size() + 1)
                .split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    return {};
}

bool inGroup(const QString &name)
{
    const struct group *g = ::getgrnam(name.toLocal8Bit().constData());
    if (!g)
        return false;
    if (::getegid() == g->gr_gid)
        return true;
    const int n = ::getgroups(0, nullptr);
    std::vector<gid_t> groups(std::size_t(std::max(n, 0)));
    if (n > 0 && ::getgroups(n, groups.data()) == n)
        for (gid_t id : groups)
            if (id == g->gr_gid)
                return true;
    return false;
}
}  // namespace

RigDoctor::RigDoctor(core::acquisition::RigDescription rig, DoctorPaths paths)
    : m_rig(std::move(rig)), m_paths(std::move(paths))
{
    if (m_paths.dataDir.isEmpty())
        m_paths.dataDir = QDir::homePath();
}

std::optional<int> RigDoctor::expectedTriggerMode(const QString &sensor, TriggerMode mode)
{
    // Raspberry Pi kernel drivers: imx477 trigger_mode 1 = the sensor drives XVS, 2 = it waits for XVS;
    // imx296 trigger_mode 1 = external trigger on XTR.
    if (sensor == QLatin1String("imx477")) {
        switch (mode) {
        case TriggerMode::XvsSink: return 1;
        case TriggerMode::XvsSource: return 2;
        case TriggerMode::FreeRun: return 0;
        case TriggerMode::External: return std::nullopt;
        }
    }
    if (sensor == QLatin1String("imx296"))
        return mode == TriggerMode::External ? 1 : 0;
    return std::nullopt;
}

QList<RigCheck> RigDoctor::run() const
{
    QList<RigCheck> out {
        checkCamera(), checkTriggerModeParameter(), checkKernelCommandLine(), checkGpioChip()};
    out << checkLinesFree();
    if (const auto t = checkThermometer())
        out << *t;
    if (const auto g = checkOutputGuard())
        out << *g;
    out << checkGroups() << checkRealtime() << checkVersions() << checkDisk() << checkOtherCameras();
    return out;
}

RigCheck RigDoctor::checkCamera() const
{
    const QString title = QStringLiteral("camera present");
    const QString overlayFix = QStringLiteral("connect the camera, add 'dtoverlay=%1' under [all] in "
                                              "/boot/firmware/config.txt, reboot, then check with "
                                              "'rpicam-hello --list-cameras'")
                                   .arg(m_rig.sensor);
    if (!m_paths.probeCamera)
        return make(QStringLiteral("camera"), title, CheckStatus::Skipped, QStringLiteral("not probed"));
    if (m_rig.camera.isQt())
        return checkQtCamera();
    auto cams = libcamera::listCameras();
    if (!cams.ok())
        return make(QStringLiteral("camera"), title, CheckStatus::Problem, cams.error().message, overlayFix);
    if (cams.value().isEmpty())
        return make(QStringLiteral("camera"), title, CheckStatus::Problem,
            QStringLiteral("libcamera finds no camera"), overlayFix);
    QStringList found;
    bool match = false;
    for (const auto &c : cams.value()) {
        found << QStringLiteral("%1 (%2)").arg(c.model, c.id);
        match = match || c.model.compare(m_rig.sensor, Qt::CaseInsensitive) == 0;
    }
    if (!match)
        return make(QStringLiteral("camera"), title, CheckStatus::Problem,
            QStringLiteral("the rig wants a %1 but libcamera sees %2")
                .arg(m_rig.sensor, found.join(QStringLiteral(", "))),
            QStringLiteral("connect the %1 camera, or set \"sensor\" in the rig file to the camera you have")
                .arg(m_rig.sensor));
    return make(QStringLiteral("camera"), title, CheckStatus::Ok, found.join(QStringLiteral(", ")));
}

// The rig file's "camera": {"backend": "qt", "device": …}: Qt Multimedia must see it, at the rig's size.
RigCheck RigDoctor::checkQtCamera() const
{
    const QString id = QStringLiteral("camera");
    const QString title = QStringLiteral("camera present");
#ifdef SCOPESYNC_HAVE_QT_CAMERA
    const QString want = m_rig.camera.device;
    const QSize size(m_rig.modeWidth, m_rig.modeHeight);
    QStringList seen;
    for (const auto &c : qtcamera::listCameras()) {
        seen << QStringLiteral("\"%1\"").arg(c.description);
        if (c.description != want && c.id != want)
            continue;
        if (!c.sizes.contains(size)) {
            QStringList sizes;
            for (const QSize s : c.sizes)
                sizes << QStringLiteral("%1x%2").arg(s.width()).arg(s.height());
            return make(id, title, CheckStatus::Problem,
                QStringLiteral("Qt Multimedia camera \"%1\" has no %2x%3 format")
                    .arg(want)
                    .arg(size.width())
                    .arg(size.height()),
                QStringLiteral("set \"mode\" in the rig file's \"camera\" to one of %1")
                    .arg(sizes.isEmpty() ? QStringLiteral("(none)") : sizes.join(QStringLiteral(", "))));
        }
        return make(id, title, CheckStatus::Ok,
            QStringLiteral("Qt Multimedia camera \"%1\" offers %2x%3; it free-runs, so LED timing is only "
                           "as good as its frame timestamps")
                .arg(want)
                .arg(size.width())
                .arg(size.height()));
    }
    return make(id, title, CheckStatus::Problem,
        QStringLiteral("Qt Multimedia sees no camera \"%1\"; it sees %2")
            .arg(want, seen.isEmpty() ? QStringLiteral("none") : seen.join(QStringLiteral(", "))),
        QStringLiteral("plug the camera in (and check that this user may open /dev/video*: the 'video' "
                       "group), or set \"device\" in the rig file's \"camera\" to a camera listed here"));
#else
    return make(id, title, CheckStatus::Problem,
        QStringLiteral("the rig names a Qt Multimedia camera, and this build has none"),
        QStringLiteral("install a build with Qt Multimedia (qt6-multimedia-dev), or use a libcamera camera"));
#endif
}

namespace {

#ifdef SCOPESYNC_HAVE_QT_CAMERA
// Qt Multimedia's cameras, each with its largest readable size and the rig-file "camera" object for it.
QList<core::acquisition::CameraOffer> qtCameraOffers()
{
    QList<core::acquisition::CameraOffer> out;
    for (const auto &c : qtcamera::listCameras()) {
        core::acquisition::CameraOffer offer {QStringLiteral("Qt Multimedia"), c.description, {}, {}};
        for (qsizetype i = 0; i < c.sizes.size() && offer.rigFileEntry.isEmpty(); ++i) {
            const double fps = i < c.maxFps.size() ? c.maxFps.at(i) : 0.0;
            if (fps <= 0.0)
                continue;
            const QSize size = c.sizes.at(i);
            const QString mode = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
            offer.detail = QStringLiteral("up to %1 at %2 fps").arg(mode).arg(fps, 0, 'g', 4);
            const QJsonObject camera {{QStringLiteral("backend"), QStringLiteral("qt")},
                {QStringLiteral("device"), c.description}, {QStringLiteral("mode"), mode},
                {QStringLiteral("fps"), fps}};
            offer.rigFileEntry
                = QStringLiteral("\"camera\": %1")
                      .arg(QString::fromUtf8(QJsonDocument(camera).toJson(QJsonDocument::Compact)));
        }
        if (offer.rigFileEntry.isEmpty())
            offer.detail = QStringLiteral("offers no pixel format ScopeSync reads");
        out << offer;
    }
    return out;
}
#endif

}  // namespace

QList<core::acquisition::CameraOffer> camerasOnThisMachine()
{
    QList<core::acquisition::CameraOffer> out;
    if (const auto cams = libcamera::listCameras(); cams.ok()) {
        for (const auto &c : cams.value()) {
            core::acquisition::CameraOffer offer {QStringLiteral("libcamera"), c.model, c.id, {}};
            if (core::timing::SensorCatalog::find(c.model))
                offer.rigFileEntry = QStringLiteral("\"sensor\": \"%1\"").arg(c.model);
            else
                offer.detail = QStringLiteral("%1; its timing is not in ScopeSync's sensor catalog (%2)")
                                   .arg(c.id, core::timing::SensorCatalog::ids().join(QStringLiteral(", ")));
            out << offer;
        }
    }
#ifdef SCOPESYNC_HAVE_QT_CAMERA
    out << qtCameraOffers();
#endif
    return out;
}

RigCheck RigDoctor::checkOtherCameras() const
{
    const QString id = QStringLiteral("other_cameras");
    const QString title = QStringLiteral("other cameras (Qt Multimedia)");
#ifdef SCOPESYNC_HAVE_QT_CAMERA
    if (!m_paths.probeCamera)
        return make(id, title, CheckStatus::Skipped, QStringLiteral("not probed"));
    const auto cams = qtCameraOffers();
    if (cams.isEmpty())
        return make(id, title, CheckStatus::Ok,
            QStringLiteral("none (USB and other V4L2 cameras appear here; reading them needs GStreamer's "
                           "v4l2src, in gstreamer1.0-plugins-good)"));
    QStringList found;
    for (const auto &c : cams)
        found << QStringLiteral("\"%1\" (%2)").arg(c.name, c.detail);
    return make(id, title, CheckStatus::Ok, found.join(QStringLiteral(", ")));
#else
    return make(id, title, CheckStatus::Skipped, QStringLiteral("this build has no Qt Multimedia"));
#endif
}

RigCheck RigDoctor::checkTriggerModeParameter() const
{
    const QString id = QStringLiteral("trigger_mode");
    const QString title = QStringLiteral("sensor driver trigger_mode");
    const auto want = expectedTriggerMode(m_rig.sensor, m_rig.trigger);
    if (!want)
        return make(id, title, CheckStatus::Skipped,
            QStringLiteral("the %1 driver has no trigger_mode for %2")
                .arg(m_rig.sensor, triggerModeName(m_rig.trigger)));
    const QString param
        = QStringLiteral("%1/module/%2/parameters/trigger_mode").arg(m_paths.sys, m_rig.sensor);
    const QString now
        = QStringLiteral("echo %1 | sudo tee /sys/module/%2/parameters/trigger_mode (until the next "
                         "boot; for every boot see the kernel command line check)")
              .arg(*want)
              .arg(m_rig.sensor);
    if (!QFile::exists(param))
        return make(id, title, CheckStatus::Problem,
            QStringLiteral("%1 does not exist: the %2 driver is not loaded").arg(param, m_rig.sensor),
            QStringLiteral("add 'dtoverlay=%1' to /boot/firmware/config.txt and reboot").arg(m_rig.sensor));
    const QString value = readText(param);
    if (value != QString::number(*want))
        return make(id, title, CheckStatus::Problem,
            QStringLiteral("trigger_mode is %1, %2 needs %3")
                .arg(value, triggerModeName(m_rig.trigger))
                .arg(*want),
            now);
    return make(id, title, CheckStatus::Ok, QStringLiteral("trigger_mode=%1").arg(value));
}

QString RigDoctor::cmdlineTxt() const
{
    const QString firmware = m_paths.boot + QStringLiteral("/firmware/cmdline.txt");
    return QFile::exists(firmware) ? firmware : m_paths.boot + QStringLiteral("/cmdline.txt");
}

RigCheck RigDoctor::checkKernelCommandLine() const
{
    const QString id = QStringLiteral("kernel_cmdline");
    const QString title = QStringLiteral("trigger_mode on the kernel command line");
    const auto want = expectedTriggerMode(m_rig.sensor, m_rig.trigger);
    if (!want)
        return make(
            id, title, CheckStatus::Skipped, QStringLiteral("nothing to set for this sensor and trigger"));
    const QString entry = QStringLiteral("%1.trigger_mode=%2").arg(m_rig.sensor).arg(*want);
    const QString file = cmdlineTxt();
    // The file as the user edits it: under /boot, also when the doctor reads a copy (tests).
    const QString shown = file.mid(m_paths.boot.size()).prepend(QStringLiteral("/boot"));
    const QString fix
        = QStringLiteral("append ' %1' to the single line of %2 (sudo nano %2) and reboot").arg(entry, shown);
    const QStringList running
        = readText(m_paths.proc + QStringLiteral("/cmdline")).split(u' ', Qt::SkipEmptyParts);
    const QStringList configured = readText(file).split(u' ', Qt::SkipEmptyParts);
    const QString prefix = m_rig.sensor + QStringLiteral(".trigger_mode=");
    const auto current = [&](const QStringList &words) {
        QString v;
        for (const QString &w : words)
            if (w.startsWith(prefix))
                v = w;
        return v;
    };
    const QString inRunning = current(running);
    const QString inFile = current(configured);
    if (inFile == entry && inRunning == entry)
        return make(id, title, CheckStatus::Ok, entry);
    if (inFile == entry)
        return make(id, title, CheckStatus::Warning,
            QStringLiteral("%1 has '%2' but the running kernel was booted without it").arg(file, entry),
            QStringLiteral("sudo reboot"));
    return make(id, title, CheckStatus::Problem,
        QStringLiteral("%1 has %2")
            .arg(file,
                inFile.isEmpty() ? QStringLiteral("no %1 entry").arg(prefix)
                                 : QStringLiteral("'%1'").arg(inFile)),
        inFile.isEmpty()
            ? fix
            : QStringLiteral("replace '%1' with '%2' in %3 and reboot").arg(inFile, entry, shown));
}

QString RigDoctor::chipPath() const
{
    // Mirrors gpiod::chipDevicePath ("0" and "gpiochip0" are both /dev/gpiochip0) with the doctor's /dev.
    const QString &chip = m_rig.gpioChip;
    if (chip.startsWith(u'/'))
        return chip;
    bool numeric = false;
    const int n = chip.toInt(&numeric);
    return m_paths.dev + u'/' + (numeric ? QStringLiteral("gpiochip%1").arg(n) : chip);
}

RigCheck RigDoctor::checkGpioChip() const
{
    const QString id = QStringLiteral("gpiochip");
    const QString title = QStringLiteral("GPIO chip accessible");
    const QString path = chipPath();
    if (!QFile::exists(path)) {
        // Device nodes are System entries; Files as well so that a test's tree of plain files counts.
        const QStringList chips
            = QDir(m_paths.dev)
                  .entryList({QStringLiteral("gpiochip*")}, QDir::System | QDir::Files, QDir::Name);
        return make(id, title, CheckStatus::Problem, QStringLiteral("%1 does not exist").arg(path),
            chips.isEmpty()
                ? QStringLiteral("run on a Raspberry Pi (no GPIO chip on this machine)")
                : QStringLiteral("set \"lines\": {\"chip\": \"%1\"} in the rig file (this machine has %2; "
                                 "'gpiodetect' names them)")
                      .arg(chips.constFirst(), chips.join(QStringLiteral(", "))));
    }
    if (::access(path.toLocal8Bit().constData(), R_OK | W_OK) != 0) {
        const core::Error e = gpiod::chipOpenError(path, errno);
        return make(id, title, CheckStatus::Problem, e.message.section(u';', 0, 0),
            e.message.section(u';', 1).trimmed());
    }
    return make(id, title, CheckStatus::Ok, path);
}

QList<RigCheck> RigDoctor::checkLinesFree() const
{
    QList<RigCheck> out;
    QList<QPair<QString, int>> lines {
        {m_rig.trigger == TriggerMode::XvsSink ? QStringLiteral("xvs") : QStringLiteral("trigger"),
            m_rig.xvsLine}};
    if (m_rig.trigger == TriggerMode::FreeRun)
        lines.clear();
    for (auto it = m_rig.leds.cbegin(); it != m_rig.leds.cend(); ++it)
        lines.append({it.key(), it->bcm});
    // The instrument's lines, each with the rig file member that sets it.
    QMap<QString, QString> keys;
    const auto add = [&](const QString &name, int offset, const QString &key) {
        if (offset < 0)
            return;
        lines.append({name, offset});
        keys.insert(name, key);
    };
    for (auto it = m_rig.leds.cbegin(); it != m_rig.leds.cend(); ++it)
        for (int i = 0; i < it->gangedBcm.size(); ++i)
            add(QStringLiteral("%1 ganged %2").arg(it.key()).arg(i + 1), it->gangedBcm[i],
                QStringLiteral("$.lines.leds.%1.ganged[%2]").arg(it.key()).arg(i));
    const auto addStepper = [&](const QString &role, const core::instrument::StepperDescription &st) {
        for (int i = 0; i < st.coilBcm.size(); ++i)
            add(QStringLiteral("%1 coil %2").arg(role).arg(i + 1), st.coilBcm[i],
                QStringLiteral("$.%1.stepper.coils[%2]").arg(role).arg(i));
        add(QStringLiteral("%1 enable").arg(role), st.enableBcm,
            QStringLiteral("$.%1.stepper.enable").arg(role));
    };
    if (m_rig.filterWheel && m_rig.filterWheel->kind == QLatin1String("stepper"))
        addStepper(QStringLiteral("filter_wheel"), m_rig.filterWheel->stepper);
    if (m_rig.filterWheel && m_rig.filterWheel->kind == QLatin1String("servo"))
        add(QStringLiteral("filter wheel servo"), m_rig.filterWheel->servoBcm,
            QStringLiteral("$.filter_wheel.servo_bcm"));
    if (m_rig.focus && m_rig.focus->kind == QLatin1String("stepper"))
        addStepper(QStringLiteral("focus"), m_rig.focus->stepper);
    if (m_rig.heater && m_rig.heater->kind == QLatin1String("pwm"))
        add(QStringLiteral("heater"), m_rig.heater->bcm, QStringLiteral("$.heater.bcm"));
    QStringList free;
    const QString path = chipPath();
    if (!QFile::exists(path) || ::access(path.toLocal8Bit().constData(), R_OK | W_OK) != 0)
        return {make(QStringLiteral("lines"), QStringLiteral("GPIO lines free"), CheckStatus::Skipped,
            QStringLiteral("the GPIO chip is not accessible (see above)"))};
    for (const auto &[name, offset] : lines) {
        auto holder = gpiod::lineConsumer(path, offset);
        if (!holder.ok() && holder.error().where == QLatin1String("lines.chip"))
            // The node exists and is accessible (checked above) but is no GPIO chip: one finding, not one
            // per line; gpiod's message would say the chip does not exist.
            return {make(QStringLiteral("lines"), QStringLiteral("GPIO lines free"), CheckStatus::Problem,
                QStringLiteral("%1 exists but does not open as a GPIO chip").arg(path),
                QStringLiteral("set \"lines\": {\"chip\": …} in the rig file to a GPIO chip "
                               "('gpiodetect' lists them)"))};
        // Where the line is set in the rig file: "xvs" for the trigger, "leds" → name for an LED.
        const QString key = keys.contains(name) ? keys.value(name)
            : m_rig.leds.contains(name) ? QStringLiteral("\"lines\": {\"leds\": {\"%1\": …}}").arg(name)
                                        : QStringLiteral("\"lines\": {\"xvs\": …}");
        if (!holder.ok())
            out << make(QStringLiteral("line_%1").arg(QString(name).replace(u' ', u'_')),
                QStringLiteral("GPIO line for %1").arg(name), CheckStatus::Problem, holder.error().message,
                QStringLiteral("set %1 in the rig file to a line %2 has ('gpioinfo %2' lists them)")
                    .arg(key, m_rig.gpioChip));
        else if (holder.value())
            out << make(QStringLiteral("line_%1").arg(QString(name).replace(u' ', u'_')),
                QStringLiteral("GPIO line for %1").arg(name), CheckStatus::Problem,
                QStringLiteral("line %1 is held by '%2'").arg(offset).arg(*holder.value()),
                QStringLiteral("stop the program holding it ('gpioinfo %1' shows it; a dtoverlay in "
                               "/boot/firmware/config.txt may claim it) or set %2 in the rig file to a free "
                               "line")
                    .arg(m_rig.gpioChip, key));
        else
            free << QStringLiteral("%1=%2").arg(name).arg(offset);
    }
    if (!free.isEmpty())
        out << make(QStringLiteral("lines"), QStringLiteral("GPIO lines free"), CheckStatus::Ok,
            free.join(QStringLiteral(", ")));
    return out;
}

RigCheck RigDoctor::checkGroups() const
{
    const QString id = QStringLiteral("groups");
    const QString title = QStringLiteral("user in the gpio and video groups");
    if (::geteuid() == 0)
        return make(id, title, CheckStatus::Warning,
            QStringLiteral("running as root; a normal user needs both groups"),
            QStringLiteral("run scopesync as your user after 'sudo usermod -aG gpio,video $USER'"));
    QStringList missing;
    for (const QString &g : {QStringLiteral("gpio"), QStringLiteral("video")})
        if (!inGroup(g))
            missing << g;
    if (!missing.isEmpty())
        return make(id, title, CheckStatus::Problem,
            QStringLiteral("not in %1").arg(missing.join(QStringLiteral(", "))),
            QStringLiteral("sudo usermod -aG %1 $USER, then log out and in again").arg(missing.join(u',')));
    return make(id, title, CheckStatus::Ok, QStringLiteral("gpio, video"));
}

RigCheck RigDoctor::checkRealtime() const
{
    const QString id = QStringLiteral("realtime");
    const QString title = QStringLiteral("real-time scheduling allowed");
    // Read from /proc rather than asked of the kernel so that tests can fake them; the process's own
    // files, because the strobe thread is started by this process. Without /proc: the same, asked.
    const QString status = m_paths.proc + QStringLiteral("/self/status");
    std::optional<qulonglong> rtprio = rtprioFromLimits(m_paths.proc + QStringLiteral("/self/limits"));
    if (!rtprio) {
        rlimit rl {};
        rtprio = ::getrlimit(RLIMIT_RTPRIO, &rl) != 0 ? 0
            : rl.rlim_cur == RLIM_INFINITY            ? kUnlimited
                                                      : qulonglong(rl.rlim_cur);
    }
    // CAP_SYS_NICE (bit 23) allows SCHED_FIFO whatever the limit. Root usually has it, but not root in a
    // container started without it: being uid 0 is not enough.
    constexpr qulonglong kCapSysNice = 1ULL << 23;
    const QStringList capEff = statusField(status, QStringLiteral("CapEff"));
    bool capOk = false;
    const qulonglong caps = capEff.value(0).toULongLong(&capOk, 16);
    const bool sysNice = capOk ? (caps & kCapSysNice) != 0 : ::geteuid() == 0;
    const QStringList uid = statusField(status, QStringLiteral("Uid"));
    const bool root = uid.size() >= 2 ? uid.at(1) == QLatin1String("0") : ::geteuid() == 0;
    const QString limit = *rtprio == kUnlimited ? QStringLiteral("unlimited") : QString::number(*rtprio);
    if (sysNice)
        return make(id, title, CheckStatus::Ok,
            root ? QStringLiteral("root (CAP_SYS_NICE)") : QStringLiteral("CAP_SYS_NICE"));
    if (*rtprio >= 80)
        return make(id, title, CheckStatus::Ok, QStringLiteral("RLIMIT_RTPRIO %1").arg(limit));
    return make(id, title, CheckStatus::Problem,
        QStringLiteral(
            "RLIMIT_RTPRIO is %1; the strobe thread asks for SCHED_FIFO 80 and falls back to normal "
            "scheduling (LED edges jitter by milliseconds)")
            .arg(limit),
        QStringLiteral(
            "echo '@gpio - rtprio 95' | sudo tee /etc/security/limits.d/scopesync.conf; echo '@gpio - "
            "memlock unlimited' | sudo tee -a /etc/security/limits.d/scopesync.conf; then log in again"));
}

RigCheck RigDoctor::checkVersions() const
{
    return make(QStringLiteral("versions"), QStringLiteral("library versions"), CheckStatus::Ok,
        QStringLiteral("libcamera %1, libgpiod %2")
            .arg(libcamera::libcameraVersion(), gpiod::libgpiodVersion()));
}

RigCheck RigDoctor::checkDisk() const
{
    // A runs folder not made yet is created by the first run: measure the disk it will be on.
    QString existing = QFileInfo(m_paths.dataDir).absoluteFilePath();
    while (!QFileInfo::exists(existing) && QFileInfo(existing).absolutePath() != existing)
        existing = QFileInfo(existing).absolutePath();
    const QStorageInfo s(existing);
    const double gib = double(s.bytesAvailable()) / (1024.0 * 1024.0 * 1024.0);
    const QString detail = QStringLiteral("%1 GiB free at %2").arg(gib, 0, 'f', 1).arg(m_paths.dataDir);
    if (!s.isValid() || gib < 2.0)
        return make(QStringLiteral("disk"), QStringLiteral("free disk space"), CheckStatus::Problem, detail,
            QStringLiteral(
                "free space on %1 (a 12 MP raw image is 24 MB; 100 images need 2.4 GB) or save runs "
                "to another disk")
                .arg(s.rootPath()));
    return make(QStringLiteral("disk"), QStringLiteral("free disk space"),
        gib < 10.0 ? CheckStatus::Warning : CheckStatus::Ok, detail,
        gib < 10.0 ? QStringLiteral("free space on %1 before long runs").arg(s.rootPath()) : QString());
}

std::optional<RigCheck> RigDoctor::checkThermometer() const
{
    if (!m_rig.heater || m_rig.heater->kind != QLatin1String("pwm"))
        return std::nullopt;
    const auto &sensor = m_rig.heater->sensor;
    const QString id = QStringLiteral("thermometer");
    if (sensor.kind == QLatin1String("ds18b20")) {
        const QString title = QStringLiteral("1-wire enabled and the DS18B20 answers");
        auto t = instrument::Ds18b20Thermometer::open(
            sensor.w1Device, m_paths.sys + QStringLiteral("/bus/w1/devices"));
        if (!t.ok())
            return make(id, title, CheckStatus::Problem, t.error().message.section(u';', 0, 0),
                t.error().message.section(u';', 1).trimmed());
        const auto r = (*t)->read();
        if (!r.ok())
            return make(id, title, CheckStatus::Problem, r.error().message.section(u';', 0, 0),
                r.error().message.section(u';', 1).trimmed());
        return make(id, title, CheckStatus::Ok,
            QStringLiteral("%1 reads %2 °C").arg((*t)->name()).arg(r->kelvin - 273.15, 0, 'f', 2));
    }
    if (sensor.kind == QLatin1String("ntc-ads1115")) {
        const QString title = QStringLiteral("I²C enabled and the ADS1115 answers");
        core::instrument::ThermometerDescription d = sensor;
        // The device node as the doctor's /dev sees it (a test's fake tree).
        if (d.i2cDevice.startsWith(QLatin1String("/dev/")))
            d.i2cDevice = m_paths.dev + d.i2cDevice.mid(4);
        if (!QFile::exists(d.i2cDevice))
            return make(id, title, CheckStatus::Problem,
                QStringLiteral("%1 does not exist: I²C is off").arg(sensor.i2cDevice),
                QStringLiteral("add 'dtparam=i2c_arm=on' to /boot/firmware/config.txt (or raspi-config → "
                               "Interface Options → I2C) and reboot"));
        auto t = instrument::Ads1115Thermometer::open(d);
        if (!t.ok())
            return make(id, title, CheckStatus::Problem, t.error().message.section(u';', 0, 0),
                t.error().message.section(u';', 1).trimmed());
        const auto r = (*t)->read();
        if (!r.ok())
            return make(id, title, CheckStatus::Problem, r.error().message.section(u';', 0, 0),
                r.error().message.section(u';', 1).trimmed());
        return make(id, title, CheckStatus::Ok,
            QStringLiteral("%1 reads %2 °C").arg((*t)->name()).arg(r->kelvin - 273.15, 0, 'f', 2));
    }
    return make(id, QStringLiteral("heater sensor"), CheckStatus::Problem,
        QStringLiteral("sensor kind '%1' cannot be read on this rig").arg(sensor.kind),
        QStringLiteral("set $.heater.sensor.kind to \"ds18b20\" or \"ntc-ads1115\""));
}

std::optional<RigCheck> RigDoctor::checkOutputGuard() const
{
    if (instrument::InstrumentDevices::guardedLines(m_rig).isEmpty())
        return std::nullopt;
    const QString id = QStringLiteral("output_guard");
    const QString title = QStringLiteral("heater and coils turned off if scopesync is killed");
    const QString helper = gpiod::OutputGuard::helperPath();
    if (helper.isEmpty())
        return make(id, title, CheckStatus::Problem,
            QStringLiteral(
                "scopesync-output-guard is not installed: a killed scopesync would leave the heater "
                "as it was"),
            QStringLiteral("reinstall the scopesync package"));
    return make(id, title, CheckStatus::Ok, helper);
}

}  // namespace scopesync::hal::doctor
