// The ports for the instrument's devices beyond camera and LEDs: filter changer, focus drive,
// thermometer and heater. hal adapts the hardware (and the simulated rig) behind them; the control
// logic (move and settle, the heater's PI loop) lives in core.
#pragma once

#include "core/common/clocks.h"
#include "core/common/result.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace scopesync::core::instrument {

// A filter wheel (servo or stepper): named positions, one move at a time. Every call is thread-safe.
class FilterChanger {
public:
    virtual ~FilterChanger() = default;
    // The filter names the wheel holds, in wheel order ("no_filter", "red", …).
    [[nodiscard]] virtual QStringList positions() const = 0;
    // Finds the reference position (a stepper drives against its stop); a servo knows where it is.
    virtual Status home() = 0;
    // Starts a move to `filter` and returns; an unknown name is an error naming the known ones.
    virtual Status moveTo(const QString &filter) = 0;
    // Set-up: starts a move to a raw wheel position (a servo pulse width in µs, a stepper position in
    // steps), to find where a filter sits; an error for a position the wheel cannot reach. current() is
    // then the filter configured at exactly `at`, if any.
    virtual Status moveToRaw(int at) = 0;
    // Waits until the move has finished and the wheel has settled; an error on timeout or fault.
    virtual Status waitSettled(std::chrono::milliseconds timeout) = 0;
    // The filter in the light path, nullopt while moving, before homing or after a fault.
    [[nodiscard]] virtual std::optional<QString> current() const = 0;
    // How long a move from `from` to `to` takes, settling included (for plan estimates).
    [[nodiscard]] virtual std::chrono::milliseconds moveTime(
        const QString &from, const QString &to) const = 0;
    // Idle: stepper coils released (or held at standby current), servo pulses stopped.
    virtual void release() = 0;
};

// A focus stepper: absolute positions in steps from home. Thread-safe.
class FocusDrive {
public:
    virtual ~FocusDrive() = default;
    virtual Status home() = 0;
    virtual Status moveTo(int steps) = 0;
    virtual Status waitSettled(std::chrono::milliseconds timeout) = 0;
    // nullopt before homing, while moving or after a fault.
    [[nodiscard]] virtual std::optional<int> position() const = 0;
    [[nodiscard]] virtual std::chrono::milliseconds moveTime(int fromSteps, int toSteps) const = 0;
    virtual void release() = 0;
};

struct TemperatureReading {
    double kelvin = 0.0;
    MonoTime at {};
};

// A temperature sensor (DS18B20 on 1-wire, NTC through an ADS1115, the simulated plant's sensor).
class Thermometer {
public:
    virtual ~Thermometer() = default;
    // One reading; an error when the sensor does not answer or answers nonsense (CRC, out of range).
    virtual Result<TemperatureReading> read() = 0;
    // "DS18B20 28-0123456789ab", "NTC via ADS1115 i2c-1 0x48 AIN0": for logs and the doctor.
    [[nodiscard]] virtual QString name() const = 0;
};

// The heater's power output (PWM). Safe to call from any thread.
class Heater {
public:
    virtual ~Heater() = default;
    // Sets the duty cycle, 0–1, already limited by the caller to the rig's maximum.
    virtual Status setDuty(double fraction) = 0;
    // Turns the heater off; best effort, never throws (stop, fault, exception and signal paths call it).
    virtual void off() = 0;
    [[nodiscard]] virtual double duty() const = 0;
};

}  // namespace scopesync::core::instrument
