// `scopesync outputs-off` (alias `leds-off`): drives every output of a rig low — LEDs, heater, stepper
// coils (the units' stop hook, and a manual safety).
#include "app/cli/outputs_off_command.h"

#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "core/acquisition/rig_description.h"
#include "hal/gpiod/gpiod_output_lines.h"
#include "hal/gpiod/pwm_channel.h"
#include "hal/instrument/instrument_devices.h"

#include <QFileInfo>

#include <algorithm>

namespace scopesync::app {

namespace {
int outputsOff(const QString &command, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Turn every output of a rig off: the LEDs (ganged pins included), the heater and "
                       "the steppers' coils and enable lines. Zeroes any hardware PWM channel left "
                       "enabled on one of those pins, then requests each line of the rig file as an "
                       "output and drives it low. The camera is not opened. Run by the kiosk and "
                       "follower units whenever scopesync stops (also after a crash), and safe to run by "
                       "hand at any time. Nothing to do on the simulated rig. 'leds-off' is the same "
                       "command under its former name."));
    const QCommandLineOption rigOpt(QStringLiteral("rig"),
        QStringLiteral("'sim' (the simulated reference rig) or a rig file."), QStringLiteral("sim|FILE"),
        QStringLiteral("sim"));
    parser.addOption(rigOpt);
    if (auto done = parseCommandLine(parser, command, args))
        return *done;
    const QString me = QStringLiteral("scopesync ") + command;
    if (!parser.positionalArguments().isEmpty()) {
        printErr(
            QStringLiteral("%1: unexpected argument '%2'; the rig is given with --rig FILE. Try '%1 --help'.")
                .arg(me, parser.positionalArguments().constFirst()));
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
            printErr(QStringLiteral("%1: cannot read the rig file; no line was touched.").arg(me));
            return kExitInvalidInput;
        }
        rig = *read.rig;
    }

    // A simulated rig's lines live only inside a running scopesync process, which turns them off itself.
    if (rig.backend == QLatin1String("sim")) {
        printOut(QStringLiteral("simulated rig: no hardware output lines, nothing to turn off."));
        return kExitOk;
    }

    // Every output line with its name: LEDs and their ganged pins, then heater, coils and enable lines.
    std::vector<hal::gpiod::OutputLineSpec> specs;
    for (auto it = rig.leds.cbegin(); it != rig.leds.cend(); ++it) {
        specs.push_back({.name = it.key(), .offset = it->bcm});
        for (int g : it->gangedBcm)
            specs.push_back({.name = QStringLiteral("%1 (ganged)").arg(it.key()), .offset = g});
    }
    const QList<int> instrument = hal::instrument::InstrumentDevices::guardedLines(rig);
    for (int l : instrument)
        if (std::none_of(specs.cbegin(), specs.cend(), [l](const auto &s) { return s.offset == l; }))
            specs.push_back({.name = l == (rig.heater ? rig.heater->bcm : -1) ? QStringLiteral("heater")
                                                                              : QStringLiteral("stepper"),
                .offset = l});

    // Only these lines are opened, not the rig: the camera (busy, missing, wedged by a crash) must not
    // stand between a stopped program and its outputs going off.
    //
    // A hardware PWM channel left enabled by a process that died keeps its pin driven whatever the GPIO
    // line says: set such a channel's duty to 0 first (only channels still exported, so nothing new is
    // created in sysfs).
    QStringList done;
    for (const auto &spec : specs) {
        const auto channel = hal::gpiod::PwmChannel::channelForBcm(spec.offset);
        if (!channel || !QFileInfo::exists(QStringLiteral("/sys/class/pwm/pwmchip0/pwm%1").arg(*channel)))
            continue;
        auto pwm = hal::gpiod::PwmChannel::open(spec.offset, *channel);
        if (!pwm.ok() || !(*pwm)->set(false).ok()) {
            printErr(
                QStringLiteral("%1: %2: cannot zero hardware PWM channel %3 (%4); the GPIO line is still "
                               "driven low below.")
                    .arg(me, spec.name)
                    .arg(*channel)
                    .arg(pwm.ok() ? QStringLiteral("write failed") : pwm.error().toString()));
            continue;
        }
        done << QStringLiteral("%1 PWM %2 duty 0").arg(spec.name).arg(*channel);
    }

    // Requesting a line as an output switches the pin to GPIO (away from PWM) and drives it inactive.
    auto lines
        = hal::gpiod::GpiodOutputLines::open(rig.gpioChip, specs, QStringLiteral("scopesync-outputs-off"));
    if (!lines.ok()) {
        printErr(QStringLiteral("%1: %2").arg(me, lines.error().toString()));
        return kExitRuntime;
    }
    int failures = 0;
    for (int i = 0; i < (*lines)->count(); ++i) {
        const auto s = (*lines)->set(i, false);
        if (!s.ok() || (*lines)->isActive(i)) {
            ++failures;
            printErr(QStringLiteral("%1: %2 (BCM %3) did not go low: %4")
                         .arg(me, (*lines)->name(i))
                         .arg(specs[size_t(i)].offset)
                         .arg(s.ok() ? QStringLiteral("the line reads active") : s.error().toString()));
            continue;
        }
        done << QStringLiteral("%1 (BCM %2) low").arg((*lines)->name(i)).arg(specs[size_t(i)].offset);
    }
    if (failures > 0) {
        printErr(QStringLiteral("%1: %2 output line(s) may still be on; cut the LED and heater supplies and "
                                "run 'scopesync doctor'.")
                     .arg(me)
                     .arg(failures));
        return kExitRuntime;
    }
    printOut(QStringLiteral("Outputs off on %1: %2").arg(rig.gpioChip, done.join(QStringLiteral(", "))));
    return kExitOk;
}
}  // namespace

int runOutputsOffCommand(const QStringList &args)
{
    return outputsOff(QStringLiteral("outputs-off"), args);
}

int runLedsOffAlias(const QStringList &args)
{
    return outputsOff(QStringLiteral("leds-off"), args);
}

namespace {
const CommandRegistration registration(QStringLiteral("outputs-off"),
    QStringLiteral("Turn every output of a rig off: LEDs, heater, stepper coils (the units' stop hook)."),
    runOutputsOffCommand);
const CommandRegistration alias(QStringLiteral("leds-off"),
    QStringLiteral("The former name of 'outputs-off' (every output off, not only the LEDs)."),
    runLedsOffAlias);
}  // namespace

}  // namespace scopesync::app
