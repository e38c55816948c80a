// A 4-coil stepper on GPIO lines (the focus, a stepper filter wheel): moves on its own thread, homes
// against the stop, holds at standby current or releases its coils when idle.
#pragma once

#include "core/instrument/devices.h"
#include "core/instrument/instrument_description.h"
#include "hal/instrument/duty_output.h"
#include "hal/instrument/stepper_sequence.h"
#include "hal/strobe/line_interfaces.h"

#include <climits>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace scopesync::hal::instrument {

class StepperDrive final : public core::instrument::FocusDrive {
public:
    // `lines` holds the four coils (indices 0–3, in the description's order) and, when the stepper has
    // an enable line without hardware PWM, the enable line at index 4 (driven by a software PWM).
    // `enable` is the hardware PWM for the enable line when there is one.
    StepperDrive(core::instrument::StepperDescription description, std::unique_ptr<strobe::OutputLines> lines,
        std::unique_ptr<DutyOutput> enable = {}, int minSteps = INT_MIN, int maxSteps = INT_MAX);
    ~StepperDrive() override;
    StepperDrive(const StepperDrive &) = delete;
    StepperDrive &operator=(const StepperDrive &) = delete;

    // Drives homeSteps against the stop and calls that position 0 (without homeSteps: here is 0).
    core::Status home() override;
    // Starts a move; before homing, the drive homes first. Outside [min, max] is an error.
    core::Status moveTo(int steps) override;
    core::Status waitSettled(std::chrono::milliseconds timeout) override;
    [[nodiscard]] std::optional<int> position() const override;
    [[nodiscard]] std::chrono::milliseconds moveTime(int fromSteps, int toSteps) const override;
    // Coils all low and the enable line off, now (a move under way is abandoned and homing is lost).
    void release() override;

    [[nodiscard]] QString fault() const;

private:
    void loop();
    bool step(int direction);  // with m_mutex held; false on a write failure (fault latched)
    void writeCoils(const std::array<bool, 4> &coils);
    void setEnable(int perMille);
    void idle();

    core::instrument::StepperDescription m_d;
    StepperSequence m_sequence;
    std::unique_ptr<strobe::OutputLines> m_lines;
    std::unique_ptr<DutyOutput> m_enable;  // after m_lines: a software PWM borrows them
    int m_minSteps;
    int m_maxSteps;

    // Protects everything below and serialises coil writes between the thread and release().
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;  // a new target, a home request, a settled move, a fault or stop
    std::chrono::steady_clock::time_point m_nextStep {};  // the thread's: the earliest next coil change
    int m_phase = 0;  // electrical phase, independent of the position's origin
    int m_position = 0;
    int m_target = 0;
    bool m_homed = false;
    bool m_homeRequested = false;
    bool m_moving = false;
    bool m_stopping = false;
    QString m_fault;
    std::thread m_thread;
};

}  // namespace scopesync::hal::instrument
