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
};

void printOut(const QString &text);
void printErr(const QString &text);
void printJson(const QJsonObject &object);
// One line per diagnostic on stderr, prefixed with the file it came from.
void printDiagnostics(const QString &file, const core::Diagnostics &diagnostics);

}  // namespace scopesync::app
