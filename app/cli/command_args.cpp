// Helpers for subcommands: parse a QCommandLineParser, read typed option values with clear errors.
#include "app/cli/command_args.h"

#include "app/cli/cli_output.h"

#include <cmath>

namespace scopesync::app {

std::optional<int> parseCommandLine(
    QCommandLineParser &parser, const QString &command, const QStringList &args)
{
    const QCommandLineOption help(
        {QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help and exit."));
    parser.addOption(help);
    QStringList argv = args;
    argv.prepend(QStringLiteral("scopesync ") + command);
    if (!parser.parse(argv)) {
        printErr(QStringLiteral("scopesync %1: %2").arg(command, parser.errorText()));
        printErr(QStringLiteral("Try 'scopesync %1 --help'.").arg(command));
        return kExitUsage;
    }
    if (parser.isSet(help)) {
        // Qt names the program by the path it was started with; the usage line names the command.
        QString text = parser.helpText();
        const qsizetype options = text.indexOf(QStringLiteral(" [options]"));
        if (text.startsWith(QStringLiteral("Usage: ")) && options > 0)
            text.replace(7, options - 7, QStringLiteral("scopesync ") + command);
        printOut(text);
        return kExitOk;
    }
    return std::nullopt;
}

core::Result<double> numberOption(
    const QCommandLineParser &parser, const QString &name, double min, double max)
{
    const QString text = parser.value(name);
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return core::Error {
            QStringLiteral("'%1' is not a number; give a plain number such as --%2 250000").arg(text, name),
            QStringLiteral("--") + name};
    if (v < min || v > max)
        return core::Error {QStringLiteral("%1 is out of range; use a value from %2 to %3")
                                .arg(text, QString::number(min), QString::number(max)),
            QStringLiteral("--") + name};
    return v;
}

}  // namespace scopesync::app
