// SimFocus: the simulated focus stepper; a move takes its step time per step.
#pragma once

#include "core/instrument/devices.h"
#include "core/instrument/instrument_description.h"

#include <mutex>

namespace scopesync::hal::sim {

class SimFocus final : public core::instrument::FocusDrive {
public:
    explicit SimFocus(core::instrument::FocusDescription description) : m_description(std::move(description))
    {
    }

    core::Status home() override;
    core::Status moveTo(int steps) override;
    core::Status waitSettled(std::chrono::milliseconds timeout) override;
    [[nodiscard]] std::optional<int> position() const override;
    [[nodiscard]] std::chrono::milliseconds moveTime(int fromSteps, int toSteps) const override;
    // Where the lens is heading (or is), for the simulated optics; 0 before homing.
    [[nodiscard]] int targetSteps() const;
    void release() override { }

private:
    core::instrument::FocusDescription m_description;
    mutable std::mutex m_mutex;  // protects the position and the move
    std::optional<int> m_target {0};  // none before homing; the simulated drive powers up at home
    core::MonoTime m_arrival {};
};

}  // namespace scopesync::hal::sim
