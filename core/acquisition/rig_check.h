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

// A camera this machine offers, as the first-run dialog lists it: where it was found, what it offers,
// and the rig-file entry that uses it.
struct CameraOffer {
    QString backend;  // "libcamera" or "Qt Multimedia"
    QString name;  // "imx477", "HD USB Camera"
    QString detail;  // what it offers, or why ScopeSync cannot use it
    QString rigFileEntry;  // "\"sensor\": \"imx477\"" or a "camera" object; empty when it cannot be used
};

// The stable name used in JSON: "ok", "warning", "problem", "skipped".
QString checkStatusName(CheckStatus status);

}  // namespace scopesync::core::acquisition
