// RigDelayProbe: takes calibration frames on a rig — one strobed frame per asked delay — for DelaySearch.
#pragma once

#include "core/acquisition/rig.h"
#include "core/acquisition/strobed_capture.h"
#include "core/calibration/calibration_request.h"
#include "core/camera/camera_settings.h"

#include <atomic>
#include <chrono>
#include <optional>

namespace scopesync::core::calibration {

// Owns the rig's streaming for the length of a calibration: start() starts the strobe and the camera,
// stop() (also the destructor) stops both, which turns every LED off. The delay of each shot travels in
// its LedPulse, so the rig's own delay_us plays no part.
class RigDelayProbe {
public:
    RigDelayProbe(acquisition::Rig &rig, QString led, std::chrono::microseconds flash,
        const std::atomic<int> *stopFlag = nullptr);
    ~RigDelayProbe();
    RigDelayProbe(const RigDelayProbe &) = delete;
    RigDelayProbe &operator=(const RigDelayProbe &) = delete;

    // Refuses an unknown LED and a flash beyond the LED's safety limit (led_max_on_ms) before any light.
    Status start();
    // One frame lit by the flash `delay` after the trigger. A frame the camera dropped, or one whose flash
    // or trigger edges the strobe drove more than edgeTolerance() off their time (a busy machine), is
    // taken again: the calibration measures the delay, so every frame it scores was lit as asked.
    Result<DelayShot> measure(Micros delay);
    void stop();
    [[nodiscard]] MeasureFn measureFn()
    {
        return [this](Micros d) { return measure(d); };
    }
    [[nodiscard]] int framesTaken() const { return m_frames; }
    // Frames taken again (dropped by the camera, or lit off time), and the worst edge error that caused it.
    [[nodiscard]] int framesRetaken() const { return m_retaken; }
    [[nodiscard]] std::chrono::microseconds worstRetakenEdgeError() const { return m_worstError; }
    // A sentence for the result's notes when frames were taken again, else empty.
    [[nodiscard]] QString retakeNote() const;
    static constexpr std::chrono::microseconds edgeTolerance() { return std::chrono::microseconds(100); }
    // How far the frame's light strayed from the asked timing: the largest |measured − intended| over its
    // LED edges and the release of a trigger the strobe drove, all of which are timed from the trigger
    // edge as driven. When the strobe drives the trigger, a start that went out late starts the exposure
    // late too and moves nothing relative to it, so it does not count.
    static std::chrono::nanoseconds edgeError(const acquisition::StrobeEvent &event);
    // When `led`'s on edge came more than edgeTolerance() after its time: how long after the trigger.
    static std::optional<std::chrono::nanoseconds> lateOnEdge(
        const acquisition::StrobeEvent &event, const QString &led);
    // A flash asked this soon after the frame start, whose on edge came late in every try, was asked
    // sooner than the strobe can act on the trigger (not a stalled machine, which delays any edge).
    static constexpr std::chrono::milliseconds kStrobeReactionBound {5};
    static constexpr int maxTriesPerFrame = 6;

    // The request for this rig: its sensor mode, the settings' shutter, the flips the frames carry.
    static Result<CalibrationRequest> requestFor(const acquisition::RigDescription &rig,
        const camera::CameraSettings &settings, bool settingsFlipsApply, std::chrono::microseconds flash);
    // Empty when the LED exists and the flash is within its limit, else the sentence refusing it.
    static QString checkLed(
        const acquisition::RigDescription &rig, const QString &led, std::chrono::microseconds flash);

private:
    acquisition::Rig &m_rig;
    QString m_led;
    std::chrono::microseconds m_flash;
    acquisition::StrobedCapture m_capture;
    bool m_started = false;
    int m_frames = 0;
    int m_retaken = 0;
    std::chrono::microseconds m_worstError {0};
};

}  // namespace scopesync::core::calibration
