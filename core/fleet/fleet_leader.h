// FleetLeader: the leader's side of a fleet — follower status, round trips, one command and its answers.
// Shared by `scopesync fleet` and the GUI's fleet panel. Blocking: call it from one thread (not the GUI's).
#pragma once

#include "core/fleet/fleet_link.h"
#include "core/fleet/fleet_messages.h"
#include "core/fleet/fleet_topics.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace scopesync::core::fleet {

struct CommandOutcome {
    std::map<QString, CaptureResult> results;  // by follower
    std::map<QString, Refusal> refusals;
    QStringList missing;  // targets that answered neither by the deadline
    std::chrono::nanoseconds publishAck {0};  // publish → the broker's acknowledgement
    std::chrono::nanoseconds lastAnswer {0};  // publish → the last target's answer
};

class FleetLeader {
public:
    FleetLeader(std::unique_ptr<FleetLink> link, FleetTopics topics);
    ~FleetLeader();
    FleetLeader(const FleetLeader &) = delete;
    FleetLeader &operator=(const FleetLeader &) = delete;

    // Subscribes to every follower's status and replies.
    Status start();
    // Collects retained and live status messages for `wait`.
    void collectStatus(std::chrono::milliseconds wait);
    [[nodiscard]] const std::map<QString, FollowerStatus> &followers() const { return m_followers; }
    [[nodiscard]] QStringList online() const;

    // Ping rounds: each ping's round trip (leader → broker → follower → broker → leader), one sample per
    // target that answered within `perRound`.
    std::vector<std::chrono::nanoseconds> measureRoundTrips(
        const QStringList &targets, int rounds, std::chrono::milliseconds perRound = std::chrono::seconds(2));

    // Publishes `command` and waits for a result or refusal from every target, at most `wait` after
    // publishing. An error only when the broker did not take the command.
    Result<CommandOutcome> execute(
        const Command &command, const QStringList &targets, std::chrono::nanoseconds wait);

    void disconnect();
    // From any thread: every wait in progress or to come returns within 50 ms (a window closing).
    void cancel() { m_cancelled = true; }
    [[nodiscard]] bool cancelled() const { return m_cancelled; }

    // "c1718000000000-1a2b3c": prefix, epoch milliseconds, 24 random bits.
    static QString newId(const QString &prefix);

private:
    // Hands every delivered message to `take` until `done` or the steady-clock `deadline`.
    void drainUntil(MonoTime deadline, const std::function<void(const FleetMessage &, MonoTime)> &take,
        const std::function<bool()> &done);

    std::unique_ptr<FleetLink> m_link;
    FleetTopics m_topics;
    std::map<QString, FollowerStatus> m_followers;
    std::atomic<bool> m_cancelled {false};

    std::mutex m_mutex;  // the inbox: link thread → caller
    std::condition_variable m_cv;
    std::deque<std::pair<FleetMessage, MonoTime>> m_inbox;
};

}  // namespace scopesync::core::fleet
