// The one builder of an image's record (OME-XML and manifest line) and of its channel name, used by
// protocol runs, manual captures and fleet captures alike.
#pragma once

#include "core/acquisition/rig_description.h"
#include "core/acquisition/strobed_capture.h"
#include "core/protocol/protocol.h"
#include "core/storage/image_record.h"
#include "core/timing/frame_plan.h"

#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace scopesync::core::acquisition {

// What an image is before it is taken: the light on it and where it sits in its plan.
struct ImageIntent {
    // Strobed pulses (delays from the trigger edge), or the LEDs held on by an illumination step.
    std::vector<LedPulse> lights;
    bool continuousLight = false;  // taken under an illumination step: there is no strobe event
    // The planned trigger-to-flash delay recorded with the image: the rig's delay for a strobed frame (a
    // dark one included), 0 under continuous light or for a frame taken without a trigger.
    std::chrono::microseconds delay {0};
    QString label;
    QString filter;
    qint64 frameIndex = 0;
    QString stepPath;
    QList<int> iterations;
    int retake = 0;  // 0: the first take; n: the n-th retake of frameIndex (an earlier take's dose was wrong)
    int framesDropped = 0;  // frames of this take the camera dropped before one was kept

    // A plan's capture: strobed at `delay`, or under the light its illumination step holds on.
    static ImageIntent fromPlan(const timing::PlanAction &capture, std::chrono::microseconds delay);
};

// The instrument's devices beyond camera and LEDs as they were at exposure; empty on a rig without them.
struct InstrumentState {
    QString filterInPlace;  // the wheel's current() filter
    std::optional<int> focusSteps;
    std::optional<double> temperatureKelvin;  // the latest reading
    std::optional<double> setPointKelvin;
};

// Each flash as a pulse `delay` after the trigger edge.
std::vector<LedPulse> strobePulses(
    const std::vector<protocol::Flash> &flashes, std::chrono::microseconds delay);
// Each flash's LED held on for `duration` (an illumination step).
std::vector<LedPulse> continuousLights(
    const std::vector<protocol::Flash> &flashes, std::chrono::microseconds duration);

// "dark" when no LED is lit, else the LEDs joined with '+' ("red+blue"): the channel's name in the
// OME metadata and part of the image's file name.
QString channelName(const std::vector<LedPulse> &lights);

// When every row of a frame exposing `exposure` is exposing, from the trigger edge: the rig's measured
// span (calibration), else the sensor model's with row 0 starting at the edge; none for an unknown mode.
std::optional<RigDescription::Span> allRowsExposing(
    const RigDescription &rig, std::chrono::microseconds exposure);

// The record of `shot` on `rig`: the camera's values from the frame, every LED's on and off edge as the
// strobe thread measured them (relative to the trigger edge), the planned light, the trigger and the
// strobe counters, and the instrument's state. Callers append what only they know to `extra`.
storage::ImageRecord buildImageRecord(const RigDescription &rig, const ImageIntent &intent, const Shot &shot,
    const StrobeStats &stats, const InstrumentState &instrument = {});

}  // namespace scopesync::core::acquisition
