// PlantBench: a thermometer and a heater over the simulated thermal plant for tests, advancing plant time
// with the test's real clock (times the rig's speed-up), with switches for the faults a real rig has.
#pragma once

#include "core/instrument/devices.h"
#include "hal/sim/thermal_plant.h"

#include <cmath>
#include <limits>
#include <mutex>

namespace scopesync::tests {

class PlantBench : public core::instrument::Thermometer, public core::instrument::Heater {
public:
    explicit PlantBench(const core::instrument::HeaterDescription &d, unsigned seed = 7)
        : m_plant(d, seed), m_speedup(d.simSpeedup > 0 ? d.simSpeedup : 1.0), m_last(core::monotonicNow())
    {
    }

    core::Result<core::instrument::TemperatureReading> read() override
    {
        std::lock_guard lock(m_mutex);
        advanceLocked();
        ++m_reads;
        if (m_failing)
            return core::Error {QStringLiteral("no answer from the sensor"), QStringLiteral("plant bench")};
        if (m_nan)
            return core::instrument::TemperatureReading {std::numeric_limits<double>::quiet_NaN(), m_last};
        return core::instrument::TemperatureReading {m_plant.sensorKelvin() + m_offsetKelvin, m_last};
    }
    [[nodiscard]] QString name() const override { return QStringLiteral("plant bench sensor"); }

    core::Status setDuty(double fraction) override
    {
        std::lock_guard lock(m_mutex);
        advanceLocked();
        m_commanded = fraction;
        return core::Ok {};
    }
    void off() override
    {
        std::lock_guard lock(m_mutex);
        advanceLocked();
        m_commanded = 0.0;
        ++m_offCalls;
    }
    [[nodiscard]] double duty() const override
    {
        std::lock_guard lock(m_mutex);
        return m_commanded;
    }

    // Fault switches.
    void setSensorFailing(bool on)
    {
        std::lock_guard lock(m_mutex);
        m_failing = on;
    }
    void setSensorNaN(bool on)
    {
        std::lock_guard lock(m_mutex);
        m_nan = on;
    }
    void setSensorOffset(double kelvin)
    {
        std::lock_guard lock(m_mutex);
        m_offsetKelvin = kelvin;
    }
    // A shorted output stage: the plant gets full power whatever the regulator commands.
    void setShorted(bool on)
    {
        std::lock_guard lock(m_mutex);
        advanceLocked();
        m_shorted = on;
    }

    [[nodiscard]] double plantSeconds() const
    {
        std::lock_guard lock(m_mutex);
        return m_plantSeconds;
    }
    [[nodiscard]] double slideKelvin() const
    {
        std::lock_guard lock(m_mutex);
        return m_plant.slideKelvin();
    }
    [[nodiscard]] int offCalls() const
    {
        std::lock_guard lock(m_mutex);
        return m_offCalls;
    }
    [[nodiscard]] int reads() const
    {
        std::lock_guard lock(m_mutex);
        return m_reads;
    }

private:
    void advanceLocked()
    {
        const auto now = core::monotonicNow();
        const double dt = std::chrono::duration<double>(now - m_last).count() * m_speedup;
        m_last = now;
        m_plant.advance(std::chrono::duration<double>(dt), m_shorted ? 1.0 : m_commanded);
        m_plantSeconds += dt;
    }

    mutable std::mutex m_mutex;  // protects everything below: the regulator thread and the test both call in
    hal::sim::ThermalPlant m_plant;
    double m_speedup;
    core::MonoTime m_last;
    double m_plantSeconds = 0.0;
    double m_commanded = 0.0;
    double m_offsetKelvin = 0.0;
    bool m_failing = false;
    bool m_nan = false;
    bool m_shorted = false;
    int m_offCalls = 0;
    int m_reads = 0;
};

}  // namespace scopesync::tests
