// Admission: the follower's rules for which commands it acts on — time window and replay protection.
#pragma once

#include "core/fleet/fleet_messages.h"

#include <QSet>

#include <deque>
#include <optional>

namespace scopesync::core::fleet {

struct AdmissionConfig {
    // T must be at least this far ahead when the command arrives: the follower needs it to wake, hand
    // the edge to the strobe thread and arm the frame. Less than that and the edge could only be late.
    std::chrono::milliseconds minLead {20};
    // T further ahead than this is refused: a mistyped or stale clock, not a plan.
    std::chrono::milliseconds maxAhead {60'000};
    // How many handled ids are remembered. Memory is bounded; a replay of an id already forgotten is
    // still refused as long as every id is remembered for longer than maxAhead, because by then its T
    // is in the past. With commands arriving at most every 10 ms, 8192 ids cover 80 s > 60 s.
    int rememberIds = 8192;
};

// Not thread-safe: one caller (the follower's receive path).
class Admission {
public:
    explicit Admission(AdmissionConfig config = {}) : m_config(config) { }

    // nullopt: act on it. A refusal carries the reason and a sentence for the leader's operator. Every
    // id checked (accepted or not) is remembered, so a replay is always answered "duplicate".
    std::optional<Refusal> check(const Command &command, WallTime now);

    [[nodiscard]] const AdmissionConfig &config() const { return m_config; }
    [[nodiscard]] int remembered() const { return int(m_order.size()); }

private:
    void remember(const QString &id);

    AdmissionConfig m_config;
    QSet<QString> m_seen;
    std::deque<QString> m_order;  // oldest first, for eviction
};

}  // namespace scopesync::core::fleet
