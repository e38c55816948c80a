// One finding of the rig doctor: what was checked, what was found and the exact fix when it is a problem.
#pragma once

#include <QJsonObject>
#include <QString>

namespace scopesync::hal::doctor {

enum class CheckStatus { Ok, Warning, Problem, Skipped };

struct DoctorCheck {
    QString id;  // stable key for --json: "camera", "trigger_mode", "gpiochip" …
    QString title;  // "camera present"
    CheckStatus status = CheckStatus::Ok;
    QString detail;  // what was found
    QString fix;  // the command or file edit that fixes it (empty when ok)

    [[nodiscard]] QJsonObject toJson() const;
};

QString statusName(CheckStatus status);

}  // namespace scopesync::hal::doctor
