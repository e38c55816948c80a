// The coil patterns of a 4-coil stepper: 4-phase full step or 8-phase half step.
#include "hal/instrument/stepper_sequence.h"

namespace scopesync::hal::instrument {

std::array<bool, 4> StepperSequence::coils(int phase) const
{
    // Full step drives two adjacent coils at once (more torque than one, the usual "two-phase on");
    // half step interleaves the one-coil positions between them.
    static constexpr std::array<std::array<bool, 4>, 8> half {{
        {true, false, false, false},
        {true, true, false, false},
        {false, true, false, false},
        {false, true, true, false},
        {false, false, true, false},
        {false, false, true, true},
        {false, false, false, true},
        {true, false, false, true},
    }};
    const int n = phases();
    const int p = ((phase % n) + n) % n;
    return m_halfStep ? half[std::size_t(p)] : half[std::size_t(2 * p + 1)];
}

}  // namespace scopesync::hal::instrument
