// The instrument's devices of a Raspberry Pi rig (filter wheel, focus, heater and its thermometer),
// opened from the rig description, with the output guard that turns heater and coils off if the
// process dies.
#pragma once

#include "core/acquisition/rig_description.h"
#include "core/instrument/devices.h"
#include "hal/gpiod/output_guard.h"

#include <QList>
#include <QStringList>

#include <memory>

namespace scopesync::hal::instrument {

class InstrumentDevices {
public:
    // Every line a dead process could leave driving something: the heater, the steppers' coils and
    // enable lines. The guard and `scopesync outputs-off` drive these low.
    static QList<int> guardedLines(const core::acquisition::RigDescription &rig);

    // Opens what the rig describes (nothing is moved: a stepper homes on its first move). The guard
    // starts first, so that no output is ever driven without it.
    static core::Result<std::unique_ptr<InstrumentDevices>> open(
        const core::acquisition::RigDescription &rig);
    ~InstrumentDevices();
    InstrumentDevices(const InstrumentDevices &) = delete;
    InstrumentDevices &operator=(const InstrumentDevices &) = delete;

    [[nodiscard]] core::instrument::FilterChanger *filterChanger() const { return m_wheel.get(); }
    [[nodiscard]] core::instrument::FocusDrive *focusDrive() const { return m_focus.get(); }
    [[nodiscard]] core::instrument::Thermometer *thermometer() const { return m_thermometer.get(); }
    [[nodiscard]] core::instrument::Heater *heater() const { return m_heater.get(); }
    // What was chosen (hardware or software PWM, which sensor) and why.
    [[nodiscard]] QStringList notes() const { return m_notes; }

private:
    InstrumentDevices() = default;

    std::unique_ptr<gpiod::OutputGuard> m_guard;  // first: destroyed last, after every line is released
    std::unique_ptr<core::instrument::FilterChanger> m_wheel;
    std::unique_ptr<core::instrument::FocusDrive> m_focus;
    std::unique_ptr<core::instrument::Thermometer> m_thermometer;
    std::unique_ptr<core::instrument::Heater> m_heater;
    QStringList m_notes;
};

}  // namespace scopesync::hal::instrument
