// Classifies trigger edges into frame starts, exposure stops, missed pulses and glitches by timing alone.
#include "hal/strobe/pulse_classifier.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace scopesync::hal::strobe {

using std::chrono::nanoseconds;

PulseClassifier::PulseClassifier(Config config) : m_config(config), m_period(config.framePeriod)
{
}

bool PulseClassifier::near(nanoseconds value, nanoseconds target) const
{
    auto tol = std::max(static_cast<long long>(static_cast<double>(m_period.count()) * m_config.tolerance),
        static_cast<long long>(m_config.minTolerance.count()));
    if (m_config.pulsesPerFrame == 2) {
        // With long exposures the stop pulse comes just before the next start (E ≈ frame period): the
        // window must stay well inside the gap between the two or they become indistinguishable.
        const auto gap = std::min(m_config.startToStop, m_period - m_config.startToStop).count();
        tol = std::min(tol, std::max<long long>(gap * 2 / 5, 1));
    }
    return std::llabs(value.count() - target.count()) <= tol;
}

PulseClassifier::Result PulseClassifier::lock(nanoseconds t)
{
    if (m_config.pulsesPerFrame == 1) {
        m_lastStart = t;
        return {Kind::FrameStart, 0};
    }
    // Two pulses per frame: one interval decides which of the pair was the start.
    if (m_pending) {
        const nanoseconds d = t - *m_pending;
        if (near(d, m_config.startToStop)) {
            m_lastStart = *m_pending;
            m_pending.reset();
            return {Kind::ExposureStop, 0};
        }
        // Two edges a whole period apart may both be stops (the start between them was missed while
        // locking): that says nothing about which kind they are, so keep waiting.
        if (near(d, m_period - m_config.startToStop)) {
            m_lastStart = t;
            m_pending.reset();
            return {Kind::FrameStart, 0};
        }
    }
    m_pending = t;
    return {Kind::Pending, 0};  // undecided: no light on an edge we cannot place
}

PulseClassifier::Result PulseClassifier::classify(nanoseconds t)
{
    if (!m_lastStart)
        return lock(t);

    const nanoseconds since = t - *m_lastStart;
    if (since.count() <= 0)
        return {Kind::Glitch, 0};
    const double periods = static_cast<double>(since.count()) / static_cast<double>(m_period.count());
    const auto whole = static_cast<long long>(std::llround(periods));
    const nanoseconds phaseToNearestStart = since - m_period * whole;

    if (whole >= 1 && near(phaseToNearestStart, nanoseconds(0))) {
        // Follow slow drift of the camera's clock with a gentle average of clean intervals.
        if (whole == 1)
            m_period = nanoseconds(static_cast<long long>(
                0.9 * static_cast<double>(m_period.count()) + 0.1 * static_cast<double>(since.count())));
        m_lastStart = t;
        m_consecutiveRejects = 0;
        return {Kind::FrameStart, static_cast<int>(whole - 1)};
    }
    if (m_config.pulsesPerFrame == 2) {
        const long long frames = static_cast<long long>(std::floor(periods));
        const nanoseconds phase = since - m_period * frames;
        if (near(phase, m_config.startToStop)) {
            m_consecutiveRejects = 0;
            return {Kind::ExposureStop, 0};
        }
    }
    // A burst of ringing edges inside one frame is not a reason to doubt the lock; frames of
    // off-pattern edges are.
    if (++m_consecutiveRejects >= m_config.relockAfterRejects
        && since > m_period * m_config.relockAfterRejects) {
        // Several edges in a row off the pattern: the lock itself was on a glitch. Start over.
        m_lastStart.reset();
        m_pending.reset();
        m_consecutiveRejects = 0;
        return lock(t);
    }
    return {Kind::Glitch, 0};
}

}  // namespace scopesync::hal::strobe
