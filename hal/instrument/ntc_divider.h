// An NTC thermistor in a resistor divider: volts at the ADC → resistance → kelvin by the β equation.
#pragma once

#include "core/common/result.h"
#include "core/instrument/instrument_description.h"

namespace scopesync::hal::instrument {

class NtcDivider {
public:
    explicit NtcDivider(const core::instrument::ThermometerDescription &d);

    // The thermistor's resistance from the divider's output; an error at the rails (open or short).
    [[nodiscard]] core::Result<double> resistanceOhm(double volts) const;
    // 1/T = 1/T25 + ln(R/R25)/β, T25 = 298.15 K.
    [[nodiscard]] double kelvinFromResistance(double ohm) const;
    [[nodiscard]] core::Result<double> kelvinFromVolts(double volts) const;
    // The inverse, for tests and set-up: the volts the divider gives at `kelvin`.
    [[nodiscard]] double voltsAt(double kelvin) const;

private:
    double m_beta;
    double m_r25;
    double m_series;
    double m_supply;
    bool m_toGround;
};

}  // namespace scopesync::hal::instrument
