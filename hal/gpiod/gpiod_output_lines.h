// LED and trigger outputs on real GPIO lines (libgpiod), with hardware PWM for intensity where the pin has
// it.
#pragma once

#include "hal/gpiod/pwm_channel.h"
#include "hal/strobe/line_interfaces.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace scopesync::hal::gpiod {

struct OutputLineSpec {
    QString name;
    int offset = 0;  // line offset on the chip (the BCM number on a Raspberry Pi)
    bool activeLow = false;  // the trigger output: "active" drives the line low
    bool tryPwm = false;  // LEDs: use /sys/class/pwm when the pin has a PWM channel
    // Further lines switched on and off with this one (one LED colour on several pins): on/off only,
    // same polarity, written right after the main line.
    QList<int> gangedOffsets = {};
};

class GpiodOutputLines final : public strobe::OutputLines {
public:
    // Requests every line as an output, inactive. A line that should have PWM but cannot gets on/off
    // and a sentence in notes() saying why and how to enable it.
    static core::Result<std::unique_ptr<GpiodOutputLines>> open(const QString &chip,
        const std::vector<OutputLineSpec> &lines, const QString &consumer = QStringLiteral("scopesync"));
    ~GpiodOutputLines() override;

    GpiodOutputLines(const GpiodOutputLines &) = delete;
    GpiodOutputLines &operator=(const GpiodOutputLines &) = delete;

    [[nodiscard]] int count() const override;
    [[nodiscard]] QString name(int index) const override;
    core::Status set(int index, bool active) override;
    [[nodiscard]] bool isActive(int index) const override;
    bool setIntensity(int index, int perMille) override;

    // One line per output: "red: gpiochip0 line 16, on/off (no hardware PWM on BCM 16)".
    [[nodiscard]] QStringList notes() const { return m_notes; }

private:
    GpiodOutputLines() = default;
    struct Line;
    struct Handles;

    std::unique_ptr<Handles> m_h;
    std::vector<Line> m_lines;
    QString m_chip;
    QStringList m_notes;
};

}  // namespace scopesync::hal::gpiod
