// FiringStatistics: the leader's summary of firing errors (measured edge − T) across followers.
#pragma once

#include "core/fleet/fleet_messages.h"

#include <QJsonObject>

#include <vector>

namespace scopesync::core::fleet {

struct FiringSummary {
    int count = 0;
    std::chrono::nanoseconds p50 {0};  // of the signed error
    std::chrono::nanoseconds p99 {0};
    std::chrono::nanoseconds min {0};
    std::chrono::nanoseconds max {0};
    std::chrono::nanoseconds absP50 {0};  // of |error|
    std::chrono::nanoseconds absP99 {0};
    std::chrono::nanoseconds absMax {0};
    std::chrono::nanoseconds spread {0};  // max − min: how far apart the earliest and latest edges were
    [[nodiscard]] QJsonObject toJson() const;
};

class FiringStatistics {
public:
    void add(const QString &follower, std::chrono::nanoseconds error);
    void add(const CaptureResult &r) { add(r.follower, r.firingError()); }
    [[nodiscard]] FiringSummary summary() const;
    [[nodiscard]] int count() const { return int(m_errors.size()); }

    // Nearest-rank percentile (p in 0–100) of sorted values; 0 for an empty list.
    static std::chrono::nanoseconds percentile(const std::vector<std::chrono::nanoseconds> &sorted, double p);

private:
    std::vector<std::pair<QString, std::chrono::nanoseconds>> m_errors;
};

}  // namespace scopesync::core::fleet
