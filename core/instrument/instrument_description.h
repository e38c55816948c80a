// What a rig file says about the devices beyond camera and LEDs: filter wheel, focus, heater and its
// sensor. Parsed and validated with the rest of the rig file (core/acquisition/rig_description).
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace scopesync::core::instrument {

// A 4-coil stepper on four GPIOs with an enable/current PWM pin.
struct StepperDescription {
    QList<int> coilBcm;  // four lines, in sequence order
    int enableBcm = -1;  // current/enable PWM line; −1: none
    int standbyPerMille = 0;  // enable duty while idle and holding (0: coils released)
    int runPerMille = 1000;  // enable duty while stepping
    bool halfStep = false;  // 8-phase half-step sequence instead of 4-phase full step
    std::chrono::microseconds stepTime {2400};
    int homeSteps = 0;  // steps driven against the stop to home (signed, e.g. −400); 0: no homing
};

// A simulated wheel's raw positions are servo-like pulse widths: slot i at kSimWheelFirst + i ×
// kSimWheelPitch (the default when a sim rig file gives no "at").
inline constexpr int kSimWheelFirst = 1000;
inline constexpr int kSimWheelPitch = 250;

struct FilterWheelDescription {
    QString kind;  // "servo", "stepper" or "sim"
    QStringList order;  // filter names in wheel order
    QMap<QString, int> positions;  // filter → servo pulse width in µs, or stepper position in steps
    int servoBcm = -1;  // servo: PWM line (hardware PWM on 12, 13, 18, 19)
    std::chrono::milliseconds servoSettle {300};  // servo: time to reach and settle after a change
    StepperDescription stepper;  // stepper
    std::chrono::milliseconds simMoveTime {250};  // sim: one position further
};

struct FocusDescription {
    QString kind;  // "stepper" or "sim"
    QMap<QString, int> perFilter;  // filter → position in steps (chromatic focus offsets); missing: 0
    int offsetSteps = 0;  // the user's base position, added to every filter's
    int minSteps = -100000;
    int maxSteps = 100000;
    StepperDescription stepper;

    [[nodiscard]] int targetFor(const QString &filter) const
    {
        return perFilter.value(filter, 0) + offsetSteps;
    }
};

struct ThermometerDescription {
    QString kind;  // "ds18b20", "ntc-ads1115" or "sim"
    QString w1Device;  // ds18b20: "28-…" under /sys/bus/w1/devices; empty: the only one present
    QString i2cDevice = QStringLiteral("/dev/i2c-1");  // ntc-ads1115
    int i2cAddress = 0x48;
    int adcChannel = 0;  // AIN0–AIN3
    double ntcBetaKelvin = 3470.0;
    double ntcR25Ohm = 10000.0;  // thermistor at 298.15 K
    double seriesOhm = 10000.0;  // divider resistor
    bool ntcToGround = true;  // thermistor between the ADC input and ground (else to the supply)
    double supplyVolts = 3.3;  // the divider's supply (the ADS1115 measures against its own reference)
};

struct HeaterDescription {
    QString kind;  // "pwm" or "sim"
    int bcm = -1;  // heater PWM line
    int maxPerMille = 1000;  // duty never above this
    double pPerMillePerKelvin = 800.0;
    double iPerMillePerKelvinSecond = 0.2;
    int biasPerMille = 100;
    std::chrono::milliseconds controlPeriod {1000};
    double reachedWithinKelvin = 0.2;
    std::chrono::seconds holdTime {10};  // within the band this long counts as reached
    std::chrono::seconds reachTimeout {1800};
    double maxKelvin = 273.15 + 80.0;  // over-temperature: heater off, run stopped
    int sensorFailuresAllowed = 3;  // consecutive failed readings before the heater turns off
    // The rig's measured heating rate, for plan estimates only; none: heating time is not estimated
    // (a simulated heater's rate follows from its plant parameters).
    std::optional<double> heatingKelvinPerMinute;
    ThermometerDescription sensor;
    // Simulated plant (kind "sim"): °C per second of heating at full power from ambient is
    // (maxPowerW / heatCapacityJPerK); loss to ambient with time constant tau.
    double simAmbientKelvin = 273.15 + 22.0;
    double simMaxPowerW = 20.0;
    double simHeatCapacityJPerK = 60.0;
    double simLossWPerK = 0.25;
    std::chrono::milliseconds simSensorLag {4000};
    double simSensorNoiseKelvin = 0.02;
    double simSpeedup = 1.0;  // plant time per real time; only a test rig sets it above 1
};

}  // namespace scopesync::core::instrument
