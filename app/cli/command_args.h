// Helpers for subcommands: parse a QCommandLineParser, read typed option values with clear errors.
#pragma once

#include "core/common/result.h"

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace scopesync::app {

// Parses `args` (argv without the program and subcommand names). On --help prints the help and
// returns kExitOk; on a usage error prints it and returns kExitUsage; nullopt means "go on".
std::optional<int> parseCommandLine(
    QCommandLineParser &parser, const QString &command, const QStringList &args);

// Reads a number option; the error names the option and the expected form.
core::Result<double> numberOption(
    const QCommandLineParser &parser, const QString &name, double min, double max);

}  // namespace scopesync::app
