// One finding of a rig check (the rig doctor): what was checked, what was found and the exact fix when it
// is a problem. In core so that the GUI can show findings without including hal.
#pragma once

#include <QJsonObject>
#include <QString>

namespace scopesync::core::acquisition {

enum class CheckStatus { Ok, Warning, Problem, Skipped };

struct RigCheck {
    QString id;  // stable key for --json: "camera", "trigger_mode", "gpiochip" …
    QString title;  // "camera present"
    CheckStatus status = CheckStatus::Ok;
    QString detail;  // what was found
    QString fix;  // the command or file edit that fixes it (empty when ok)

    [[nodiscard]] QJsonObject toJson() const;
};

// The stable name used in JSON: "ok", "warning", "problem", "skipped".
QString checkStatusName(CheckStatus status);

}  // namespace scopesync::core::acquisition
