// One finding of the rig doctor: what was checked, what was found and the exact fix when it is a problem.
#include "hal/doctor/doctor_check.h"

namespace scopesync::hal::doctor {

QString statusName(CheckStatus status)
{
    switch (status) {
    case CheckStatus::Ok: return QStringLiteral("ok");
    case CheckStatus::Warning: return QStringLiteral("warning");
    case CheckStatus::Problem: return QStringLiteral("problem");
    case CheckStatus::Skipped: return QStringLiteral("skipped");
    }
    return {};
}

QJsonObject DoctorCheck::toJson() const
{
    QJsonObject o {{QStringLiteral("id"), id}, {QStringLiteral("title"), title},
        {QStringLiteral("status"), statusName(status)}, {QStringLiteral("detail"), detail}};
    if (!fix.isEmpty())
        o.insert(QStringLiteral("fix"), fix);
    return o;
}

}  // namespace scopesync::hal::doctor
