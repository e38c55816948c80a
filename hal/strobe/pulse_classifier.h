// Classifies trigger edges into frame starts, exposure stops, missed pulses and glitches by timing alone.
#pragma once

#include <chrono>
#include <optional>

namespace scopesync::hal::strobe {

// Edge counting breaks forever after one missed pulse; the interval pattern does not. The classifier
// locks onto the frame period and, with two pulses per frame, onto the start→stop interval, then
// places every edge by its phase since the last frame start.
class PulseClassifier {
public:
    enum class Kind { FrameStart, ExposureStop, Glitch, Pending };  // Pending: not placeable yet (locking)

    struct Config {
        int pulsesPerFrame = 1;
        std::chrono::nanoseconds framePeriod {0};  // expected start-to-start interval
        std::chrono::nanoseconds startToStop {0};  // expected start-to-stop interval (two pulses per frame)
        // A free-running sensor's frame clock is crystal-stable, so the window is narrow: wide enough for
        // interrupt timestamp jitter, narrow enough that a glitch rarely lands in it.
        double tolerance = 0.005;  // fraction of the frame period…
        std::chrono::nanoseconds minTolerance {200'000};  // …but never less than this
        int relockAfterRejects = 3;  // consecutive rejects that mean we locked onto a glitch
    };

    struct Result {
        Kind kind = Kind::Pending;
        int missedBefore = 0;  // frame starts that should have come since the last accepted one
    };

    explicit PulseClassifier(Config config);
    Result classify(std::chrono::nanoseconds timestamp);

    [[nodiscard]] std::chrono::nanoseconds framePeriod() const { return m_period; }

private:
    [[nodiscard]] bool near(std::chrono::nanoseconds value, std::chrono::nanoseconds target) const;
    Result lock(std::chrono::nanoseconds t);

    Config m_config;
    std::chrono::nanoseconds m_period;
    std::optional<std::chrono::nanoseconds> m_lastStart;
    std::optional<std::chrono::nanoseconds> m_pending;  // an edge seen before lock, kind unknown
    int m_consecutiveRejects = 0;
};

}  // namespace scopesync::hal::strobe
