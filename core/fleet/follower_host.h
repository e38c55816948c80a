// FollowerHost: what a fleet follower needs from its machine besides the rig — its reply channel, its
// clock's state, a real-time priority for the hand-off, and a place for operator messages.
#pragma once

#include "core/fleet/fleet_messages.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace scopesync::core::fleet {

// Held while a thread runs at a raised priority; the old priority comes back when it is destroyed.
class PriorityBoost {
public:
    virtual ~PriorityBoost() = default;
};

class FollowerHost {
public:
    virtual ~FollowerHost() = default;
    // Publishes on this follower's reply topic (result, refusal, pong). Any thread.
    virtual void publishReply(const QByteArray &payload) = 0;
    // How well this machine's clock is synchronised, read just before firing.
    [[nodiscard]] virtual ClockState clockState() const = 0;
    // Raises the calling thread to SCHED_FIFO `priority` until the boost is destroyed; the boost does
    // nothing where real-time scheduling is not permitted.
    virtual std::unique_ptr<PriorityBoost> raisePriority(int priority) = 0;
    // One line for the operator (stderr in `scopesync follow`).
    virtual void log(const QString &line) = 0;
};

}  // namespace scopesync::core::fleet
