// Admission: the follower's rules for which commands it acts on — time window and replay protection.
#include "core/fleet/admission.h"

namespace scopesync::core::fleet {

namespace {
QString seconds(std::chrono::nanoseconds d)
{
    return QString::number(std::chrono::duration<double>(d).count(), 'f', 3);
}
}  // namespace

std::optional<Refusal> Admission::check(const Command &command, WallTime now)
{
    Refusal r;
    r.id = command.id;
    if (m_seen.contains(command.id)) {
        r.reason = Refusal::Reason::Duplicate;
        r.message = QStringLiteral("command id '%1' was already handled; a replayed or repeated command is "
                                   "ignored — send a new id to capture again")
                        .arg(command.id);
        return r;
    }
    remember(command.id);
    if (command.type == Command::Type::Ping)
        return std::nullopt;
    const auto lead = command.at - now;
    if (lead < m_config.minLead) {
        r.reason = Refusal::Reason::Past;
        r.message = QStringLiteral("T is %1 s %2 this follower's clock; it must be at least %3 s ahead when "
                                   "the command arrives — use a longer lead or check the clocks")
                        .arg(seconds(lead < std::chrono::nanoseconds(0) ? -lead : lead),
                            lead < std::chrono::nanoseconds(0) ? QStringLiteral("behind")
                                                               : QStringLiteral("ahead of"),
                            seconds(m_config.minLead));
        return r;
    }
    if (lead > m_config.maxAhead) {
        r.reason = Refusal::Reason::TooFarAhead;
        r.message = QStringLiteral("T is %1 s ahead; the limit is %2 s — check the leader's clock or "
                                   "raise --max-ahead-s")
                        .arg(seconds(lead), seconds(m_config.maxAhead));
        return r;
    }
    return std::nullopt;
}

void Admission::remember(const QString &id)
{
    m_seen.insert(id);
    m_order.push_back(id);
    while (int(m_order.size()) > std::max(1, m_config.rememberIds)) {
        m_seen.remove(m_order.front());
        m_order.pop_front();
    }
}

}  // namespace scopesync::core::fleet
