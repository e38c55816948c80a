// `scopesync doctor`: checks this machine against a rig and prints each problem with its fix.
#include "app/cli/doctor_command.h"

#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "hal/doctor/rig_doctor.h"

#include <QJsonArray>

namespace scopesync::app {

using core::acquisition::CheckStatus;

int runDoctorCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Check that this machine can run a rig: camera, sensor trigger_mode, kernel command line, "
        "GPIO chip and lines, groups, real-time scheduling, library versions and free disk. Each "
        "problem is printed with the command or file edit that fixes it; nothing is changed. Exit "
        "status 0 when all is well, 1 when there are problems."));
    const QCommandLineOption rigOpt(QStringLiteral("rig"),
        QStringLiteral("Rig file to check against (default: the reference HQ rig on gpiochip0)."),
        QStringLiteral("FILE"));
    const QCommandLineOption dataOpt(QStringLiteral("data-dir"),
        QStringLiteral("Where runs are saved, for the free-space check (default: home)."),
        QStringLiteral("DIR"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    parser.addOptions({rigOpt, dataOpt, jsonOpt});
    if (auto done = parseCommandLine(parser, QStringLiteral("doctor"), args))
        return *done;

    core::acquisition::RigDescription rig = core::acquisition::RigDescription::referenceSim();
    rig.backend = QStringLiteral("pi");
    rig.name = QStringLiteral("reference HQ rig");
    if (parser.isSet(rigOpt)) {
        const auto r = core::acquisition::RigReader::readFile(parser.value(rigOpt));
        printDiagnostics(parser.value(rigOpt), r.diagnostics);
        if (!r.rig)
            return kExitInvalidInput;
        rig = *r.rig;
    }
    hal::doctor::DoctorPaths paths;
    paths.dataDir = parser.value(dataOpt);
    const QList<core::acquisition::RigCheck> checks = hal::doctor::RigDoctor(rig, paths).run();
    int problems = 0;
    int warnings = 0;
    for (const auto &c : checks) {
        problems += c.status == CheckStatus::Problem ? 1 : 0;
        warnings += c.status == CheckStatus::Warning ? 1 : 0;
    }

    if (parser.isSet(jsonOpt)) {
        QJsonArray arr;
        for (const auto &c : checks)
            arr.append(c.toJson());
        printJson(QJsonObject {{QStringLiteral("rig"), rig.name}, {QStringLiteral("sensor"), rig.sensor},
            {QStringLiteral("trigger"), core::acquisition::triggerModeName(rig.trigger)},
            {QStringLiteral("checks"), arr}, {QStringLiteral("problems"), problems},
            {QStringLiteral("warnings"), warnings}, {QStringLiteral("ok"), problems == 0}});
    } else {
        printOut(QStringLiteral("Rig doctor: %1 (%2, %3, %4)")
                     .arg(rig.name.isEmpty() ? QStringLiteral("rig") : rig.name, rig.sensor,
                         core::acquisition::triggerModeName(rig.trigger), rig.gpioChip));
        for (const auto &c : checks) {
            const QString tag = c.status == CheckStatus::Ok ? QStringLiteral("  ok  ")
                : c.status == CheckStatus::Warning          ? QStringLiteral(" warn ")
                : c.status == CheckStatus::Problem          ? QStringLiteral(" FAIL ")
                                                            : QStringLiteral(" skip ");
            printOut(QStringLiteral("[%1] %2: %3").arg(tag, c.title, c.detail));
            if (!c.fix.isEmpty())
                printOut(QStringLiteral("         fix: %1").arg(c.fix));
        }
        const QString w = counted(warnings, QStringLiteral("warning"), QStringLiteral("warnings"));
        printOut(problems == 0
                ? QStringLiteral("No problems found (%1).").arg(w)
                : QStringLiteral("%1, %2.").arg(
                    counted(problems, QStringLiteral("problem"), QStringLiteral("problems")), w));
    }
    return problems == 0 ? kExitOk : kExitInvalidInput;
}

namespace {
const CommandRegistration registration(QStringLiteral("doctor"),
    QStringLiteral("Check camera, GPIO, permissions and real-time limits for a rig; print the fixes"),
    runDoctorCommand);
}  // namespace

}  // namespace scopesync::app
