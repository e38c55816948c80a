// A PWM output with a duty cycle: the heater's power, a stepper's enable/current line, a servo's pulse.
#pragma once

#include "core/common/result.h"

#include <chrono>

namespace scopesync::hal::instrument {

class DutyOutput {
public:
    virtual ~DutyOutput() = default;
    // Time high in each period (clamped to the period); 0 holds the line low, the period holds it high.
    virtual core::Status setHighTime(std::chrono::nanoseconds high) = 0;
    [[nodiscard]] virtual std::chrono::nanoseconds period() const = 0;
    // Line low now, whatever the period's phase; never fails silently into "on".
    virtual void off() = 0;

    core::Status setDuty(double fraction)
    {
        const double f = fraction < 0.0 ? 0.0 : (fraction > 1.0 ? 1.0 : fraction);
        return setHighTime(std::chrono::nanoseconds(qint64(double(period().count()) * f + 0.5)));
    }
};

}  // namespace scopesync::hal::instrument
