// `scopesync leds-off`: drives every LED line of a rig low (the kiosk unit's stop hook, and a manual safety).
#include "app/cli/leds_off_command.h"

#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "core/camera/camera_settings.h"
#include "hal/rig_factory.h"

namespace scopesync::app {

int runLedsOffCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Turn every LED of a rig off: request each LED line of the rig file and drive it "
                       "low. Run by the kiosk unit when the GUI stops (also after a crash), and safe to "
                       "run by hand at any time. It does nothing on the simulated rig."));
    const QCommandLineOption rigOpt(QStringLiteral("rig"),
        QStringLiteral("'sim' (the simulated reference rig) or a rig file."), QStringLiteral("sim|FILE"),
        QStringLiteral("sim"));
    parser.addOption(rigOpt);
    if (auto done = parseCommandLine(parser, QStringLiteral("leds-off"), args))
        return *done;
    if (!parser.positionalArguments().isEmpty()) {
        printErr(QStringLiteral("scopesync leds-off: unexpected argument '%1'; the rig is given with --rig "
                                "FILE. Try 'scopesync leds-off --help'.")
                     .arg(parser.positionalArguments().constFirst()));
        return kExitUsage;
    }

    const QString rigArg = parser.value(rigOpt);
    core::acquisition::RigDescription rig;
    if (rigArg == QLatin1String("sim")) {
        rig = core::acquisition::RigDescription::referenceSim();
    } else {
        const auto read = core::acquisition::RigReader::readFile(rigArg);
        printDiagnostics(rigArg, read.diagnostics);
        if (!read.rig) {
            printErr(QStringLiteral("scopesync leds-off: cannot read the rig file; no line was touched."));
            return kExitInvalidInput;
        }
        rig = *read.rig;
    }

    // A simulated rig's lines live only inside a running scopesync process, which turns them off itself.
    if (rig.backend == QLatin1String("sim")) {
        printOut(QStringLiteral("simulated rig: no hardware LED lines, nothing to turn off."));
        return kExitOk;
    }

    // Opening the rig requests its lines; the strobe engine drives every LED low when it starts and again
    // when it stops, so start + stop leaves each line requested by the rig off.
    auto created = hal::createRig(rig, core::camera::CameraSettings::referenceRig(),
        {.useSettingsFlips = false, .requestRealtime = false});
    if (!created.ok()) {
        printErr(QStringLiteral("scopesync leds-off: %1").arg(created.error().toString()));
        return kExitRuntime;
    }
    auto &strobe = (*created)->strobe();
    if (auto started = strobe.start(); !started.ok()) {
        printErr(QStringLiteral("scopesync leds-off: %1").arg(started.error().toString()));
        strobe.stop();
        return kExitRuntime;
    }
    strobe.stop();
    if (!strobe.fault().isEmpty() || !strobe.allLedsOff()) {
        printErr(QStringLiteral("scopesync leds-off: %1; check the wiring and 'scopesync doctor'.")
                     .arg(strobe.fault().isEmpty() ? QStringLiteral("an LED line did not report off")
                                                   : strobe.fault()));
        return kExitRuntime;
    }
    printOut(QStringLiteral("LEDs off: %1 (%2)")
                 .arg(rig.ledNames().join(QStringLiteral(", ")), (*created)->summary()));
    return kExitOk;
}

namespace {
const CommandRegistration registration(QStringLiteral("leds-off"),
    QStringLiteral("Turn every LED line of a rig off (kiosk stop hook)."), runLedsOffCommand);
}

}  // namespace scopesync::app
