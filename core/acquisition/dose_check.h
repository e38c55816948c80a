// The light an image actually received, judged against the light planned for it.
#pragma once

#include "core/acquisition/ports.h"
#include "core/acquisition/strobed_capture.h"
#include "core/storage/image_record.h"

#include <QList>
#include <QStringList>

#include <chrono>
#include <vector>

namespace scopesync::core::acquisition {

// How far measured edges may stray before an image is flagged. The strobe engine's edges land within
// tens of µs (bench_strobe_timing); an edge driven a millisecond late, or a flash cut by a few per cent,
// changes the image (dose ∝ length, and the planned interval is the one inside the window where every
// row exposes).
struct DoseTolerance {
    double lengthFraction = 0.02;  // of the planned length
    std::chrono::microseconds lengthFloor {100};  // for short flashes
    std::chrono::microseconds edgeShift {1000};  // an on or off edge this far from its plan
};

// One sentence per problem ("red flash 66.3 ms, planned 80.0 ms: dose ×0.83"); empty when every planned
// flash was measured at its length and place and nothing else was lit. `measured` is relative to the
// frame's trigger edge, as in the image's record.
QStringList doseProblems(const std::vector<LedPulse> &planned, const QList<storage::LedEdge> &measured,
    const DoseTolerance &tolerance = {});

// One sentence per flash that was planned inside [allRowsExposing.start, .end] (relative to the trigger
// edge: the span in which every row is exposing) and whose measured light began before it or ended after
// it by more than the flash's length tolerance: the rows at that end of the frame received less light
// than the others. A flash planned outside the span is the rig's delay, which the run warned of before
// it began, not this frame's fault.
QStringList windowProblems(const std::vector<LedPulse> &planned, const QList<storage::LedEdge> &measured,
    std::chrono::microseconds exposingStart, std::chrono::microseconds exposingEnd,
    const DoseTolerance &tolerance = {});

// One sentence per flash of an earlier image whose light reached this frame after its row 0 began to
// expose (longer than the length floor): the frame holds another image's light, whatever its own flash.
// One sentence per LED edge whose line write took longer than its flash's length tolerance (2 % of the
// planned length, at least the floor): the light's start or end is known only to within that time (the
// thread stalled inside the write), so this image's dose cannot be trusted.
QStringList writeTimeProblems(const std::vector<LedPulse> &planned, const std::vector<DrivenEdge> &edges,
    const DoseTolerance &tolerance = {});

QStringList strayLightProblems(
    const std::vector<StrayLight> &stray, MonoTime rowZeroStart, const DoseTolerance &tolerance = {});

}  // namespace scopesync::core::acquisition
