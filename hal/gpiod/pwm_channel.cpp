// A hardware PWM channel in /sys/class/pwm driving an LED pin with an intensity (Raspberry Pi BCM
// 12/13/18/19).
#include "hal/gpiod/pwm_channel.h"

#include <QDir>
#include <QFile>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace scopesync::hal::gpiod {

std::optional<int> PwmChannel::channelForBcm(int bcm)
{
    switch (bcm) {
    case 12:
    case 18: return 0;
    case 13:
    case 19: return 1;
    default: return std::nullopt;
    }
}

namespace {
bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    return f.write(text) == text.size();
}
}  // namespace

core::Result<std::unique_ptr<PwmChannel>> PwmChannel::open(
    int bcm, int channel, std::chrono::nanoseconds period, const QString &sysfsRoot, const QString &chip)
{
    const QString chipDir = sysfsRoot + u'/' + chip;
    const QString overlay = QStringLiteral("dtoverlay=pwm-2chan,pin=%1,func=%2,pin2=%3,func2=%4")
                                .arg(bcm == 12 || bcm == 13 ? 12 : 18)
                                .arg(bcm == 12 || bcm == 13 ? 4 : 2)
                                .arg(bcm == 12 || bcm == 13 ? 13 : 19)
                                .arg(bcm == 12 || bcm == 13 ? 4 : 2);
    if (!QDir(chipDir).exists())
        return core::Error {QStringLiteral("no hardware PWM at %1; add '%2' to /boot/firmware/config.txt and "
                                           "reboot to dim BCM %3")
                                .arg(chipDir, overlay)
                                .arg(bcm),
            QStringLiteral("pwm")};
    std::unique_ptr<PwmChannel> p(new PwmChannel);
    p->m_dir = QStringLiteral("%1/pwm%2").arg(chipDir).arg(channel);
    if (!QDir(p->m_dir).exists()) {
        if (!writeFile(chipDir + QStringLiteral("/export"), QByteArray::number(channel)))
            return core::Error {
                QStringLiteral("cannot export PWM channel %1 of %2 (%3); check the permissions "
                               "of %2/export")
                    .arg(channel)
                    .arg(chipDir, QString::fromLocal8Bit(std::strerror(errno))),
                QStringLiteral("pwm")};
        // udev applies the group permissions shortly after the export.
        for (int i = 0; i < 50 && !QFile::exists(p->m_dir + QStringLiteral("/duty_cycle")); ++i)
            QThread::msleep(10);
    }
    p->m_periodNs = period.count();
    if (!writeFile(p->m_dir + QStringLiteral("/duty_cycle"), "0")
        || !writeFile(p->m_dir + QStringLiteral("/period"), QByteArray::number(p->m_periodNs))
        || !writeFile(p->m_dir + QStringLiteral("/enable"), "1"))
        return core::Error {QStringLiteral("cannot configure %1: %2")
                                .arg(p->m_dir, QString::fromLocal8Bit(std::strerror(errno))),
            QStringLiteral("pwm")};
    p->m_dutyFd
        = ::open((p->m_dir + QStringLiteral("/duty_cycle")).toLocal8Bit().constData(), O_WRONLY | O_CLOEXEC);
    if (p->m_dutyFd < 0)
        return core::Error {QStringLiteral("cannot open %1/duty_cycle: %2")
                                .arg(p->m_dir, QString::fromLocal8Bit(std::strerror(errno))),
            QStringLiteral("pwm")};
    return p;
}

PwmChannel::~PwmChannel()
{
    if (m_dutyFd >= 0) {
        (void)set(false);
        ::close(m_dutyFd);
        writeFile(m_dir + QStringLiteral("/enable"), "0");
    }
}

void PwmChannel::setIntensity(int perMille)
{
    m_perMille = std::clamp(perMille, 0, 1000);
}

core::Status PwmChannel::set(bool on)
{
    auto st = writeDuty(on ? m_periodNs * m_perMille / 1000 : 0);
    if (st.ok())
        m_on = on;
    return st;
}

core::Status PwmChannel::setHighTime(std::chrono::nanoseconds high)
{
    auto st = writeDuty(std::clamp<qint64>(high.count(), 0, m_periodNs));
    if (st.ok())
        m_on = high.count() > 0;
    return st;
}

core::Status PwmChannel::writeDuty(qint64 dutyNs)
{
    char text[32];
    const int n = std::snprintf(text, sizeof text, "%lld", static_cast<long long>(dutyNs));
    if (::pwrite(m_dutyFd, text, static_cast<size_t>(n), 0) != n)
        return core::Error {QStringLiteral("writing %1/duty_cycle failed: %2")
                                .arg(m_dir, QString::fromLocal8Bit(std::strerror(errno))),
            QStringLiteral("pwm")};
    return core::Ok {};
}

}  // namespace scopesync::hal::gpiod
