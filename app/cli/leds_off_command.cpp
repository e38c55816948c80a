// `scopesync leds-off`: drives every LED line of a rig low (the kiosk unit's stop hook, and a manual safety).
#include "app/cli/leds_off_command.h"

#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "core/acquisition/rig_description.h"
#include "hal/gpiod/gpiod_output_lines.h"
#include "hal/gpiod/pwm_channel.h"

#include <QFileInfo>

namespace scopesync::app {

int runLedsOffCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Turn every LED of a rig off: zero any hardware PWM channel left enabled on an LED "
                       "pin, then request each LED line of the rig file as an output and drive it low. "
                       "The camera is not opened. Run by the kiosk unit whenever the GUI stops (also "
                       "after a crash), and safe to run by hand at any time. Nothing to do on the "
                       "simulated rig."));
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

    // Only the LED lines are opened, not the rig: the camera (busy, missing, wedged by a crash) must not
    // stand between a stopped GUI and its LEDs going off.
    //
    // A hardware PWM channel left enabled by a process that died keeps its LED lit whatever the GPIO
    // line says: set such a channel's duty to 0 first (only channels still exported, so nothing new is
    // created in sysfs).
    // Every pin of every colour: a ganged colour (UV on four pins) is off only when all of them are.
    std::vector<std::pair<QString, int>> pins;
    for (auto it = rig.leds.cbegin(); it != rig.leds.cend(); ++it) {
        pins.emplace_back(it.key(), it->bcm);
        for (int g : it->gangedBcm)
            pins.emplace_back(QStringLiteral("%1 (BCM %2)").arg(it.key()).arg(g), g);
    }
    QStringList done;
    for (const auto &[name, bcm] : pins) {
        const auto channel = hal::gpiod::PwmChannel::channelForBcm(bcm);
        if (!channel || !QFileInfo::exists(QStringLiteral("/sys/class/pwm/pwmchip0/pwm%1").arg(*channel)))
            continue;
        auto pwm = hal::gpiod::PwmChannel::open(bcm, *channel);
        if (!pwm.ok() || !(*pwm)->set(false).ok()) {
            printErr(QStringLiteral("scopesync leds-off: %1: cannot zero hardware PWM channel %2 (%3); the "
                                    "GPIO line is still driven low below.")
                         .arg(name)
                         .arg(*channel)
                         .arg(pwm.ok() ? QStringLiteral("write failed") : pwm.error().toString()));
            continue;
        }
        done << QStringLiteral("%1 PWM %2 duty 0").arg(name).arg(*channel);
    }

    // Requesting a line as an output switches the pin to GPIO (away from PWM) and drives it inactive.
    std::vector<hal::gpiod::OutputLineSpec> specs;
    for (const auto &[name, bcm] : pins)
        specs.push_back({.name = name, .offset = bcm, .activeLow = false, .tryPwm = false});
    auto lines
        = hal::gpiod::GpiodOutputLines::open(rig.gpioChip, specs, QStringLiteral("scopesync-leds-off"));
    if (!lines.ok()) {
        printErr(QStringLiteral("scopesync leds-off: %1").arg(lines.error().toString()));
        return kExitRuntime;
    }
    int failures = 0;
    for (int i = 0; i < (*lines)->count(); ++i) {
        const auto s = (*lines)->set(i, false);
        if (!s.ok() || (*lines)->isActive(i)) {
            ++failures;
            printErr(QStringLiteral("scopesync leds-off: %1 (BCM %2) did not go low: %3")
                         .arg((*lines)->name(i))
                         .arg(specs[size_t(i)].offset)
                         .arg(s.ok() ? QStringLiteral("the line reads active") : s.error().toString()));
            continue;
        }
        done << QStringLiteral("%1 (BCM %2) low").arg((*lines)->name(i)).arg(specs[size_t(i)].offset);
    }
    if (failures > 0) {
        printErr(QStringLiteral("scopesync leds-off: %1 LED line(s) may still be on; cut the LED supply and "
                                "run 'scopesync doctor'.")
                     .arg(failures));
        return kExitRuntime;
    }
    printOut(QStringLiteral("LEDs off on %1: %2").arg(rig.gpioChip, done.join(QStringLiteral(", "))));
    return kExitOk;
}

namespace {
const CommandRegistration registration(QStringLiteral("leds-off"),
    QStringLiteral("Turn every LED line of a rig off (kiosk stop hook)."), runLedsOffCommand);
}

}  // namespace scopesync::app
