// scopesync: entry point. The GUI by default; headless subcommands share the same core.
#include "app/cli/cli_output.h"
#include "app/cli/run_command.h"
#include "app/cli/timing_command.h"
#include "app/cli/validate_command.h"

#include <QCoreApplication>

#include <functional>
#include <map>

namespace {

using scopesync::app::printErr;
using scopesync::app::printOut;

struct Command {
    QString summary;
    std::function<int(const QStringList &)> run;
};

const std::map<QString, Command> &commands()
{
    static const std::map<QString, Command> table {
        {QStringLiteral("run"),
            {QStringLiteral("Run a protocol headless and save OME-TIFFs."), scopesync::app::runRunCommand}},
        {QStringLiteral("timing"),
            {QStringLiteral("Valid flash window for a sensor mode, shutter and flash."),
                scopesync::app::runTimingCommand}},
        {QStringLiteral("validate"),
            {QStringLiteral("Check a protocol against a rig and camera settings."),
                scopesync::app::runValidateCommand}},
    };
    return table;
}

QString usage()
{
    QString text = QStringLiteral("Usage: scopesync [COMMAND] [OPTIONS]\n\n"
                                  "Synchronised LED strobes for Raspberry Pi camera microscopes.\n\n"
                                  "Commands:\n");
    for (const auto &[name, cmd] : commands())
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
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("scopesync"));
    QCoreApplication::setOrganizationName(QStringLiteral("ScopeSync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SCOPESYNC_VERSION));

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    if (args.isEmpty() || args.first() == QLatin1String("-h") || args.first() == QLatin1String("--help")) {
        printOut(usage());
        return scopesync::app::kExitOk;
    }
    if (args.first() == QLatin1String("-v") || args.first() == QLatin1String("--version")) {
        printOut(QStringLiteral("scopesync %1").arg(QCoreApplication::applicationVersion()));
        return scopesync::app::kExitOk;
    }
    const QString name = args.takeFirst();
    const auto it = commands().find(name);
    if (it == commands().end()) {
        printErr(QStringLiteral("scopesync: unknown command '%1'.\n").arg(name) + usage());
        return scopesync::app::kExitUsage;
    }
    return it->second.run(args);
}
