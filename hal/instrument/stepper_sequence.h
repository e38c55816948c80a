// The coil patterns of a 4-coil (unipolar or two-phase) stepper: 4-phase full step or 8-phase half step.
#pragma once

#include <array>

namespace scopesync::hal::instrument {

class StepperSequence {
public:
    explicit StepperSequence(bool halfStep) : m_halfStep(halfStep) { }

    // Phases per electrical cycle: 4 (full step, two coils on) or 8 (half step, one or two coils on).
    [[nodiscard]] int phases() const { return m_halfStep ? 8 : 4; }
    // Which of the four coils (in the rig file's order) are energised at `phase` (any integer, taken
    // modulo phases(), so a position in steps indexes it directly, negative ones included).
    [[nodiscard]] std::array<bool, 4> coils(int phase) const;

private:
    bool m_halfStep;
};

}  // namespace scopesync::hal::instrument
