// FleetLeader: follower status, round trips, one command and its answers.
#include "core/fleet/fleet_leader.h"

#include "core/fleet/message_codec.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSet>

namespace scopesync::core::fleet {

using namespace std::chrono_literals;

FleetLeader::FleetLeader(std::unique_ptr<FleetLink> link, FleetTopics topics)
    : m_link(std::move(link)), m_topics(std::move(topics))
{
}

FleetLeader::~FleetLeader()
{
    disconnect();
}

QString FleetLeader::newId(const QString &prefix)
{
    return QStringLiteral("%1%2-%3")
        .arg(prefix)
        .arg(QDateTime::currentMSecsSinceEpoch())
        .arg(QRandomGenerator::system()->generate() & 0xffffff, 6, 16, QLatin1Char('0'));
}

Status FleetLeader::start()
{
    m_link->setHandler([this](const FleetMessage &m) {
        const MonoTime at = monotonicNow();
        {
            const std::lock_guard lock(m_mutex);
            m_inbox.emplace_back(m, at);
        }
        m_cv.notify_all();
    });
    for (const QString &t : {m_topics.allStatus(), m_topics.allReplies()})
        if (auto st = m_link->subscribe(t); !st.ok())
            return st;
    return Ok {};
}

void FleetLeader::drainUntil(MonoTime deadline,
    const std::function<void(const FleetMessage &, MonoTime)> &take, const std::function<bool()> &done)
{
    while (!done() && !m_cancelled) {
        std::deque<std::pair<FleetMessage, MonoTime>> batch;
        {
            std::unique_lock lock(m_mutex);
            const auto left = deadline - monotonicNow();
            if (left <= 0ns)
                return;
            m_cv.wait_for(
                lock, std::min<std::chrono::nanoseconds>(left, 50ms), [&] { return !m_inbox.empty(); });
            batch.swap(m_inbox);
        }
        for (const auto &[m, at] : batch) {
            const QString who = m_topics.followerOf(m.topic);
            if (!who.isEmpty() && m.topic == m_topics.status(who)) {
                if (auto s = MessageCodec::decodeStatus(m.payload); s.ok())
                    m_followers[who] = s.value();
                continue;
            }
            if (take)
                take(m, at);
        }
    }
}

void FleetLeader::collectStatus(std::chrono::milliseconds wait)
{
    drainUntil(monotonicNow() + wait, {}, [] { return false; });
}

QStringList FleetLeader::online() const
{
    QStringList out;
    for (const auto &[name, s] : m_followers)
        if (s.online)
            out << name;
    return out;
}

std::vector<std::chrono::nanoseconds> FleetLeader::measureRoundTrips(
    const QStringList &targets, int rounds, std::chrono::milliseconds perRound)
{
    std::vector<std::chrono::nanoseconds> rtts;
    for (int r = 0; r < rounds && !m_cancelled; ++r) {
        Command ping;
        ping.type = Command::Type::Ping;
        ping.id = newId(QStringLiteral("ping"));
        ping.issued = realtimeNow();
        const MonoTime sent = monotonicNow();
        if (!m_link->publish(m_topics.command(), MessageCodec::encode(ping), false).ok())
            continue;
        QSet<QString> answered;
        drainUntil(
            sent + perRound,
            [&](const FleetMessage &m, MonoTime at) {
                auto reply = MessageCodec::decodeReply(m.payload);
                if (!reply.ok())
                    return;
                if (const auto *p = std::get_if<Pong>(&reply.value()); p && p->id == ping.id
                    && targets.contains(p->follower) && !answered.contains(p->follower)) {
                    answered.insert(p->follower);
                    rtts.push_back(at - sent);
                }
            },
            [&] { return answered.size() == targets.size(); });
    }
    return rtts;
}

Result<CommandOutcome> FleetLeader::execute(
    const Command &command, const QStringList &targets, std::chrono::nanoseconds wait)
{
    CommandOutcome out;
    const MonoTime sent = monotonicNow();
    if (auto st = m_link->publish(m_topics.command(), MessageCodec::encode(command), true); !st.ok())
        return st.error();
    out.publishAck = monotonicNow() - sent;
    drainUntil(
        sent + wait,
        [&](const FleetMessage &m, MonoTime at) {
            auto reply = MessageCodec::decodeReply(m.payload);
            if (!reply.ok())
                return;
            if (const auto *r = std::get_if<CaptureResult>(&reply.value()); r && r->id == command.id) {
                out.results[r->follower] = *r;
                out.lastAnswer = at - sent;
            } else if (const auto *f = std::get_if<Refusal>(&reply.value()); f && f->id == command.id) {
                out.refusals[f->follower] = *f;
                out.lastAnswer = at - sent;
            }
        },
        [&] {
            int answered = 0;
            for (const QString &t : targets)
                answered += out.results.contains(t) || out.refusals.contains(t) ? 1 : 0;
            return answered == targets.size();
        });
    for (const QString &t : targets)
        if (!out.results.contains(t) && !out.refusals.contains(t))
            out.missing << t;
    return out;
}

void FleetLeader::disconnect()
{
    if (m_link)
        m_link->disconnect();
}

}  // namespace scopesync::core::fleet
