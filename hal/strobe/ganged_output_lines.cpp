// GangedOutputLines: one LED colour on several pins, switched together.
#include "hal/strobe/ganged_output_lines.h"

namespace scopesync::hal::strobe {

GangedOutputLines::GangedOutputLines(
    OutputLines &pins, QStringList names, std::vector<std::vector<int>> gangs)
    : m_pins(pins), m_names(std::move(names)), m_gangs(std::move(gangs))
{
}

core::Status GangedOutputLines::set(int index, bool active)
{
    if (index < 0 || index >= count())
        return core::Error {QStringLiteral("no output line %1").arg(index), QStringLiteral("lines")};
    core::Status first = core::Ok {};
    for (int pin : m_gangs[std::size_t(index)]) {
        auto st = m_pins.set(pin, active);
        if (!st.ok() && first.ok())
            first = st;
    }
    return first;
}

bool GangedOutputLines::isActive(int index) const
{
    if (index < 0 || index >= count())
        return false;
    for (int pin : m_gangs[std::size_t(index)])
        if (m_pins.isActive(pin))
            return true;
    return false;
}

bool GangedOutputLines::setIntensity(int index, int perMille)
{
    if (index < 0 || index >= count())
        return false;
    bool all = true;
    for (int pin : m_gangs[std::size_t(index)])
        all = m_pins.setIntensity(pin, perMille) && all;
    if (!all) {
        // A pin without PWM gives full light: the others must too, or the colour's pins would disagree.
        for (int pin : m_gangs[std::size_t(index)])
            (void)m_pins.setIntensity(pin, 1000);
    }
    return all;
}

}  // namespace scopesync::hal::strobe
