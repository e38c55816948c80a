// HeaterRegulator: holds the slide at a set point. Its own thread reads the thermometer once per control
// period, runs the PI law and sets the heater's duty; over-temperature and a sensor that stops
// answering or reads nonsense turn the heater off and latch a fault. The heater is off whenever the
// regulator is stopped or destroyed.
#pragma once

#include "core/common/clocks.h"
#include "core/common/result.h"
#include "core/instrument/devices.h"
#include "core/instrument/instrument_description.h"
#include "core/instrument/pi_controller.h"

#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace scopesync::core::instrument {

struct HeaterSample {
    MonoTime at {};
    double kelvin = 0.0;
    std::optional<double> setPointKelvin;  // none: regulation off, heater off
    double dutyPerMille = 0.0;
};

class HeaterRegulator {
public:
    // Borrows the devices; `description.simSpeedup` (plant time per real time, 1 on real rigs) scales
    // the control period, the hold time and the reach timeout.
    HeaterRegulator(Thermometer &thermometer, Heater &heater, HeaterDescription description);
    ~HeaterRegulator();
    HeaterRegulator(const HeaterRegulator &) = delete;
    HeaterRegulator &operator=(const HeaterRegulator &) = delete;

    // Starts the control thread (the heater stays off until a set point is given).
    Status start();
    // Heater off, thread joined; safe to call more than once.
    void stop();

    // A set point in kelvin (refused above the rig's over-temperature limit), or none to turn off.
    Status setSetPoint(std::optional<double> kelvin);
    [[nodiscard]] std::optional<double> setPoint() const;
    [[nodiscard]] std::optional<HeaterSample> latest() const;
    // True once the reading has stayed within `reachedWithinKelvin` of the set point for `holdTime`.
    [[nodiscard]] bool reached() const;
    // Over-temperature or sensor failure, latched until stop(); empty when none.
    [[nodiscard]] QString fault() const;

    // Waits until reached(), a fault, `shouldStop()` returning a reason, or the rig's reach timeout
    // (an error naming set point, reading and time waited). `progress` is called with each new sample.
    Status waitReached(const std::function<QString()> &shouldStop,
        const std::function<void(const HeaterSample &)> &progress = {});

    // Called on the regulator thread with every sample (the run's temperature trace); set before start().
    void setSampleCallback(std::function<void(const HeaterSample &)> callback);

    // Real time a plant-time duration takes on this rig.
    [[nodiscard]] std::chrono::nanoseconds realTime(std::chrono::nanoseconds plantTime) const;

private:
    void loop();
    void turnOff();

    Thermometer &m_thermometer;
    Heater &m_heater;
    HeaterDescription m_description;
    PiController m_controller;

    mutable std::mutex m_mutex;  // protects everything below
    std::condition_variable m_changed;  // a new sample, a fault, or stop
    std::optional<double> m_setPoint;
    std::optional<HeaterSample> m_latest;
    MonoTime m_inBandSince {};
    bool m_reached = false;
    QString m_fault;
    bool m_stopping = false;
    std::function<void(const HeaterSample &)> m_sampleCallback;
    std::thread m_thread;
};

}  // namespace scopesync::core::instrument
