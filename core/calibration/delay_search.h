// DelaySearch: finds both edges of the valid flash-delay window in a handful of frames, guided by the model.
#pragma once

#include "core/analysis/row_profile.h"
#include "core/calibration/calibration_request.h"
#include "core/calibration/calibration_result.h"

namespace scopesync::core::calibration {

// What the search reports after every frame, so a wizard can show the frame, its score and the window
// closing in.
struct SearchProgress {
    int frame = 0;  // 1-based
    Micros delay {0};
    QString phase;
    const Image16 *image = nullptr;  // valid only during the callback
    analysis::UniformityScore score;  // against the reference known so far (none for the first frame)
    Micros windowStart {0};  // the current estimate
    Micros windowEnd {0};
    bool startMeasured = false;  // false: still the model's prediction
    bool endMeasured = false;
};

// Returning false stops the search (the wizard's Cancel).
using ProgressFn = std::function<bool(const SearchProgress &)>;

// A banded frame tells how many rows missed the flash, hence how far its delay is from the edge
// (rows × line time): one frame per edge suffices. The search takes (1) a frame at the predicted
// centre as the fully lit reference, (2) one frame deliberately early and one deliberately late, far
// enough for a long ramp of partly lit rows, measuring each edge, (3) one frame just inside each
// edge and one just outside to check it, then re-scores everything against the mean of the frames found
// inside. A check that disagrees is taken as evidence and the edges are checked again; a window the frames
// keep disagreeing about is refused.
class DelaySearch {
public:
    explicit DelaySearch(CalibrationRequest request) : m_request(std::move(request)) { }

    // Errors: an infeasible window (before any frame), a failed measurement, a frame with no light,
    // a stop from the progress callback.
    Result<CalibrationResult> run(const MeasureFn &measure, const ProgressFn &progress = {});

private:
    struct Sample {
        Micros delay {0};  // asked
        Micros on {0};  // as driven
        Micros off {0};
        QString phase;
        analysis::RowProfile profile;
        analysis::UniformityScore alone;  // scored on its own (row medians, fitted background)
    };
    Result<const Sample *> take(
        Micros delay, const QString &phase, const MeasureFn &measure, const ProgressFn &progress);
    [[nodiscard]] analysis::UniformityScore scoreOf(const Sample &s) const;
    // Step 2 for one edge: frames `step` beyond it until one shows the edge (kMaxAttempts), then estimate().
    Status probeEdge(bool early, Micros step, const MeasureFn &measure, const ProgressFn &progress);
    // Re-estimates both edges from every banded frame (median of their estimates), leaving out estimates
    // an evenly lit frame contradicts (counted in m_contradicted).
    void estimate();
    // The mean of the frames inside the window becomes the reference; then estimate().
    void rereference();
    // µs of flash timing the scorer still calls evenly lit (toleranceRows lines, or levelTolerance of the
    // flash for a global shutter).
    [[nodiscard]] double forgivenUs() const;
    // How far a frame must be from an edge before it can contradict it.
    [[nodiscard]] double contradictionSlackUs() const;
    // Evenly lit against the reference: the whole flash reached every row.
    [[nodiscard]] bool evenlyLit(const Sample &s, const analysis::UniformityScore &sc) const;
    // Global shutter: µs of the sample's flash that fell outside the exposure. Its level is scaled by the
    // reference's driven flash, so a reference flash the strobe drove long does not dim every other frame.
    [[nodiscard]] double globalLostUs(const Sample &s, const analysis::UniformityScore &sc) const;
    [[nodiscard]] bool globalDimmed(const Sample &s, const analysis::UniformityScore &sc) const;

    CalibrationRequest m_request;
    std::vector<Sample> m_samples;
    std::optional<analysis::RowProfile> m_reference;
    Micros m_referenceFlash {0};  // the mean driven flash of the frames behind m_reference
    Micros m_start {0};
    Micros m_end {0};
    bool m_startMeasured = false;
    bool m_endMeasured = false;
    int m_contradicted = 0;
    QStringList m_disagreements;  // the checks of step 3 that failed, in words
};

}  // namespace scopesync::core::calibration
