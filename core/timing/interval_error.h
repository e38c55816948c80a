// How evenly a camera's frame timestamps are spaced: each frame interval's distance from the median
// interval. A free-running camera's LED timing is predicted from these timestamps, so their error is the
// error of every predicted flash.
#pragma once

#include "core/common/clocks.h"

#include <vector>

namespace scopesync::core::timing {

struct IntervalError {
    int intervals = 0;
    double medianIntervalMs = 0;
    // Percentiles of |interval − median interval|, ms (nearest rank).
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
};

// From timestamps in the order the frames came; zeros with fewer than two.
[[nodiscard]] IntervalError intervalError(const std::vector<MonoTime> &stamps);

}  // namespace scopesync::core::timing
