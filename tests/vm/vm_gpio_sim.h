// The gpio-sim chip the VM's init creates (tests/vm/run_vm_tests.sh, label "scopesync-sim") and its sysfs
// files, for the VM tests that drive real lines.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>

#include <optional>

namespace scopesync::testing {

struct SimChip {
    QString dev;  // "gpiochip0"
    QString sysfs;  // /sys/devices/platform/gpio-sim.0/gpiochip0
};

inline std::optional<SimChip> findSimChip()
{
    const QDir platform(QStringLiteral("/sys/devices/platform"));
    for (const QString &sim : platform.entryList({QStringLiteral("gpio-sim.*")}, QDir::Dirs)) {
        const QDir d(platform.filePath(sim));
        for (const QString &chip : d.entryList({QStringLiteral("gpiochip*")}, QDir::Dirs))
            return SimChip {chip, d.filePath(chip)};
    }
    return std::nullopt;
}

inline bool writeSys(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

inline QByteArray readSys(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
}

}  // namespace scopesync::testing
