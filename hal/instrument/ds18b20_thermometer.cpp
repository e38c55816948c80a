// A DS18B20 on 1-wire through the kernel's w1 sysfs files.
#include "hal/instrument/ds18b20_thermometer.h"

#include <QDir>
#include <QFile>

#include <memory>

namespace scopesync::hal::instrument {

namespace {
const QString kFix
    = QStringLiteral("add 'dtoverlay=w1-gpio' (gpiopin=4 by default) to /boot/firmware/config.txt, "
                     "reboot and check the sensor's wiring and its 4.7 kΩ pull-up");

core::Error error(const QString &message)
{
    return core::Error {message, QStringLiteral("DS18B20")};
}
}  // namespace

core::Result<std::unique_ptr<Ds18b20Thermometer>> Ds18b20Thermometer::open(
    const QString &device, const QString &sysfsRoot)
{
    const QDir root(sysfsRoot);
    if (!root.exists())
        return error(
            QStringLiteral("%1 does not exist: the kernel has no 1-wire bus; %2").arg(sysfsRoot, kFix));
    QString name = device;
    if (name.isEmpty()) {
        const QStringList found = root.entryList({QStringLiteral("28-*")}, QDir::Dirs | QDir::System);
        if (found.isEmpty())
            return error(QStringLiteral("no DS18B20 (28-*) under %1; %2").arg(sysfsRoot, kFix));
        if (found.size() > 1)
            return error(
                QStringLiteral("several DS18B20 under %1 (%2); name the slide's sensor in the rig file "
                               "($.heater.sensor.w1_device)")
                    .arg(sysfsRoot, found.join(QStringLiteral(", "))));
        name = found.constFirst();
    } else if (!root.exists(name)) {
        return error(
            QStringLiteral("no 1-wire device %1 under %2 (present: %3); fix $.heater.sensor.w1_device "
                           "or %4")
                .arg(name, sysfsRoot,
                    root.entryList({QStringLiteral("28-*")}, QDir::Dirs | QDir::System)
                        .join(QStringLiteral(", ")),
                    kFix));
    }
    std::unique_ptr<Ds18b20Thermometer> t(new Ds18b20Thermometer);
    t->m_device = name;
    t->m_dir = root.filePath(name);
    return t;
}

core::Result<double> Ds18b20Thermometer::parseMillidegrees(const QByteArray &text, const QString &path)
{
    bool ok = false;
    const qint64 milli = text.trimmed().toLongLong(&ok);
    if (!ok)
        return error(QStringLiteral("%1 reads '%2', not a temperature in millidegrees")
                         .arg(path, QString::fromLatin1(text.trimmed())));
    // 85 °C is the scratchpad's power-on value: the sensor answered without converting.
    if (milli == 85000 || milli < -55000 || milli > 125000)
        return error(QStringLiteral("%1 reads %2 °C, which the sensor reports when it lost power or the bus "
                                    "glitched; check the sensor's wiring")
                         .arg(path)
                         .arg(double(milli) / 1000.0));
    return 273.15 + double(milli) / 1000.0;
}

core::Result<double> Ds18b20Thermometer::parseW1Slave(const QByteArray &text, const QString &path)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    if (lines.size() < 2 || !lines[0].contains("crc="))
        return error(
            QStringLiteral("%1 is not in the w1_slave format (two lines, 'crc=… YES' and 't=…')").arg(path));
    if (!lines[0].trimmed().endsWith("YES"))
        return error(
            QStringLiteral("%1: CRC check failed (the reading was corrupted on the bus); check the wiring "
                           "and the 4.7 kΩ pull-up")
                .arg(path));
    const qsizetype at = lines[1].indexOf("t=");
    if (at < 0)
        return error(QStringLiteral("%1 has no 't=' value").arg(path));
    return parseMillidegrees(lines[1].mid(at + 2), path);
}

core::Result<core::instrument::TemperatureReading> Ds18b20Thermometer::read()
{
    // "temperature" (kernels ≥ 5.x) is already CRC-checked by the driver; w1_slave shows the CRC.
    const QString temperature = m_dir + QStringLiteral("/temperature");
    const QString slave = m_dir + QStringLiteral("/w1_slave");
    const bool useTemperature = QFile::exists(temperature);
    QFile f(useTemperature ? temperature : slave);
    if (!f.open(QIODevice::ReadOnly))
        return error(
            QStringLiteral("cannot read %1 (%2): the sensor stopped answering; check its wiring, or %3")
                .arg(f.fileName(), f.errorString(), kFix));
    const QByteArray text = f.readAll();
    if (text.isEmpty())
        return error(QStringLiteral("%1 gave no data: the sensor did not answer on the bus; check its wiring")
                         .arg(f.fileName()));
    const auto kelvin
        = useTemperature ? parseMillidegrees(text, f.fileName()) : parseW1Slave(text, f.fileName());
    if (!kelvin.ok())
        return kelvin.error();
    return core::instrument::TemperatureReading {*kelvin, core::monotonicNow()};
}

}  // namespace scopesync::hal::instrument
