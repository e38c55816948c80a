// UniformityScorer: how evenly one frame was lit by a flash, and which edge is dark (too early / too late).
#pragma once

#include "core/analysis/illumination_fit.h"
#include "core/analysis/row_profile.h"
#include "core/common/image.h"

#include <QString>

#include <optional>

namespace scopesync::core::analysis {

// Where the flash landed against the rows' exposure windows (DOMAIN.md §3).
enum class FlashTiming {
    Inside,  // every row received the whole flash
    TooEarly,  // the last sensor rows had not started exposing when the flash began
    TooLate,  // the first sensor rows had stopped exposing before the flash ended
    Both,  // the exposure is too short for this flash: both ends are dark
    Dimmed,  // global shutter: every row lost the same part of the flash
};

// Which edge of the image (after flips) is dark.
enum class ImageEdge { None, Top, Bottom, Both };

QString flashTimingName(FlashTiming t);  // "inside", "too-early", "too-late", "both", "dimmed"
QString imageEdgeName(ImageEdge e);  // "none", "top", "bottom", "both"

struct ScoringGeometry {
    double rampRows = 0;  // flash / line time: rows over which a band fades (0 or ∞: global shutter)
    bool vflip = false;
    bool hflip = false;  // does not change a row's light; kept so callers state the full orientation
    double blackLevel = -1;  // < 0: the Pi's raw black level for the image's bit depth
    double toleranceRows = 3;  // knees this close to an end count as fully lit (noise of the fit)
    double levelTolerance = 0.01;  // global shutter: a plateau this far below the reference is dimmed
};

struct UniformityScore {
    double uniformity = 0;  // 0–1: darkest band / brightest band of 32, light only (sample cancelled)
    double litFraction = 0;  // fraction of rows that received the whole flash
    double level = 0;  // plateau relative to the reference (1 = as bright), or the raw plateau in DN
    FlashTiming timing = FlashTiming::Inside;
    ImageEdge darkEdge = ImageEdge::None;
    double rowsMissedEarly = 0;  // sensor rows at the end short of light (too early)
    double rowsMissedLate = 0;  // sensor rows at the start short of light (too late)
    bool referenced = false;  // scored against a fully lit reference (precise) or a fitted background
    BandFit fit;
};

class UniformityScorer {
public:
    explicit UniformityScorer(ScoringGeometry geometry) : m_geometry(geometry) { }

    // From one frame alone: the sample's vignetting is fitted as an even quadratic, thin bright lines are
    // removed with a running median; good to a few tens of rows.
    [[nodiscard]] UniformityScore score(const Image16 &image) const;
    // Against the row profile of the same sample fully lit (same flash, same settings): the sample's
    // structure cancels row by row; good to about a row.
    [[nodiscard]] UniformityScore score(const Image16 &image, const RowProfile &reference) const;
    // The same on profiles already measured (RowProfile::measure with this geometry's vflip).
    [[nodiscard]] UniformityScore scoreProfile(
        const RowProfile &profile, const RowProfile *reference = nullptr) const;

    [[nodiscard]] RowProfile profileOf(const Image16 &image) const;
    [[nodiscard]] const ScoringGeometry &geometry() const { return m_geometry; }

private:
    ScoringGeometry m_geometry;
};

}  // namespace scopesync::core::analysis
