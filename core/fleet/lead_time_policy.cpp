// LeadTimePolicy: how far ahead the leader sets T, from the measured broker fan-out latency.
#include "core/fleet/lead_time_policy.h"

#include "core/fleet/firing_statistics.h"

#include <algorithm>
#include <cmath>

namespace scopesync::core::fleet {

LeadTimeChoice LeadTimePolicy::choose(std::vector<std::chrono::nanoseconds> roundTrips) const
{
    LeadTimeChoice c;
    c.samples = int(roundTrips.size());
    std::sort(roundTrips.begin(), roundTrips.end());
    c.p99RoundTrip = FiringStatistics::percentile(roundTrips, 99);
    const double ms = static_cast<double>(c.p99RoundTrip.count()) / 1e6 * safetyFactor
        + static_cast<double>(margin.count());
    const auto measured = std::chrono::milliseconds(static_cast<qint64>(std::ceil(ms)));
    c.floored = roundTrips.empty() || measured < floor;
    c.lead = c.floored ? floor : measured;
    return c;
}

}  // namespace scopesync::core::fleet
