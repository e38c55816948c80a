// FleetTopics: the MQTT topic names of one fleet, which the broker's ACL file is written against.
#include "core/fleet/fleet_topics.h"

#include <QRegularExpression>

namespace scopesync::core::fleet {

bool FleetTopics::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    return re.match(name).hasMatch();
}

Result<FleetTopics> FleetTopics::forFleet(const QString &fleet)
{
    if (!isValidName(fleet))
        return Error {
            QStringLiteral("'%1' is not a fleet name; use 1–64 letters, digits, '_', '-' or '.'").arg(fleet),
            QStringLiteral("--fleet")};
    return FleetTopics(QStringLiteral("scopesync/") + fleet);
}

QString FleetTopics::followerOf(const QString &topic) const
{
    for (const QString &kind : {QStringLiteral("/status/"), QStringLiteral("/reply/")}) {
        const QString prefix = m_root + kind;
        if (topic.startsWith(prefix)) {
            const QString name = topic.mid(prefix.size());
            return isValidName(name) ? name : QString();
        }
    }
    return {};
}

}  // namespace scopesync::core::fleet
