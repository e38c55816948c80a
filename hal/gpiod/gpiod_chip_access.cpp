// Opening a GPIO chip and explaining why it failed: missing chip, no permission (naming the group), busy
// line.
#include "hal/gpiod/gpiod_chip_access.h"

#include <QDir>

#include <gpiod.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <grp.h>
#include <sys/stat.h>

namespace scopesync::hal::gpiod {

QString chipDevicePath(const QString &chip)
{
    if (chip.startsWith(u'/'))
        return chip;
    bool numeric = false;
    const int n = chip.toInt(&numeric);
    if (numeric)
        return QStringLiteral("/dev/gpiochip%1").arg(n);
    return QStringLiteral("/dev/") + chip;
}

namespace {
QString groupOf(const QString &path)
{
    struct stat st { };
    if (::stat(path.toLocal8Bit().constData(), &st) != 0)
        return {};
    if (const struct group *g = ::getgrgid(st.st_gid))
        return QString::fromLocal8Bit(g->gr_name);
    return QString::number(st.st_gid);
}
}  // namespace

core::Error chipOpenError(const QString &chip, int errorNumber)
{
    const QString path = chipDevicePath(chip);
    if (errorNumber == EACCES || errorNumber == EPERM) {
        const QString group = groupOf(path);
        // A device left to root:root has no group a user should join: it needs the udev rule first.
        if (group == QLatin1String("root") || group == QLatin1String("0"))
            return core::Error {
                QStringLiteral(
                    "no permission to open %1 (owned by root only); give GPIO devices to group "
                    "gpio with the udev rule the package installs (/lib/udev/rules.d/"
                    "60-scopesync.rules, then 'sudo udevadm trigger'), and add the user to it with "
                    "'sudo usermod -aG gpio $USER' and log in again")
                    .arg(path),
                QStringLiteral("lines.chip")};
        return core::Error {
            QStringLiteral("no permission to open %1 (owned by group '%2'); add the user to it "
                           "with 'sudo usermod -aG %2 $USER' and log in again")
                .arg(path, group),
            QStringLiteral("lines.chip")};
    }
    if (errorNumber == ENOENT || errorNumber == ENODEV || errorNumber == ENOTTY) {
        const QStringList chips
            = QDir(QStringLiteral("/dev")).entryList({QStringLiteral("gpiochip*")}, QDir::System, QDir::Name);
        return core::Error {
            QStringLiteral("GPIO chip '%1' (%2) does not exist; %3")
                .arg(chip, path,
                    chips.isEmpty() ? QStringLiteral("this machine has no GPIO chip (is it a Raspberry Pi?)")
                                    : QStringLiteral("set \"lines\": {\"chip\": …} to one of %1")
                                          .arg(chips.join(QStringLiteral(", ")))),
            QStringLiteral("lines.chip")};
    }
    return core::Error {QStringLiteral("cannot open GPIO chip %1: %2")
                            .arg(path, QString::fromLocal8Bit(std::strerror(errorNumber))),
        QStringLiteral("lines.chip")};
}

core::Error lineRequestError(
    const QString &chip, int offset, const QString &role, int errorNumber, const QString &consumer)
{
    const QString where = QStringLiteral("lines");
    if (errorNumber == EBUSY)
        return core::Error {
            QStringLiteral("GPIO %1 line %2 (%3) is already in use by '%4'; stop that program "
                           "(see 'gpioinfo %1') or choose another line")
                .arg(chip)
                .arg(offset)
                .arg(role, consumer.isEmpty() ? QStringLiteral("another consumer") : consumer),
            where};
    if (errorNumber == EACCES || errorNumber == EPERM)
        return chipOpenError(chip, errorNumber);
    return core::Error {QStringLiteral("cannot request GPIO %1 line %2 (%3): %4")
                            .arg(chip)
                            .arg(offset)
                            .arg(role, QString::fromLocal8Bit(std::strerror(errorNumber))),
        where};
}

core::Result<std::optional<QString>> lineConsumer(const QString &chip, int offset)
{
    const QByteArray path = chipDevicePath(chip).toLocal8Bit();
    errno = 0;
    std::optional<QString> holder;
#if SCOPESYNC_LIBGPIOD_V2
    gpiod_chip *c = gpiod_chip_open(path.constData());
    if (!c)
        return chipOpenError(chip, errno ? errno : ENOENT);
    // v1 knows the line count from opening the chip and says it when the line is missing; so must v2.
    gpiod_chip_info *chipInfo = gpiod_chip_get_info(c);
    if (!chipInfo) {
        const int err = errno;
        gpiod_chip_close(c);
        return chipOpenError(chip, err ? err : ENOTTY);
    }
    const std::size_t n = gpiod_chip_info_get_num_lines(chipInfo);
    gpiod_chip_info_free(chipInfo);
    gpiod_line_info *info
        = offset < 0 || std::size_t(offset) >= n ? nullptr : gpiod_chip_get_line_info(c, unsigned(offset));
    if (!info) {
        gpiod_chip_close(c);
        return core::Error {QStringLiteral("%1 has no line %2 (it has %3)").arg(chip).arg(offset).arg(n),
            QStringLiteral("lines")};
    }
    if (gpiod_line_info_is_used(info)) {
        const char *name = gpiod_line_info_get_consumer(info);
        holder = name && *name ? QString::fromLocal8Bit(name) : QStringLiteral("unnamed");
    }
    gpiod_line_info_free(info);
    gpiod_chip_close(c);
#else
    gpiod_chip *c = gpiod_chip_open_lookup(path.constData());
    if (!c)
        return chipOpenError(chip, errno ? errno : ENOENT);
    gpiod_line *line = gpiod_chip_get_line(c, static_cast<unsigned int>(offset));
    if (!line) {
        const unsigned int n = gpiod_chip_num_lines(c);
        gpiod_chip_close(c);
        return core::Error {QStringLiteral("%1 has no line %2 (it has %3)").arg(chip).arg(offset).arg(n),
            QStringLiteral("lines")};
    }
    if (gpiod_line_is_used(line)) {
        const char *name = gpiod_line_consumer(line);
        holder = name && *name ? QString::fromLocal8Bit(name) : QStringLiteral("unnamed");
    }
    gpiod_chip_close(c);
#endif
    return holder;
}

QString libgpiodVersion()
{
#if SCOPESYNC_LIBGPIOD_V2
    // libgpiod 2.0 renamed gpiod_version_string() to gpiod_api_version().
    return QString::fromLatin1(gpiod_api_version());
#else
    return QString::fromLatin1(gpiod_version_string());
#endif
}

}  // namespace scopesync::hal::gpiod
