#include "core/timing/interval_error.h"

#include <algorithm>
#include <cmath>

namespace scopesync::core::timing {

namespace {
// Nearest-rank percentile of sorted values.
double at(const std::vector<double> &sorted, double q)
{
    return sorted[std::size_t(std::lround(q * double(sorted.size() - 1)))];
}
}  // namespace

IntervalError intervalError(const std::vector<MonoTime> &stamps)
{
    IntervalError e;
    if (stamps.size() < 2)
        return e;
    std::vector<double> intervals;
    intervals.reserve(stamps.size() - 1);
    for (std::size_t i = 1; i < stamps.size(); ++i)
        intervals.push_back(std::chrono::duration<double, std::milli>(stamps[i] - stamps[i - 1]).count());
    std::vector<double> sorted = intervals;
    std::sort(sorted.begin(), sorted.end());
    e.intervals = int(intervals.size());
    e.medianIntervalMs = at(sorted, 0.5);
    std::vector<double> errors;
    errors.reserve(intervals.size());
    for (const double i : intervals)
        errors.push_back(std::abs(i - e.medianIntervalMs));
    std::sort(errors.begin(), errors.end());
    e.p50 = at(errors, 0.5);
    e.p90 = at(errors, 0.9);
    e.p99 = at(errors, 0.99);
    e.max = errors.back();
    return e;
}

}  // namespace scopesync::core::timing
