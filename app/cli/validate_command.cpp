// `scopesync validate`: checks a protocol against a rig and camera settings and reports every problem.
#include "app/cli/validate_command.h"

#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "app/cli/run_inputs.h"
#include "core/timing/frame_plan.h"

#include <QJsonArray>

namespace scopesync::app {

namespace {
void appendDiagnostics(
    QJsonArray &errors, QJsonArray &warnings, const QString &file, const core::Diagnostics &d)
{
    for (const auto &x : d.all()) {
        const QJsonObject o {{QStringLiteral("file"), file}, {QStringLiteral("path"), x.path},
            {QStringLiteral("message"), x.message}};
        (x.severity == core::Severity::Error ? errors : warnings).append(o);
    }
}

// What the estimate includes beyond images and waits, and what it cannot include.
QString planNotes(const core::timing::PlanSummary &summary)
{
    QStringList parts;
    if (summary.filterMoves > 0)
        parts << QStringLiteral("%1 filter moves (%2 s)")
                     .arg(summary.filterMoves)
                     .arg(summary.filterMoveTime.count(), 0, 'f', 1);
    if (summary.heatingEstimated)
        parts << QStringLiteral("heating (%1 s)").arg(summary.heatingTime.count(), 0, 'f', 0);
    QString notes
        = parts.isEmpty() ? QString() : QStringLiteral(" including ") + parts.join(QStringLiteral(" and "));
    if (summary.temperatureSteps)
        notes += QStringLiteral("; heating time not estimated");
    return notes;
}
}  // namespace

int runValidateCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Check a protocol (native .json or 454 Bio .454sp.json) against a rig and fixed "
                       "camera settings. Every problem "
                       "is reported with its JSON path (or 'line N' in a camera config) and what to change.\n"
                       "Without --rig the reference simulated rig is used (IMX477 4056x3040; LEDs red, "
                       "orange, green, blue, uv); "
                       "without --camera-config its settings (shutter 250 ms, gain 8)."));
    parser.addPositionalArgument(QStringLiteral("PROTOCOL"), QStringLiteral("The protocol file."));
    const QCommandLineOption cameraOpt(QStringLiteral("camera-config"),
        QStringLiteral("rpicam-apps config file with the fixed camera settings."), QStringLiteral("FILE"));
    const QCommandLineOption rigOpt(QStringLiteral("rig"),
        QStringLiteral("'sim' or a rig file (default sim)."), QStringLiteral("sim|FILE"),
        QStringLiteral("sim"));
    const QCommandLineOption sensorOpt(QStringLiteral("sensor"),
        QStringLiteral("Check against this sensor instead of the rig's."), QStringLiteral("S"));
    const QCommandLineOption modeOpt(QStringLiteral("mode"),
        QStringLiteral("Sensor mode with --sensor, e.g. 2028x1520."), QStringLiteral("WxH"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    parser.addOptions({cameraOpt, rigOpt, sensorOpt, modeOpt, jsonOpt});
    if (auto done = parseCommandLine(parser, QStringLiteral("validate"), args))
        return *done;
    if (parser.positionalArguments().size() != 1) {
        printErr(QStringLiteral(
            "scopesync validate: give exactly one PROTOCOL file. Try 'scopesync validate --help'."));
        return kExitUsage;
    }
    if (parser.isSet(modeOpt) && !parser.isSet(sensorOpt)) {
        printErr(QStringLiteral("scopesync validate: --mode needs --sensor."));
        return kExitUsage;
    }

    const RunInputs in = loadRunInputs({parser.positionalArguments().constFirst(), parser.value(cameraOpt),
        parser.value(rigOpt), parser.value(sensorOpt), parser.value(modeOpt)});
    const bool ok = !in.hasErrors();
    core::timing::PlanSummary summary;
    if (in.protocol)
        summary = core::timing::summarize(*in.protocol, in.planTiming);

    if (parser.isSet(jsonOpt)) {
        QJsonArray errors, warnings;
        appendDiagnostics(errors, warnings, in.protocolFile.path, in.protocolFile.diagnostics);
        appendDiagnostics(errors, warnings, in.cameraFile.path, in.cameraFile.diagnostics);
        appendDiagnostics(errors, warnings, in.rigFile.path, in.rigFile.diagnostics);
        printJson({{QStringLiteral("ok"), ok}, {QStringLiteral("file"), in.protocolFile.path},
            {QStringLiteral("name"), in.protocol ? in.protocol->name : QString()},
            {QStringLiteral("frames"), summary.frames},
            {QStringLiteral("duration_s"), std::round(summary.estimatedDuration.count() * 10) / 10},
            {QStringLiteral("duration_excludes_heating"), summary.temperatureSteps},
            {QStringLiteral("heating_s"), std::round(summary.heatingTime.count() * 10) / 10},
            {QStringLiteral("filter_moves"), summary.filterMoves},
            {QStringLiteral("filter_moves_s"), std::round(summary.filterMoveTime.count() * 10) / 10},
            {QStringLiteral("errors"), errors}, {QStringLiteral("warnings"), warnings}});
        return ok ? kExitOk : kExitInvalidInput;
    }

    in.print();
    if (!ok) {
        const auto count = in.protocolFile.diagnostics.errors().size()
            + in.cameraFile.diagnostics.errors().size() + in.rigFile.diagnostics.errors().size();
        printErr(QStringLiteral("%1: not valid (%2)")
                     .arg(in.protocolFile.path,
                         counted(count, QStringLiteral("error"), QStringLiteral("errors"))));
        return kExitInvalidInput;
    }
    const qint64 secs = qint64(std::llround(summary.estimatedDuration.count()));
    printOut(QStringLiteral("%1: valid — %2, about %3:%4:%5%6")
                 .arg(in.protocolFile.path,
                     counted(summary.frames, QStringLiteral("image"), QStringLiteral("images")))
                 .arg(secs / 3600)
                 .arg((secs / 60) % 60, 2, 10, QLatin1Char('0'))
                 .arg(secs % 60, 2, 10, QLatin1Char('0'))
                 .arg(planNotes(summary)));
    return kExitOk;
}

namespace {
const CommandRegistration registration(QStringLiteral("validate"),
    QStringLiteral("Check a protocol against a rig and camera settings."), runValidateCommand);
}

}  // namespace scopesync::app
