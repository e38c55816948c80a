// One finding of a rig check (the rig doctor): what was checked, what was found and the exact fix when it
// is a problem.
#include "core/acquisition/rig_check.h"

namespace scopesync::core::acquisition {

QString checkStatusName(CheckStatus status)
{
    switch (status) {
    case CheckStatus::Ok: return QStringLiteral("ok");
    case CheckStatus::Warning: return QStringLiteral("warning");
    case CheckStatus::Problem: return QStringLiteral("problem");
    case CheckStatus::Skipped: return QStringLiteral("skipped");
    }
    return {};
}

QJsonObject RigCheck::toJson() const
{
    QJsonObject o {{QStringLiteral("id"), id}, {QStringLiteral("title"), title},
        {QStringLiteral("status"), checkStatusName(status)}, {QStringLiteral("detail"), detail}};
    if (!fix.isEmpty())
        o.insert(QStringLiteral("fix"), fix);
    return o;
}

}  // namespace scopesync::core::acquisition
