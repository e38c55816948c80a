// `scopesync timing`: the valid flash window of a sensor mode, shutter and flash.
#include "app/cli/timing_command.h"

#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "core/timing/exposure_model.h"
#include "core/timing/window_report.h"

namespace scopesync::app {

using core::timing::Micros;

namespace {
QString ms(Micros t)
{
    return QString::number(t.count() / 1000.0, 'f', 3);
}
}  // namespace

int runTimingCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Print the window of XVS-to-flash delays in which every row of the image receives the "
                       "whole flash, for a sensor mode, shutter and flash duration."));
    const QCommandLineOption sensorOpt(QStringLiteral("sensor"),
        QStringLiteral("Sensor: %1.").arg(core::timing::SensorCatalog::ids().join(", ")),
        QStringLiteral("S"));
    const QCommandLineOption modeOpt(
        QStringLiteral("mode"), QStringLiteral("Sensor mode, e.g. 4056x3040."), QStringLiteral("WxH"));
    const QCommandLineOption shutterOpt(
        QStringLiteral("shutter-us"), QStringLiteral("Exposure time in µs."), QStringLiteral("N"));
    const QCommandLineOption flashOpt(
        QStringLiteral("flash-ms"), QStringLiteral("Flash duration in ms."), QStringLiteral("F"));
    const QCommandLineOption offsetOpt(QStringLiteral("offset-us"),
        QStringLiteral("Rig offset from the trigger event to row 0's exposure "
                       "start, in µs (default 0)."),
        QStringLiteral("O"), QStringLiteral("0"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    parser.addOptions({sensorOpt, modeOpt, shutterOpt, flashOpt, offsetOpt, jsonOpt});
    if (auto done = parseCommandLine(parser, QStringLiteral("timing"), args))
        return *done;

    for (const auto *opt : {&sensorOpt, &modeOpt, &shutterOpt, &flashOpt}) {
        if (!parser.isSet(*opt)) {
            printErr(QStringLiteral("scopesync timing: --%1 is required. Try 'scopesync timing --help'.")
                         .arg(opt->names().constFirst()));
            return kExitUsage;
        }
    }

    const auto *sensor = core::timing::SensorCatalog::find(parser.value(sensorOpt));
    if (!sensor) {
        printErr(QStringLiteral("--sensor: unknown sensor '%1'; known sensors: %2")
                     .arg(parser.value(sensorOpt), core::timing::SensorCatalog::ids().join(", ")));
        return kExitInvalidInput;
    }
    const auto wh = core::timing::parseModeName(parser.value(modeOpt));
    const core::timing::SensorMode *mode = wh ? sensor->findMode(wh->first, wh->second) : nullptr;
    if (!mode) {
        printErr(QStringLiteral("--mode: '%1' is not a mode of the %2; use one of %3")
                     .arg(parser.value(modeOpt), sensor->id, sensor->modeNames().join(", ")));
        return kExitInvalidInput;
    }
    const auto shutter = numberOption(parser, QStringLiteral("shutter-us"), 1, 3.6e9);
    const auto flash = numberOption(parser, QStringLiteral("flash-ms"), 0.001, 3.6e6);
    const auto offset = numberOption(parser, QStringLiteral("offset-us"), -1e7, 1e7);
    bool bad = false;
    for (const auto *r : {&shutter, &flash, &offset}) {
        if (!r->ok()) {
            printErr(r->error().toString());
            bad = true;
        }
    }
    if (bad)
        return kExitInvalidInput;

    const core::timing::ExposureModel model(sensor->shutter, *mode, Micros(*shutter), Micros(*offset));
    const Micros flashUs(*flash * 1000.0);
    const auto window = model.validWindow(flashUs);
    const bool rolling = sensor->shutter == core::timing::ShutterType::Rolling;

    if (parser.isSet(jsonOpt)) {
        printJson(core::timing::windowReport(*sensor, *mode, *shutter, *flash, *offset));
        return kExitOk;
    }

    printOut(QStringLiteral("%1 (%2) %3, %4 shutter")
                 .arg(sensor->id.toUpper(), sensor->camera, mode->name(),
                     rolling ? QStringLiteral("rolling") : QStringLiteral("global")));
    printOut(QStringLiteral("line time %1 µs, readout of the active rows %2 ms")
                 .arg(QString::number(mode->lineTime.count() / 1000.0, 'f', 3), ms(model.readout())));
    printOut(QStringLiteral("shutter %1 ms, flash %2 ms, trigger offset %3 µs")
                 .arg(ms(Micros(*shutter)), ms(flashUs), QString::number(*offset)));
    if (window.feasible) {
        printOut(QStringLiteral("valid flash delay: %1 – %2 ms after the trigger (%3 ms wide)")
                     .arg(ms(window.start), ms(window.end), ms(window.end - window.start)));
    } else {
        printOut(QStringLiteral(
            "no valid flash delay: the shutter (%1 ms) is shorter than readout + flash (%2 ms).")
                     .arg(ms(Micros(*shutter)), ms(window.minimumExposure)));
        printOut(QStringLiteral("fix: a shutter of at least %1 µs, or a flash of at most %2 ms.")
                     .arg(QString::number(std::ceil(window.minimumExposure.count()), 'f', 0),
                         ms(window.maximumFlash)));
    }
    return kExitOk;
}

namespace {
const CommandRegistration registration(QStringLiteral("timing"),
    QStringLiteral("Valid flash window for a sensor mode, shutter and flash."), runTimingCommand);
}

}  // namespace scopesync::app
