// LiveView: pulls preview frames from a rig, optionally strobing an LED on each one, between other work.
#pragma once

#include "core/acquisition/rig.h"
#include "core/acquisition/strobed_capture.h"

#include <atomic>
#include <optional>

namespace scopesync::core::acquisition {

// Owns the started state of a rig's camera and strobe for a preview: start() brings both up, stop()
// turns every LED off and stops both. Runs and calibrations start and stop the rig themselves, so a
// preview is stopped before one of them and started again afterwards. One thread at a time.
class LiveView {
public:
    explicit LiveView(Rig &rig);
    ~LiveView();
    LiveView(const LiveView &) = delete;
    LiveView &operator=(const LiveView &) = delete;

    Status start();
    void stop();
    [[nodiscard]] bool running() const { return m_running; }

    // The LED flashed on every preview frame (its delay is from the trigger edge); nullopt for none.
    // The duration is cut to the LED's safety limit (RigDescription::maxOnFor).
    void setStrobe(std::optional<LedPulse> pulse);
    [[nodiscard]] const std::optional<LedPulse> &strobe() const { return m_strobe; }

    // A non-zero value makes a strobed wait return early with an error (used to answer a new command).
    void setStopFlag(const std::atomic<int> *flag) { m_capture.setStopFlag(flag); }

    // The next frame (starting the rig if needed): the newest the camera has when not strobing, or the
    // frame lit by the strobe. nullopt when no frame came within `timeout` (unstrobed only).
    Result<std::optional<Shot>> next(std::chrono::milliseconds timeout);

    // Holds an LED on for `duration` from now (manual flash); the caller ends it with endFlash(). The
    // duration must not exceed the LED's safety limit.
    Status beginFlash(const QString &led, std::chrono::milliseconds duration);
    Status endFlash();

    Rig &rig() { return m_rig; }

private:
    Rig &m_rig;
    StrobedCapture m_capture;
    std::optional<LedPulse> m_strobe;
    bool m_running = false;
};

}  // namespace scopesync::core::acquisition
