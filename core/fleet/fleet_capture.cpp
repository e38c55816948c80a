// FleetCapture: the leader's one capture flow — ping, choose the lead, send, collect the replies.
#include "core/fleet/fleet_capture.h"

#include "core/fleet/message_codec.h"

#include <QJsonArray>

#include <algorithm>

namespace scopesync::core::fleet {

QJsonObject CaptureReport::toJson() const
{
    QJsonArray rows;
    for (const QString &f : targets) {
        if (auto it = outcome.results.find(f); it != outcome.results.end()) {
            rows.append(MessageCodec::toJson(it->second));
        } else if (auto rf = outcome.refusals.find(f); rf != outcome.refusals.end()) {
            rows.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("refused")},
                {QStringLiteral("follower"), f},
                {QStringLiteral("reason"), Refusal::reasonName(rf->second.reason)},
                {QStringLiteral("message"), rf->second.message}});
        }
    }
    QJsonObject leadJson;
    leadJson.insert(QStringLiteral("fixed"), leadFixed);
    leadJson.insert(
        QStringLiteral("p99_round_trip_us"), static_cast<double>(choice.p99RoundTrip.count()) / 1000.0);
    leadJson.insert(QStringLiteral("samples"), choice.samples);
    leadJson.insert(QStringLiteral("floored"), choice.floored);
    QJsonObject out;
    out.insert(QStringLiteral("id"), command.id);
    out.insert(QStringLiteral("at_ns"), QString::number(toNs(command.at)));
    out.insert(QStringLiteral("lead_ms"), static_cast<double>(lead.count()));
    out.insert(QStringLiteral("lead"), leadJson);
    out.insert(QStringLiteral("publish_ack_us"), static_cast<double>(outcome.publishAck.count()) / 1000.0);
    out.insert(QStringLiteral("last_answer_ms"), static_cast<double>(outcome.lastAnswer.count()) / 1e6);
    out.insert(QStringLiteral("targets"), QJsonArray::fromStringList(targets));
    if (plan) {
        out.insert(QStringLiteral("slot_ms"), static_cast<double>(interval.count()));
        out.insert(QStringLiteral("frames"), static_cast<double>(plan->frames));
        out.insert(QStringLiteral("run_s"), std::chrono::duration<double>(plan->end).count());
    }
    out.insert(QStringLiteral("replies"), rows);
    out.insert(QStringLiteral("missing"), QJsonArray::fromStringList(outcome.missing));
    out.insert(QStringLiteral("firing_error"), statistics.summary().toJson());
    return out;
}

using namespace std::chrono_literals;

Result<CaptureReport> FleetCapture::fail(Problem problem, Error error)
{
    m_problem = problem;
    return error;
}

Result<CaptureReport> FleetCapture::run(const CaptureRequest &request, const SendingFn &onSending)
{
    m_problem = Problem::None;
    CaptureReport r;
    r.targets = m_leader.online();
    if (r.targets.isEmpty())
        return fail(Problem::NoFollowerOnline, Error {QStringLiteral("no follower is online"), {}});

    // The lead from the measured fan-out, unless fixed.
    r.leadFixed = request.fixedLead || request.fixedAt;
    const auto rtts = r.leadFixed ? std::vector<std::chrono::nanoseconds> {}
                                  : m_leader.measureRoundTrips(r.targets, request.pings);
    r.choice = request.policy.choose(rtts);
    r.lead = request.fixedLead.value_or(r.choice.lead);

    // A run's timeline: one slot per image, the slowest follower's time per image unless given.
    r.interval = request.interval;
    if (request.parsedProtocol) {
        if (r.interval.count() == 0) {
            for (const QString &f : r.targets) {
                const auto &st = m_leader.followers().at(f);
                if (!st.imageTime)
                    return fail(Problem::NoImageTime,
                        Error {QStringLiteral("follower %1 does not say how long an image takes on its rig; "
                                              "give the slot per image")
                                   .arg(f),
                            f});
                r.interval = std::max(r.interval, *st.imageTime);
            }
        }
        auto summary = summarizeSchedule(*request.parsedProtocol, r.interval);
        if (!summary.ok())
            return fail(Problem::BadSchedule, summary.error());
        r.plan = summary.value();
    }

    Command &cmd = r.command;
    cmd.type = request.parsedProtocol ? Command::Type::Run : Command::Type::Capture;
    cmd.id = request.id.isEmpty() ? FleetLeader::newId(request.idPrefix) : request.id;
    cmd.issued = realtimeNow();
    cmd.at = request.fixedAt.value_or(cmd.issued + r.lead);
    cmd.interval = r.interval;
    cmd.protocol = request.protocol;
    for (int i = 0; i < (r.plan ? 0 : request.images); ++i) {
        FleetImage im;
        if (request.flash)
            im.pulses.push_back(*request.flash);
        cmd.images.push_back(im);
    }
    // Results (or refusals) until every target answered or T + the images' (or run's) span + timeout.
    r.wait = std::max<std::chrono::nanoseconds>(cmd.at - realtimeNow(), 0ns)
        + (r.plan ? r.plan->end : request.images * std::max<std::chrono::nanoseconds>(r.interval, 1s))
        + request.timeout;
    if (onSending)
        onSending(r);
    auto outcome = m_leader.execute(cmd, r.targets, r.wait);
    if (!outcome.ok())
        return fail(Problem::NotSent, outcome.error());
    r.outcome = std::move(outcome).value();
    for (const QString &f : r.targets)
        if (auto it = r.outcome.results.find(f); it != r.outcome.results.end())
            // A run without images has no edge to compare with T.
            if (it->second.ok && !it->second.edges.empty())
                r.statistics.add(it->second);
    return r;
}

}  // namespace scopesync::core::fleet
