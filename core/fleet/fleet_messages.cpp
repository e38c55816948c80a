// The fleet's message types (schema scopesync.fleet/1): commands, results, refusals, pongs, status.
#include "core/fleet/fleet_messages.h"

namespace scopesync::core::fleet {

QString ClockState::sourceName(Source s)
{
    switch (s) {
    case Source::Chrony: return QStringLiteral("chrony");
    case Source::Ptp: return QStringLiteral("ptp");
    case Source::Unsynchronised: break;
    }
    return QStringLiteral("unsynchronised");
}

std::optional<ClockState::Source> ClockState::sourceFromName(const QString &name)
{
    for (auto s : {Source::Chrony, Source::Ptp, Source::Unsynchronised})
        if (sourceName(s) == name)
            return s;
    return std::nullopt;
}

Command Command::forFollower(const QString &follower) const
{
    Command c = *this;
    if (const auto it = atByFollower.find(follower); it != atByFollower.end())
        c.at = it->second;
    c.atByFollower.clear();
    return c;
}

QString Refusal::reasonName(Reason r)
{
    switch (r) {
    case Reason::Malformed: return QStringLiteral("malformed");
    case Reason::Past: return QStringLiteral("past");
    case Reason::TooFarAhead: return QStringLiteral("too-far-ahead");
    case Reason::Duplicate: return QStringLiteral("duplicate");
    case Reason::Busy: return QStringLiteral("busy");
    case Reason::Unsupported: return QStringLiteral("unsupported");
    case Reason::Invalid: return QStringLiteral("invalid");
    case Reason::Failed: break;
    }
    return QStringLiteral("failed");
}

}  // namespace scopesync::core::fleet
