// The one builder of an image's record and channel name.
#include "core/acquisition/image_record_builder.h"

#include "core/acquisition/dose_check.h"
#include "core/timing/exposure_model.h"

#include <QDateTime>

namespace scopesync::core::acquisition {

using namespace std::chrono_literals;

ImageIntent ImageIntent::fromPlan(const timing::PlanAction &capture, std::chrono::microseconds delay)
{
    ImageIntent intent;
    intent.continuousLight = capture.underContinuousLight;
    intent.delay = capture.underContinuousLight ? 0us : delay;
    intent.lights = capture.underContinuousLight ? continuousLights(capture.flashes, 0us)
                                                 : strobePulses(capture.flashes, delay);
    intent.label = capture.label;
    intent.filter = capture.filter;
    intent.frameIndex = capture.frameIndex;
    intent.stepPath = capture.stepPath;
    intent.iterations = capture.iterations;
    return intent;
}

std::vector<LedPulse> strobePulses(
    const std::vector<protocol::Flash> &flashes, std::chrono::microseconds delay)
{
    std::vector<LedPulse> pulses;
    pulses.reserve(flashes.size());
    for (const auto &f : flashes)
        pulses.push_back({f.led, delay, f.duration, f.intensityPerMille});
    return pulses;
}

std::vector<LedPulse> continuousLights(
    const std::vector<protocol::Flash> &flashes, std::chrono::microseconds duration)
{
    std::vector<LedPulse> lights;
    lights.reserve(flashes.size());
    for (const auto &f : flashes)
        lights.push_back({f.led, std::chrono::microseconds(0), duration, f.intensityPerMille});
    return lights;
}

QString channelName(const std::vector<LedPulse> &lights)
{
    QStringList names;
    for (const auto &l : lights)
        names << l.led;
    return names.isEmpty() ? QStringLiteral("dark") : names.join(u'+');
}

std::optional<RigDescription::Span> allRowsExposing(
    const RigDescription &rig, std::chrono::microseconds exposure)
{
    if (rig.allRowsExposing)
        return rig.allRowsExposing;
    const timing::SensorInfo *sensor = rig.sensorInfo();
    const timing::SensorMode *mode = sensor ? sensor->findMode(rig.modeWidth, rig.modeHeight) : nullptr;
    if (!mode || exposure <= std::chrono::microseconds(0))
        return std::nullopt;
    const timing::ExposureModel model(sensor->shutter, *mode, timing::Micros(exposure));
    const auto us = [](timing::Micros t) { return std::chrono::microseconds(std::llround(t.count())); };
    return RigDescription::Span {us(model.rowWindow(model.rows() - 1).start), us(model.rowWindow(0).end)};
}

storage::ImageRecord buildImageRecord(const RigDescription &rig, const ImageIntent &intent, const Shot &shot,
    const StrobeStats &stats, const InstrumentState &instrument)
{
    const CapturedFrame &frame = shot.frame;
    storage::ImageRecord rec;
    rec.channelName = channelName(intent.lights);
    rec.label = intent.label;
    rec.filter = intent.filter;
    rec.filterInPlace = instrument.filterInPlace;
    rec.focusSteps = instrument.focusSteps;
    rec.temperatureKelvin = instrument.temperatureKelvin;
    rec.setPointKelvin = instrument.setPointKelvin;
    rec.exposureUs = double(frame.exposure.count());
    rec.analogueGain = frame.analogueGain;
    rec.sensorId = rig.sensor;
    rec.sensorMode = QStringLiteral("%1x%2").arg(rig.modeWidth).arg(rig.modeHeight);
    rec.flashDelayUs = double(intent.delay.count());
    for (const auto &l : intent.lights)
        rec.intensityPerMille.insert(l.led, l.intensityPerMille);
    rec.frameIndex = intent.frameIndex;
    rec.retake = intent.retake;
    rec.planStepPath = intent.stepPath;
    rec.iterationIndices = intent.iterations;
    rec.frameTimestampNs = toNs(frame.exposureStart);
    rec.wallClock
        = QDateTime::fromMSecsSinceEpoch(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             monotonicToRealtime(frame.exposureStart).time_since_epoch())
                                             .count(),
            Qt::UTC);
    rec.missedPulses = int(stats.missed);
    rec.rejectedPulses = int(stats.rejected);
    if (shot.event) {
        const StrobeEvent &ev = *shot.event;
        // Each LED's on edge with the first off edge of the same line at or after it.
        for (const auto &on : ev.edges) {
            if (!on.active)
                continue;
            for (const auto &off : ev.edges) {
                if (off.line == on.line && !off.active && off.measured >= on.measured) {
                    rec.ledEdges.append({on.line, (on.measured - ev.triggerTime).count(),
                        (off.measured - ev.triggerTime).count()});
                    break;
                }
            }
        }
        rec.extra.append({QStringLiteral("trigger_sequence"), QString::number(ev.triggerSequence)});
        rec.extra.append({QStringLiteral("trigger_time_ns"), QString::number(toNs(ev.triggerTime))});
        if (ev.clipped)
            rec.extra.append({QStringLiteral("flash_clipped_to_safety_limit"), QStringLiteral("true")});
        if (!intent.continuousLight) {
            rec.doseProblems = doseProblems(intent.lights, rec.ledEdges)
                + writeTimeProblems(intent.lights, ev.edges)
                + strayLightProblems(shot.strayLight, frame.exposureStart);
            if (const auto span = allRowsExposing(rig, frame.exposure))
                rec.doseProblems += windowProblems(intent.lights, rec.ledEdges, span->start, span->end);
        }
    }
    if (intent.continuousLight)
        rec.extra.append({QStringLiteral("illumination"), QStringLiteral("continuous")});
    rec.extra.append({QStringLiteral("trigger_mode"), triggerModeName(rig.trigger)});
    rec.extra.append({QStringLiteral("camera_sequence"), QString::number(frame.sequence)});
    if (frame.syncReady)
        rec.extra.append({QStringLiteral("camera_sync_ready"),
            *frame.syncReady ? QStringLiteral("true") : QStringLiteral("false")});
    return rec;
}

}  // namespace scopesync::core::acquisition
