// LeadTimePolicy: how far ahead the leader sets T, from the measured broker fan-out latency.
#pragma once

#include <chrono>
#include <vector>

namespace scopesync::core::fleet {

struct LeadTimeChoice {
    std::chrono::milliseconds lead {0};
    std::chrono::nanoseconds p99RoundTrip {0};  // of the samples the choice was made from
    int samples = 0;
    bool floored = false;  // the floor, not the measurement, set the lead
};

// lead = p99(round trip) × safetyFactor + margin, at least `floor`. A round trip (leader → broker →
// follower → broker → leader) bounds the one-way fan-out from above without trusting the clocks; the
// margin covers the follower's own preparation (arming the frame, waking before T).
struct LeadTimePolicy {
    double safetyFactor = 3.0;
    std::chrono::milliseconds margin {200};
    std::chrono::milliseconds floor {500};

    [[nodiscard]] LeadTimeChoice choose(std::vector<std::chrono::nanoseconds> roundTrips) const;
};

}  // namespace scopesync::core::fleet
