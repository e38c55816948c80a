// An NTC thermistor read by an ADS1115 ADC on /dev/i2c-N: single-shot conversion on one input, then the
// divider and the β equation.
#pragma once

#include "core/instrument/devices.h"
#include "core/instrument/instrument_description.h"
#include "hal/instrument/ntc_divider.h"

#include <memory>
#include <mutex>

namespace scopesync::hal::instrument {

class Ads1115Thermometer final : public core::instrument::Thermometer {
public:
    // The config word that starts one conversion of AIN`channel` against ground, ±4.096 V, 128 SPS.
    static quint16 singleShotConfig(int channel);
    // Volts of a conversion result (two's complement, 125 µV per count at ±4.096 V).
    static double voltsFromCode(qint16 code);

    static core::Result<std::unique_ptr<Ads1115Thermometer>> open(
        const core::instrument::ThermometerDescription &d);
    ~Ads1115Thermometer() override;
    Ads1115Thermometer(const Ads1115Thermometer &) = delete;
    Ads1115Thermometer &operator=(const Ads1115Thermometer &) = delete;

    core::Result<core::instrument::TemperatureReading> read() override;
    [[nodiscard]] QString name() const override;
    // The last conversion in volts (for the doctor and tests).
    core::Result<double> readVolts();

private:
    explicit Ads1115Thermometer(const core::instrument::ThermometerDescription &d) : m_d(d), m_ntc(d) { }
    core::Error busError(const QString &what) const;

    core::instrument::ThermometerDescription m_d;
    NtcDivider m_ntc;
    std::mutex m_mutex;  // one conversion at a time on the device
    int m_fd = -1;
};

}  // namespace scopesync::hal::instrument
