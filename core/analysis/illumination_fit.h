// IlluminationFit: fits the rolling-shutter banding shape (plateau with linear ramps) to a row profile.
#pragma once

#include "core/analysis/row_profile.h"

namespace scopesync::core::analysis {

// The fitted light of one frame, in sensor rows. Rows in [firstLitRow, lastLitRow] received the whole
// flash; outside, the received fraction falls by 1/rampRows per row (rampRows = flash / line time).
struct BandFit {
    double firstLitRow = 0;  // > 0: the first rows stopped exposing before the flash ended (too late)
    double lastLitRow = 0;  // < rows−1: the last rows started after the flash began (too early)
    double level = 1;  // the plateau: the fully lit rows' value (relative to the reference, or background)
    std::vector<double> background;  // {c0, 0, c2}: c0 + c2·u², u = row/rows − 0.5 (level = c0)
    double rmsResidual = 0;
};

// How the knees are searched: every candidate evaluated, or only those a cheap bound cannot rule out
// (the same knees for a fraction of the work; Exhaustive is the reference it is tested against).
enum class KneeSearch { Screened, Exhaustive };

class IlluminationFit {
public:
    // `profile` in sensor order. `polyDegree` 0 when the profile is a ratio to a fully lit reference
    // (the plateau is flat), 2 when it is raw (the sample's vignetting is fitted as an even quadratic).
    static BandFit fit(
        const RowProfile &profile, double rampRows, int polyDegree, KneeSearch search = KneeSearch::Screened);

    // Fraction of the flash row `row` receives for the given knees (the model the fit uses).
    static double lightAt(double row, double firstLitRow, double lastLitRow, double rampRows);
};

}  // namespace scopesync::core::analysis
