// A 4-coil stepper on GPIO lines, moving on its own thread.
#include "hal/instrument/stepper_drive.h"

#include "hal/instrument/software_pwm.h"

#include <cstdlib>

namespace scopesync::hal::instrument {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

StepperDrive::StepperDrive(core::instrument::StepperDescription description,
    std::unique_ptr<strobe::OutputLines> lines, std::unique_ptr<DutyOutput> enable, int minSteps,
    int maxSteps)
    : m_d(std::move(description)),
      m_sequence(m_d.halfStep),
      m_lines(std::move(lines)),
      m_enable(std::move(enable)),
      m_minSteps(minSteps),
      m_maxSteps(maxSteps)
{
    // The current limit of a coil driver is an average: 1 kHz is far above the coils' L/R corner.
    if (!m_enable && m_lines->count() > 4)
        m_enable = std::make_unique<SoftwarePwm>(*m_lines, 4, 1ms);
    const std::lock_guard lock(m_mutex);
    writeCoils({false, false, false, false});
    setEnable(0);
    m_thread = std::thread([this] { loop(); });
}

StepperDrive::~StepperDrive()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    const std::lock_guard lock(m_mutex);
    writeCoils({false, false, false, false});
    setEnable(0);
}

core::Status StepperDrive::home()
{
    {
        const std::lock_guard lock(m_mutex);
        if (!m_fault.isEmpty())
            return core::Error {m_fault, QStringLiteral("stepper")};
        m_homeRequested = true;
        m_homed = false;
        m_target = 0;
    }
    m_changed.notify_all();
    return core::Ok {};
}

core::Status StepperDrive::moveTo(int steps)
{
    {
        const std::lock_guard lock(m_mutex);
        if (!m_fault.isEmpty())
            return core::Error {m_fault, QStringLiteral("stepper")};
        if (steps < m_minSteps || steps > m_maxSteps)
            return core::Error {QStringLiteral("position %1 steps is outside the drive's range %2…%3; "
                                               "change the target or the rig file's min/max steps")
                                    .arg(steps)
                                    .arg(m_minSteps)
                                    .arg(m_maxSteps),
                QStringLiteral("stepper")};
        if (!m_homed)
            m_homeRequested = true;
        m_target = steps;
    }
    m_changed.notify_all();
    return core::Ok {};
}

core::Status StepperDrive::waitSettled(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    const bool done = m_changed.wait_for(lock, timeout, [this] {
        return !m_fault.isEmpty() || (m_homed && !m_homeRequested && !m_moving && m_position == m_target);
    });
    if (!m_fault.isEmpty())
        return core::Error {m_fault, QStringLiteral("stepper")};
    if (!done)
        return core::Error {QStringLiteral("the stepper did not reach %1 steps within %2 ms (at %3 steps); "
                                           "check its wiring and step time")
                                .arg(m_target)
                                .arg(timeout.count())
                                .arg(m_position),
            QStringLiteral("stepper")};
    return core::Ok {};
}

std::optional<int> StepperDrive::position() const
{
    const std::lock_guard lock(m_mutex);
    if (!m_homed || m_moving || m_homeRequested || !m_fault.isEmpty())
        return std::nullopt;
    return m_position;
}

std::chrono::milliseconds StepperDrive::moveTime(int fromSteps, int toSteps) const
{
    const auto t = m_d.stepTime * std::abs(qint64(toSteps) - fromSteps);
    return std::chrono::ceil<std::chrono::milliseconds>(t);
}

void StepperDrive::release()
{
    {
        const std::lock_guard lock(m_mutex);
        // Whatever the thread was doing, the coils are now unpowered and the position unknown.
        if (m_moving || m_homeRequested)
            m_homed = false;
        m_homeRequested = false;
        m_target = m_position;
        writeCoils({false, false, false, false});
        setEnable(0);
    }
    m_changed.notify_all();
}

QString StepperDrive::fault() const
{
    const std::lock_guard lock(m_mutex);
    return m_fault;
}

void StepperDrive::writeCoils(const std::array<bool, 4> &coils)
{
    // Off before on: a transition never has more coils energised than either end of it.
    for (int pass = 0; pass < 2; ++pass)
        for (int i = 0; i < 4 && i < m_lines->count(); ++i) {
            if (coils[std::size_t(i)] != (pass == 1))
                continue;
            if (m_lines->isActive(i) == coils[std::size_t(i)])
                continue;
            const core::Status st = m_lines->set(i, coils[std::size_t(i)]);
            if (!st.ok() && m_fault.isEmpty())
                m_fault = QStringLiteral("stepper coil %1: %2").arg(m_lines->name(i), st.error().message);
        }
}

void StepperDrive::setEnable(int perMille)
{
    if (!m_enable)
        return;
    if (perMille <= 0) {
        m_enable->off();
        return;
    }
    const core::Status st = m_enable->setDuty(perMille / 1000.0);
    if (!st.ok() && m_fault.isEmpty())
        m_fault = QStringLiteral("stepper enable line: %1").arg(st.error().message);
}

bool StepperDrive::step(int direction)
{
    m_phase += direction;
    writeCoils(m_sequence.coils(m_phase));
    // A whole step time after this write, even when the thread woke late: catching up with two quick
    // steps would outrun the rotor and lose steps.
    m_nextStep = std::chrono::steady_clock::now() + m_d.stepTime;
    return m_fault.isEmpty();
}

void StepperDrive::idle()
{
    if (m_d.standbyPerMille > 0) {
        setEnable(m_d.standbyPerMille);  // holding torque at reduced current
    } else {
        writeCoils({false, false, false, false});
        setEnable(0);
    }
}

void StepperDrive::loop()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_changed.wait(lock, [this] {
            return m_stopping
                || (m_fault.isEmpty() && (m_homeRequested || (m_homed && m_target != m_position)));
        });
        if (m_stopping)
            return;
        m_moving = true;
        setEnable(m_d.runPerMille);
        // Energise the current phase before the first step, so the rotor is where the sequence thinks.
        writeCoils(m_sequence.coils(m_phase));
        m_nextStep = Clock::now() + m_d.stepTime;
        const auto waitStep = [&] { m_changed.wait_until(lock, m_nextStep, [this] { return m_stopping; }); };
        if (m_homeRequested) {
            const int dir = m_d.homeSteps < 0 ? -1 : 1;
            for (int i = 0; i < std::abs(m_d.homeSteps) && !m_stopping && m_homeRequested; ++i) {
                waitStep();
                if (!step(dir))
                    break;
            }
            if (m_homeRequested && m_fault.isEmpty() && !m_stopping) {
                m_position = 0;
                m_homed = true;
                m_homeRequested = false;
            }
        }
        while (m_homed && !m_homeRequested && !m_stopping && m_fault.isEmpty() && m_position != m_target) {
            const int dir = m_target > m_position ? 1 : -1;
            waitStep();
            if (m_stopping || !m_homed || m_homeRequested)
                break;
            if (!step(dir))
                break;
            m_position += dir;
        }
        // The last step's coils stay energised for one step time: the rotor needs it to get there.
        if (m_fault.isEmpty() && m_homed && !m_stopping)
            waitStep();
        m_moving = false;
        if (m_fault.isEmpty() && m_homed)
            idle();
        else {  // a fault, or release() while moving: nothing stays energised
            writeCoils({false, false, false, false});
            setEnable(0);
        }
        m_changed.notify_all();
    }
}

}  // namespace scopesync::hal::instrument
