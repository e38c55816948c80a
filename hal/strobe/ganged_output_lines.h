// GangedOutputLines: one LED colour on several pins (the 454 rig's UV on four), switched together. The
// strobe engine sees one output per colour; each write goes to every pin of that colour, back to back.
#pragma once

#include "hal/strobe/line_interfaces.h"

#include <QStringList>

#include <vector>

namespace scopesync::hal::strobe {

class GangedOutputLines final : public OutputLines {
public:
    // `pins` is borrowed; `gangs[i]` lists the pins (indices into `pins`) of output i, named `names[i]`.
    GangedOutputLines(OutputLines &pins, QStringList names, std::vector<std::vector<int>> gangs);

    [[nodiscard]] int count() const override { return int(m_gangs.size()); }
    [[nodiscard]] QString name(int index) const override { return m_names.value(index); }
    // Writes every pin of the output, even after one fails (a partial "off" must still turn off the rest);
    // the first error is returned.
    core::Status set(int index, bool active) override;
    // Active when any of its pins is: a pin left on is light the rig still gives.
    [[nodiscard]] bool isActive(int index) const override;
    // True only when every pin of the output took the duty; otherwise every pin is left at full light.
    bool setIntensity(int index, int perMille) override;

private:
    OutputLines &m_pins;
    QStringList m_names;
    std::vector<std::vector<int>> m_gangs;
};

}  // namespace scopesync::hal::strobe
