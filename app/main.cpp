// scopesync: entry point. The GUI by default; headless subcommands share the same core.
#include "app/cli/cli_output.h"
#include "app/cli/command_registry.h"

#include <QCoreApplication>

namespace {

using scopesync::app::commandTable;
using scopesync::app::printErr;
using scopesync::app::printOut;

QString usage()
{
    QString text = QStringLiteral("Usage: scopesync [COMMAND] [OPTIONS]\n\n"
                                  "Synchronised LED strobes for Raspberry Pi camera microscopes.\n\n"
                                  "Commands:\n");
    for (const auto &[name, cmd] : commandTable())
        text += QStringLiteral("  %1  %2\n").arg(name.leftJustified(10), cmd.summary);
    text += QStringLiteral("\nOptions:\n"
                           "  -h, --help     Show this help.\n"
                           "  -v, --version  Show the version.\n\n"
                           "'scopesync COMMAND --help' describes a command's options.");
    return text;
}

}  // namespace

int main(int argc, char *argv[])
{
    // Commands that need a display (the GUI) create their own QApplication; the rest run headless.
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const auto &table = commandTable();
    const QString first = args.value(0);

    if (first == QLatin1String("-h") || first == QLatin1String("--help")
        || (args.isEmpty() && !table.count(QStringLiteral("gui")))) {
        printOut(usage());
        return scopesync::app::kExitOk;
    }
    if (first == QLatin1String("-v") || first == QLatin1String("--version")) {
        printOut(QStringLiteral("scopesync %1").arg(QStringLiteral(SCOPESYNC_VERSION)));
        return scopesync::app::kExitOk;
    }
    // No command, or options only: the GUI.
    const QString name
        = (args.isEmpty() || first.startsWith(u'-')) ? QStringLiteral("gui") : args.takeFirst();
    const auto it = table.find(name);
    if (it == table.end()) {
        printErr(QStringLiteral("scopesync: unknown command '%1'.\n").arg(name) + usage());
        return scopesync::app::kExitUsage;
    }
    if (name == QLatin1String("gui"))
        return it->second.run(args);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("scopesync"));
    QCoreApplication::setOrganizationName(QStringLiteral("ScopeSync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SCOPESYNC_VERSION));
    return it->second.run(args);
}
