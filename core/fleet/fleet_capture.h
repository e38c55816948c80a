// FleetCapture: the leader's one capture flow — ping, choose the lead, send, collect the replies.
#pragma once

#include "core/fleet/firing_statistics.h"
#include "core/fleet/fleet_leader.h"
#include "core/fleet/fleet_schedule.h"
#include "core/fleet/lead_time_policy.h"
#include "core/protocol/protocol.h"

#include <QJsonObject>

#include <chrono>
#include <functional>
#include <optional>

namespace scopesync::core::fleet {

// What to capture, and the policy for when. The defaults are the GUI's capture: one image, T = now + a
// lead measured over five ping rounds, replies awaited until 10 s after the image's slot.
struct CaptureRequest {
    QString id;  // empty: FleetLeader::newId(idPrefix)
    QString idPrefix = QStringLiteral("c");
    int pings = 5;  // ping rounds measuring the round trips the lead is chosen from
    LeadTimePolicy policy;
    std::optional<std::chrono::milliseconds> fixedLead;  // instead of the measured lead
    std::optional<WallTime> fixedAt;  // an absolute T instead of now + lead
    // A capture: `images` images, each with `flash` when set. Ignored for a run.
    int images = 1;
    std::optional<FleetPulse> flash;
    // Between images; for a run the slot per image, 0: the slowest online follower's time per image.
    std::chrono::milliseconds interval {0};
    // A run: the protocol as sent, and as read (to lay out its timeline); unset for a capture.
    QByteArray protocol;
    std::optional<protocol::Protocol> parsedProtocol;
    // How long after the last image's slot (or the run's end) the replies are awaited.
    std::chrono::seconds timeout {10};
};

struct CaptureReport {
    QStringList targets;  // the followers online when the flow began
    LeadTimeChoice choice;  // from the measured round trips (no samples when the lead was fixed)
    std::chrono::milliseconds lead {0};
    bool leadFixed = false;  // fixedLead or fixedAt set T, not the measurement
    std::chrono::milliseconds interval {0};  // as sent (for a run: the slot chosen)
    std::optional<FleetScheduleSummary> plan;  // a run's timeline
    Command command;
    std::chrono::nanoseconds wait {0};  // how long the replies were awaited at most, from publishing
    CommandOutcome outcome;
    FiringStatistics statistics;  // over the targets that captured with at least one measured edge

    // The whole report as one JSON object (`scopesync fleet … --json`): the command, the lead and how it
    // was chosen, a run's timeline, every target's reply (result or refusal), who never answered, and the
    // firing-error statistics.
    [[nodiscard]] QJsonObject toJson() const;
};

// Shared by `scopesync fleet` and the GUI's FleetController, so both lead a fleet the same way.
class FleetCapture {
public:
    // Where a run() stopped short.
    enum class Problem {
        None,
        NoFollowerOnline,
        NoImageTime,  // a run without a slot, and a follower that does not say its time per image
        BadSchedule,  // the protocol cannot be laid out on the timeline
        NotSent,  // the broker did not take the command
    };
    // Called just before the command is published, with everything but the outcome filled in.
    using SendingFn = std::function<void(const CaptureReport &)>;

    // Borrows a started leader whose follower status has been collected.
    explicit FleetCapture(FleetLeader &leader) : m_leader(leader) { }

    // Blocking for the lead and the replies; FleetLeader::cancel() cuts the waits short.
    Result<CaptureReport> run(const CaptureRequest &request, const SendingFn &onSending = {});
    // Why the last run() failed (None after a success).
    [[nodiscard]] Problem problem() const { return m_problem; }

private:
    Result<CaptureReport> fail(Problem problem, Error error);

    FleetLeader &m_leader;
    Problem m_problem = Problem::None;
};

}  // namespace scopesync::core::fleet
