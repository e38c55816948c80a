// An NTC thermistor in a resistor divider, converted by the β equation.
#include "hal/instrument/ntc_divider.h"

#include <cmath>

namespace scopesync::hal::instrument {

namespace {
constexpr double kT25 = 298.15;
}

NtcDivider::NtcDivider(const core::instrument::ThermometerDescription &d)
    : m_beta(d.ntcBetaKelvin),
      m_r25(d.ntcR25Ohm),
      m_series(d.seriesOhm),
      m_supply(d.supplyVolts),
      m_toGround(d.ntcToGround)
{
}

core::Result<double> NtcDivider::resistanceOhm(double volts) const
{
    // Within 1 % of a rail the divider has no information left: a broken or shorted thermistor.
    const double margin = 0.01 * m_supply;
    if (!(volts > margin && volts < m_supply - margin))
        return core::Error {
            QStringLiteral("the thermistor divider reads %1 V of %2 V, at a rail: the NTC or its "
                           "series resistor is open or shorted; check the wiring")
                .arg(volts, 0, 'f', 3)
                .arg(m_supply, 0, 'f', 2),
            QStringLiteral("NTC")};
    // NTC to ground: V = Vs·R/(R+Rs). NTC to the supply: V = Vs·Rs/(R+Rs).
    return m_toGround ? m_series * volts / (m_supply - volts) : m_series * (m_supply - volts) / volts;
}

double NtcDivider::kelvinFromResistance(double ohm) const
{
    return 1.0 / (1.0 / kT25 + std::log(ohm / m_r25) / m_beta);
}

core::Result<double> NtcDivider::kelvinFromVolts(double volts) const
{
    const auto r = resistanceOhm(volts);
    if (!r.ok())
        return r.error();
    return kelvinFromResistance(*r);
}

double NtcDivider::voltsAt(double kelvin) const
{
    const double r = m_r25 * std::exp(m_beta * (1.0 / kelvin - 1.0 / kT25));
    return m_toGround ? m_supply * r / (r + m_series) : m_supply * m_series / (r + m_series);
}

}  // namespace scopesync::hal::instrument
