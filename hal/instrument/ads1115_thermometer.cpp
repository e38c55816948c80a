// An NTC thermistor read by an ADS1115 ADC on /dev/i2c-N.
#include "hal/instrument/ads1115_thermometer.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <sys/ioctl.h>
#include <thread>
#include <unistd.h>

namespace scopesync::hal::instrument {

namespace {
constexpr quint8 kConversionRegister = 0x00;
constexpr quint8 kConfigRegister = 0x01;
constexpr quint16 kOsBit = 0x8000;  // write: start a conversion; read: 1 = idle (conversion done)

// SMBus words are little-endian on the wire; the ADS1115 sends its registers most significant byte first.
quint16 swap(quint16 v)
{
    return quint16((v >> 8) | (v << 8));
}

int smbusWord(int fd, char readWrite, quint8 reg, quint16 *value)
{
    i2c_smbus_data data {};
    if (readWrite == I2C_SMBUS_WRITE)
        data.word = *value;
    i2c_smbus_ioctl_data args {};
    args.read_write = readWrite;
    args.command = reg;
    args.size = I2C_SMBUS_WORD_DATA;
    args.data = &data;
    const int rc = ::ioctl(fd, I2C_SMBUS, &args);
    if (rc == 0 && readWrite == I2C_SMBUS_READ)
        *value = data.word;
    return rc;
}
}  // namespace

quint16 Ads1115Thermometer::singleShotConfig(int channel)
{
    // OS=1 start; MUX=1xx AINx vs GND; PGA=001 ±4.096 V; MODE=1 single shot; DR=100 128 SPS; COMP_QUE=11 off.
    return quint16(kOsBit | ((4 + (channel & 3)) << 12) | (1 << 9) | (1 << 8) | (4 << 5) | 3);
}

double Ads1115Thermometer::voltsFromCode(qint16 code)
{
    return double(code) * 4.096 / 32768.0;
}

core::Result<std::unique_ptr<Ads1115Thermometer>> Ads1115Thermometer::open(
    const core::instrument::ThermometerDescription &d)
{
    std::unique_ptr<Ads1115Thermometer> t(new Ads1115Thermometer(d));
    t->m_fd = ::open(d.i2cDevice.toLocal8Bit().constData(), O_RDWR | O_CLOEXEC);
    if (t->m_fd < 0) {
        const int err = errno;
        if (err == ENOENT)
            return core::Error {QStringLiteral("%1 does not exist: I²C is off; add 'dtparam=i2c_arm=on' to "
                                               "/boot/firmware/config.txt (or run raspi-config → Interface "
                                               "Options → I2C) and reboot")
                                    .arg(d.i2cDevice),
                QStringLiteral("ADS1115")};
        if (err == EACCES)
            return core::Error {QStringLiteral("no permission to open %1; add the user to the i2c group "
                                               "(sudo adduser $USER i2c) and log in again")
                                    .arg(d.i2cDevice),
                QStringLiteral("ADS1115")};
        return core::Error {
            QStringLiteral("cannot open %1: %2").arg(d.i2cDevice, QString::fromLocal8Bit(std::strerror(err))),
            QStringLiteral("ADS1115")};
    }
    if (::ioctl(t->m_fd, I2C_SLAVE, long(d.i2cAddress)) != 0)
        return t->busError(QStringLiteral("selecting the address"));
    return t;
}

Ads1115Thermometer::~Ads1115Thermometer()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QString Ads1115Thermometer::name() const
{
    return QStringLiteral("NTC via ADS1115 %1 0x%2 AIN%3")
        .arg(m_d.i2cDevice)
        .arg(m_d.i2cAddress, 2, 16, QLatin1Char('0'))
        .arg(m_d.adcChannel);
}

core::Error Ads1115Thermometer::busError(const QString &what) const
{
    return core::Error {
        QStringLiteral("%1 at address 0x%2 on %3 failed (%4): the ADS1115 does not answer; check "
                       "its wiring and address (ADDR pin; i2cdetect -y 1 lists what answers)")
            .arg(what)
            .arg(m_d.i2cAddress, 2, 16, QLatin1Char('0'))
            .arg(m_d.i2cDevice, QString::fromLocal8Bit(std::strerror(errno))),
        QStringLiteral("ADS1115")};
}

core::Result<double> Ads1115Thermometer::readVolts()
{
    const std::lock_guard lock(m_mutex);
    quint16 config = swap(singleShotConfig(m_d.adcChannel));
    if (smbusWord(m_fd, I2C_SMBUS_WRITE, kConfigRegister, &config) != 0)
        return busError(QStringLiteral("starting a conversion"));
    // 128 SPS: one conversion takes 7.8 ms; poll the OS bit rather than trust the data rate.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    while (true) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        quint16 status = 0;
        if (smbusWord(m_fd, I2C_SMBUS_READ, kConfigRegister, &status) != 0)
            return busError(QStringLiteral("reading the status"));
        if (swap(status) & kOsBit)
            break;
        if (std::chrono::steady_clock::now() > deadline)
            return core::Error {
                QStringLiteral("the ADS1115 at 0x%1 on %2 did not finish a conversion in 100 ms; "
                               "check its supply")
                    .arg(m_d.i2cAddress, 2, 16, QLatin1Char('0'))
                    .arg(m_d.i2cDevice),
                QStringLiteral("ADS1115")};
    }
    quint16 raw = 0;
    if (smbusWord(m_fd, I2C_SMBUS_READ, kConversionRegister, &raw) != 0)
        return busError(QStringLiteral("reading the conversion"));
    return voltsFromCode(qint16(swap(raw)));
}

core::Result<core::instrument::TemperatureReading> Ads1115Thermometer::read()
{
    const auto volts = readVolts();
    if (!volts.ok())
        return volts.error();
    const auto kelvin = m_ntc.kelvinFromVolts(*volts);
    if (!kelvin.ok())
        return core::Error {
            QStringLiteral("%1: %2").arg(name(), kelvin.error().message), QStringLiteral("ADS1115")};
    return core::instrument::TemperatureReading {*kelvin, core::monotonicNow()};
}

}  // namespace scopesync::hal::instrument
