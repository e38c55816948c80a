// FleetTopics: the MQTT topic names of one fleet, which the broker's ACL file is written against.
#pragma once

#include "core/common/result.h"

#include <QString>

namespace scopesync::core::fleet {

// scopesync/<fleet>/command           leader → all followers (only the leader account may write)
// scopesync/<fleet>/status/<follower> retained online/offline status (the last will sets offline)
// scopesync/<fleet>/reply/<follower>  results, refusals and pongs of one follower
class FleetTopics {
public:
    // Fleet and follower names are topic levels: 1–64 characters of A–Z a–z 0–9 _ - . (no / + #).
    static Result<FleetTopics> forFleet(const QString &fleet);
    static bool isValidName(const QString &name);

    [[nodiscard]] QString command() const { return m_root + QStringLiteral("/command"); }
    [[nodiscard]] QString status(const QString &follower) const
    {
        return m_root + QStringLiteral("/status/") + follower;
    }
    [[nodiscard]] QString reply(const QString &follower) const
    {
        return m_root + QStringLiteral("/reply/") + follower;
    }
    [[nodiscard]] QString allStatus() const { return m_root + QStringLiteral("/status/+"); }
    [[nodiscard]] QString allReplies() const { return m_root + QStringLiteral("/reply/+"); }
    // The follower a status or reply topic belongs to; empty if the topic is not one of them.
    [[nodiscard]] QString followerOf(const QString &topic) const;

private:
    explicit FleetTopics(QString root) : m_root(std::move(root)) { }
    QString m_root;
};

}  // namespace scopesync::core::fleet
