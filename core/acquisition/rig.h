// Rig: the port that bundles a rig's description, its camera and its strobe controller.
#pragma once

#include "core/acquisition/ports.h"
#include "core/acquisition/rig_description.h"
#include "core/instrument/devices.h"

namespace scopesync::core::acquisition {

class Rig {
public:
    virtual ~Rig() = default;
    [[nodiscard]] virtual const RigDescription &description() const = 0;
    virtual Camera &camera() = 0;
    virtual StrobeController &strobe() = 0;
    // One line for logs and the status strip: "simulated rig: imx477 4056x3040, xvs-sink".
    [[nodiscard]] virtual QString summary() const = 0;
    // The camera's frame period: exposure plus blanking, or 1 / max fps.
    [[nodiscard]] virtual std::chrono::nanoseconds framePeriod() const = 0;
    // What the backends chose or could not do (a control the camera ignores, PWM or on/off per LED); a
    // run lists these with its notes.
    [[nodiscard]] virtual QStringList notes() const { return {}; }

    // The devices beyond camera and LEDs, borrowed from the rig; nullptr when the rig has none.
    virtual instrument::FilterChanger *filterChanger() { return nullptr; }
    virtual instrument::FocusDrive *focusDrive() { return nullptr; }
    virtual instrument::Thermometer *thermometer() { return nullptr; }
    virtual instrument::Heater *heater() { return nullptr; }
};

}  // namespace scopesync::core::acquisition
