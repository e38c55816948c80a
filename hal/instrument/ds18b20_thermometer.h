// A DS18B20 on 1-wire through the kernel's w1 sysfs files (temperature in millidegrees, or w1_slave
// with its CRC check).
#pragma once

#include "core/instrument/devices.h"

namespace scopesync::hal::instrument {

class Ds18b20Thermometer final : public core::instrument::Thermometer {
public:
    static constexpr const char *kSysfsRoot = "/sys/bus/w1/devices";

    // `device` is "28-…"; empty: the only DS18B20 present (an error when none or several are).
    // The root is a parameter so that tests read a fake tree.
    static core::Result<std::unique_ptr<Ds18b20Thermometer>> open(
        const QString &device, const QString &sysfsRoot = QString::fromLatin1(kSysfsRoot));

    core::Result<core::instrument::TemperatureReading> read() override;
    [[nodiscard]] QString name() const override { return QStringLiteral("DS18B20 %1").arg(m_device); }

    // "t=23125" after "crc=.. YES" → 296.275 K; the w1_slave text format, for tests and read().
    static core::Result<double> parseW1Slave(const QByteArray &text, const QString &path);
    // "23125" (millidegrees Celsius) → 296.275 K; 85000 (the power-on value) and values outside the
    // sensor's −55…125 °C range are nonsense.
    static core::Result<double> parseMillidegrees(const QByteArray &text, const QString &path);

private:
    Ds18b20Thermometer() = default;
    QString m_device;
    QString m_dir;
};

}  // namespace scopesync::hal::instrument
