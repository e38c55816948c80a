// HeaterRegulator: the heater's control thread (PI once per control period), its safety limits and the wait
// for the set point.
#include "core/instrument/heater_regulator.h"

#include <algorithm>
#include <cmath>

namespace scopesync::core::instrument {

using namespace std::chrono_literals;

namespace {

// A slide heater's sensor never legitimately reads outside this range; a value outside it is a broken
// wire, a shorted thermistor or a garbled 1-wire frame, not a temperature.
constexpr double kMinPlausibleKelvin = 273.15 - 40.0;
constexpr double kMaxPlausibleKelvin = 273.15 + 150.0;
// No slide heater changes its temperature faster than this; a larger step between two readings is a
// sensor glitch. The allowance covers sensor noise and quantisation at short intervals.
constexpr double kMaxPlausibleKelvinPerSecond = 5.0;
constexpr double kJumpAllowanceKelvin = 2.0;

double celsius(double kelvin)
{
    return kelvin - 273.15;
}

PiGains gainsOf(const HeaterDescription &d)
{
    return PiGains {d.pPerMillePerKelvin, d.iPerMillePerKelvinSecond, double(d.biasPerMille),
        double(std::clamp(d.maxPerMille, 0, 1000))};
}

}  // namespace

HeaterRegulator::HeaterRegulator(Thermometer &thermometer, Heater &heater, HeaterDescription description)
    : m_thermometer(thermometer),
      m_heater(heater),
      m_description(std::move(description)),
      m_controller(gainsOf(m_description))
{
}

HeaterRegulator::~HeaterRegulator()
{
    stop();
}

std::chrono::nanoseconds HeaterRegulator::realTime(std::chrono::nanoseconds plantTime) const
{
    const double speedup = m_description.simSpeedup > 0.0 ? m_description.simSpeedup : 1.0;
    return std::chrono::nanoseconds(qint64(double(plantTime.count()) / speedup));
}

Status HeaterRegulator::start()
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return Ok {};
    if (m_description.controlPeriod <= 0ms)
        return Error {QStringLiteral("the heater's control period must be above 0 ms; set a period such as "
                                     "1000 ms in the rig file"),
            QStringLiteral("$.heater.control_period_ms")};
    m_stopping = false;
    m_fault.clear();
    m_latest.reset();
    m_reached = false;
    m_controller.reset();
    m_heater.off();
    m_thread = std::thread([this] { loop(); });
    return Ok {};
}

void HeaterRegulator::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    turnOff();
}

void HeaterRegulator::turnOff()
{
    m_heater.off();
}

Status HeaterRegulator::setSetPoint(std::optional<double> kelvin)
{
    if (kelvin && (!std::isfinite(*kelvin) || *kelvin >= m_description.maxKelvin))
        return Error {
            QStringLiteral("the set point %1 °C is at or above the rig's over-temperature limit %2 °C; "
                           "lower the set point or raise the limit in the rig file")
                .arg(celsius(*kelvin), 0, 'f', 1)
                .arg(celsius(m_description.maxKelvin), 0, 'f', 1),
            QStringLiteral("$.heater.max_celsius")};
    {
        std::lock_guard lock(m_mutex);
        if (!m_fault.isEmpty() && kelvin)
            return Error {QStringLiteral("the heater is off after a fault (%1); stop and restart the "
                                         "regulator once the cause is fixed")
                              .arg(m_fault),
                QStringLiteral("heater")};
        const bool changed = m_setPoint != kelvin;
        m_setPoint = kelvin;
        if (changed) {
            m_reached = false;
            m_inBandSince = MonoTime {};
        }
    }
    if (!kelvin)
        turnOff();  // at once, not at the next control period
    m_changed.notify_all();
    return Ok {};
}

std::optional<double> HeaterRegulator::setPoint() const
{
    std::lock_guard lock(m_mutex);
    return m_setPoint;
}

std::optional<HeaterSample> HeaterRegulator::latest() const
{
    std::lock_guard lock(m_mutex);
    return m_latest;
}

bool HeaterRegulator::reached() const
{
    std::lock_guard lock(m_mutex);
    return m_reached;
}

QString HeaterRegulator::fault() const
{
    std::lock_guard lock(m_mutex);
    return m_fault;
}

void HeaterRegulator::setSampleCallback(std::function<void(const HeaterSample &)> callback)
{
    std::lock_guard lock(m_mutex);
    m_sampleCallback = std::move(callback);
}

void HeaterRegulator::loop()
{
    const auto period = realTime(m_description.controlPeriod);
    const auto hold = realTime(m_description.holdTime);
    const double speedup = m_description.simSpeedup > 0.0 ? m_description.simSpeedup : 1.0;
    const double maxDuty = double(std::clamp(m_description.maxPerMille, 0, 1000));
    const int failuresAllowed = std::max(1, m_description.sensorFailuresAllowed);

    int failures = 0;
    QString lastProblem;
    std::optional<TemperatureReading> lastGood;
    // A flag beside a value, not std::optional: GCC 12 at -O2 takes the optional's read for uninitialised.
    MonoTime lastUpdate {};
    bool updatedBefore = false;
    auto next = monotonicNow();

    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait_until(lock, next, [this] { return m_stopping; });
            if (m_stopping)
                break;
        }
        // The sensor may take most of a second to answer (a DS18B20 conversion): never under the mutex.
        const Result<TemperatureReading> reading = m_thermometer.read();
        const MonoTime at = monotonicNow();

        QString problem;
        if (!reading.ok()) {
            problem = reading.error().toString();
        } else {
            const double k = reading->kelvin;
            if (!std::isfinite(k) || k < kMinPlausibleKelvin || k > kMaxPlausibleKelvin) {
                problem = QStringLiteral("%1 read %2 K, outside −40…150 °C").arg(m_thermometer.name()).arg(k);
            } else if (lastGood) {
                const double plantSeconds
                    = std::chrono::duration<double>(at - lastGood->at).count() * speedup;
                const double possible = kJumpAllowanceKelvin + kMaxPlausibleKelvinPerSecond * plantSeconds;
                if (std::abs(k - lastGood->kelvin) > possible)
                    problem
                        = QStringLiteral("%1 jumped from %2 °C to %3 °C in %4 s, faster than a slide heats")
                              .arg(m_thermometer.name())
                              .arg(celsius(lastGood->kelvin), 0, 'f', 2)
                              .arg(celsius(k), 0, 'f', 2)
                              .arg(plantSeconds, 0, 'f', 1);
            }
        }

        QString fault;
        std::optional<HeaterSample> sample;
        if (!problem.isEmpty()) {
            ++failures;
            lastProblem = problem;
            // A single glitch keeps the previous duty; only a sensor that stays wrong is a fault.
            if (failures >= failuresAllowed)
                fault
                    = QStringLiteral("the heater's sensor failed %1 times in a row (last: %2); heater turned "
                                     "off")
                          .arg(failures)
                          .arg(lastProblem);
        } else {
            failures = 0;
            const double k = reading->kelvin;
            lastGood = TemperatureReading {k, at};
            std::optional<double> setPoint;
            {
                std::lock_guard lock(m_mutex);
                setPoint = m_setPoint;
            }
            double dutyPerMille = 0.0;
            if (k >= m_description.maxKelvin) {
                fault = QStringLiteral("over-temperature: the slide reads %1 °C, at or above the rig's limit "
                                       "%2 °C; heater turned off")
                            .arg(celsius(k), 0, 'f', 2)
                            .arg(celsius(m_description.maxKelvin), 0, 'f', 1);
            } else if (setPoint) {
                // The PI law works in plant time: a sped-up simulation sees the dt its plant saw.
                const std::chrono::duration<double> dt = updatedBefore
                    ? std::chrono::duration<double>(at - lastUpdate) * speedup
                    : std::chrono::duration<double>(m_description.controlPeriod);
                dutyPerMille = std::min(maxDuty, m_controller.update(*setPoint, k, dt));
                if (auto st = m_heater.setDuty(dutyPerMille / 1000.0); !st.ok())
                    fault = QStringLiteral("the heater did not accept its duty: %1; heater turned off")
                                .arg(st.error().toString());
                lastUpdate = at;
                updatedBefore = true;
            } else {
                m_controller.reset();
                updatedBefore = false;
                m_heater.off();
            }
            sample = HeaterSample {at, k, setPoint, fault.isEmpty() ? dutyPerMille : 0.0};
        }

        std::function<void(const HeaterSample &)> callback;
        {
            std::lock_guard lock(m_mutex);
            if (sample) {
                // The set point may have changed while the sensor was read; the band is judged against
                // the current one.
                if (m_setPoint && sample->setPointKelvin == m_setPoint
                    && std::abs(sample->kelvin - *m_setPoint) <= m_description.reachedWithinKelvin) {
                    if (m_inBandSince == MonoTime {})
                        m_inBandSince = at;
                    m_reached = at - m_inBandSince >= hold;
                } else {
                    m_inBandSince = MonoTime {};
                    m_reached = false;
                }
                m_latest = sample;
                callback = m_sampleCallback;
            }
            if (!fault.isEmpty()) {
                m_fault = fault;
                m_setPoint.reset();
                m_reached = false;
            }
        }
        if (!fault.isEmpty()) {
            turnOff();
            if (sample)
                sample->dutyPerMille = 0.0;
        }
        if (callback && sample)
            callback(*sample);
        m_changed.notify_all();
        if (!fault.isEmpty())
            break;  // latched: the heater stays off until stop()

        next += period;
        if (next < monotonicNow())
            next = monotonicNow();  // a late sensor must not cause a burst of catch-up updates
    }
    turnOff();
}

Status HeaterRegulator::waitReached(
    const std::function<QString()> &shouldStop, const std::function<void(const HeaterSample &)> &progress)
{
    const MonoTime started = monotonicNow();
    const auto timeout = realTime(m_description.reachTimeout);
    const std::chrono::nanoseconds poll
        = std::clamp<std::chrono::nanoseconds>(realTime(m_description.controlPeriod),
            std::chrono::nanoseconds(1ms), std::chrono::nanoseconds(200ms));
    MonoTime lastReported {};
    for (;;) {
        std::optional<HeaterSample> sample;
        std::optional<double> setPoint;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait_for(lock, poll);
            if (!m_fault.isEmpty())
                return Error {m_fault, QStringLiteral("heater")};
            if (!m_setPoint)
                return Error {QStringLiteral("there is no set point to wait for"), QStringLiteral("heater")};
            if (!m_thread.joinable() || m_stopping)
                return Error {
                    QStringLiteral("the heater regulator is not running"), QStringLiteral("heater")};
            if (m_reached)
                return Ok {};
            sample = m_latest;
            setPoint = m_setPoint;
        }
        if (progress && sample && sample->at != lastReported) {
            lastReported = sample->at;
            progress(*sample);
        }
        if (shouldStop) {
            if (const QString why = shouldStop(); !why.isEmpty())
                return Error {why, QString()};
        }
        const auto waited = monotonicNow() - started;
        if (waited >= timeout) {
            const double plantSeconds = std::chrono::duration<double>(m_description.reachTimeout).count();
            return Error {
                QStringLiteral("the slide did not reach %1 °C within %2 s (±%3 K held for %4 s): the "
                               "last reading was %5; check the heater and its sensor, or raise the "
                               "rig's reach timeout")
                    .arg(celsius(*setPoint), 0, 'f', 1)
                    .arg(plantSeconds, 0, 'f', 0)
                    .arg(m_description.reachedWithinKelvin)
                    .arg(m_description.holdTime.count())
                    .arg(sample ? QStringLiteral("%1 °C").arg(celsius(sample->kelvin), 0, 'f', 2)
                                : QStringLiteral("none")),
                QStringLiteral("heater")};
        }
    }
}

}  // namespace scopesync::core::instrument
