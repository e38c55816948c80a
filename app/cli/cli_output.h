// Shared command-line conventions: exit codes, printing to stdout/stderr, JSON output.
#pragma once

#include "core/common/diagnostics.h"

#include <QJsonObject>
#include <QString>

namespace scopesync::app {

// Exit codes of every subcommand.
enum ExitCode : int {
    kExitOk = 0,
    kExitInvalidInput = 1,  // the input (file, values) is wrong: the message says which and how to fix it
    kExitUsage = 2,  // the command line itself is wrong
    kExitRuntime = 3,  // the run started but stopped on a fault (disk, camera, signal)
    kExitDoseError = 4,  // --strict: the run completed, but some image's measured light differs from its plan
};

// Text for a terminal: control characters other than newline and tab (ESC, CSI, BEL, …) from a label or
// a file name are shown as \xHH, so they cannot recolour, move the cursor or retitle the terminal.
QString terminalSafe(const QString &text);

// "1 image", "2 images": a count with its noun in the right number.
QString counted(qint64 n, const QString &singular, const QString &plural);

// Both print terminalSafe(text).
void printOut(const QString &text);
void printErr(const QString &text);
// JSON stays valid: the serializer escapes C0 controls, C1 controls are written as \u00HH.
void printJson(const QJsonObject &object);
// One line per diagnostic on stderr, prefixed with the file it came from.
void printDiagnostics(const QString &file, const core::Diagnostics &diagnostics);

}  // namespace scopesync::app
