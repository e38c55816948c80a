// `scopesync calibrate`: finds a rig's valid flash-delay window and recommends a delay.
#include "app/cli/calibrate_command.h"

#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "app/cli/stop_signals.h"
#include "core/calibration/calibration_profile.h"
#include "core/calibration/delay_search.h"
#include "core/calibration/delay_sweep.h"
#include "core/calibration/rig_delay_probe.h"
#include "core/camera/rpicam_config_reader.h"
#include "hal/rig_factory.h"

#include <QJsonArray>

namespace scopesync::app {

using namespace core;

namespace {
QString ms(timing::Micros t)
{
    return QString::number(t.count() / 1000.0, 'f', 3);
}
}  // namespace

int runCalibrateCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Find the range of XVS-to-flash delays for which every row of the image receives the whole flash, "
        "and recommend a delay. The rolling-shutter model predicts where the window lies; a banded frame "
        "tells how many rows missed the light, hence how far its delay is from the edge, so a handful of "
        "frames suffices (--sweep takes one frame per step instead). --save writes the result to the rig's "
        "calibration profile (next to the rig file as NAME.calibration.json; for --rig sim in "
        "$XDG_CONFIG_HOME/scopesync/calibration/sim.json), which runs use by default."));
    const QCommandLineOption rigOpt(QStringLiteral("rig"),
        QStringLiteral("'sim' (the simulated reference rig) or a rig file."), QStringLiteral("sim|FILE"),
        QStringLiteral("sim"));
    const QCommandLineOption cameraOpt(QStringLiteral("camera-config"),
        QStringLiteral("rpicam-apps config file (default: the reference rig's, shutter 250 ms, vflip)."),
        QStringLiteral("FILE"));
    const QCommandLineOption ledOpt(QStringLiteral("led"),
        QStringLiteral("LED to flash; needed when the rig has more than one (a rig with one LED uses it)."),
        QStringLiteral("NAME"));
    const QCommandLineOption flashOpt(QStringLiteral("flash-ms"),
        QStringLiteral("Flash duration in ms (default 150)."), QStringLiteral("F"), QStringLiteral("150"));
    const QCommandLineOption shutterOpt(QStringLiteral("shutter-us"),
        QStringLiteral("Shutter in µs, overriding the camera config's."), QStringLiteral("N"));
    const QCommandLineOption sweepOpt(QStringLiteral("sweep"),
        QStringLiteral("Plain sweep instead of the model-guided search, in ms, e.g. 0:100:1."),
        QStringLiteral("START:STOP:STEP"));
    const QCommandLineOption marginOpt(QStringLiteral("margin-ms"),
        QStringLiteral("With --earliest: distance from the window's start (default 0.5)."),
        QStringLiteral("M"), QStringLiteral("0.5"));
    const QCommandLineOption earliestOpt(QStringLiteral("earliest"),
        QStringLiteral("Recommend the window's start plus the margin instead of its centre."));
    const QCommandLineOption saveOpt(
        QStringLiteral("save"), QStringLiteral("Save the result as the rig's calibration profile."));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print the result as JSON."));
    const QCommandLineOption noRtOpt(
        QStringLiteral("no-realtime"), QStringLiteral("Do not ask for SCHED_FIFO for the strobe thread."));
    parser.addOptions({rigOpt, cameraOpt, ledOpt, flashOpt, shutterOpt, sweepOpt, marginOpt, earliestOpt,
        saveOpt, jsonOpt, noRtOpt});
    if (auto done = parseCommandLine(parser, QStringLiteral("calibrate"), args))
        return *done;
    if (!parser.positionalArguments().isEmpty()) {
        printErr(
            QStringLiteral("scopesync calibrate: unexpected argument '%1'. Try 'scopesync calibrate --help'.")
                .arg(parser.positionalArguments().constFirst()));
        return kExitUsage;
    }
    const auto fail = [](const QString &why, int code) {
        printErr(QStringLiteral("scopesync calibrate: %1").arg(why));
        return code;
    };

    // Rig and camera settings.
    const QString rigArg = parser.value(rigOpt);
    acquisition::RigDescription rig = acquisition::RigDescription::referenceSim();
    if (rigArg != QLatin1String("sim")) {
        const auto read = acquisition::RigReader::readFile(rigArg);
        printDiagnostics(rigArg, read.diagnostics);
        if (!read.rig)
            return fail(QStringLiteral("cannot read the rig file; no frame was taken."), kExitInvalidInput);
        rig = *read.rig;
    }
    camera::CameraSettings settings = camera::CameraSettings::referenceRig();
    const bool cameraGiven = parser.isSet(cameraOpt);
    if (cameraGiven) {
        const auto c = camera::readRpicamConfigFile(parser.value(cameraOpt));
        printDiagnostics(parser.value(cameraOpt), c.diagnostics);
        if (c.diagnostics.hasErrors())
            return fail(QStringLiteral("fix the camera config; no frame was taken."), kExitInvalidInput);
        settings = c.settings;
    }
    if (parser.isSet(shutterOpt)) {
        const auto v = numberOption(parser, QStringLiteral("shutter-us"), 1, 60e6);
        if (!v.ok())
            return fail(v.error().toString(), kExitUsage);
        settings.shutter = std::chrono::microseconds(qint64(*v));
    }
    const auto flashMs = numberOption(parser, QStringLiteral("flash-ms"), 0.001, 60000);
    if (!flashMs.ok())
        return fail(flashMs.error().toString(), kExitUsage);
    const auto marginMs = numberOption(parser, QStringLiteral("margin-ms"), 0, 10000);
    if (!marginMs.ok())
        return fail(marginMs.error().toString(), kExitUsage);
    const auto flash = std::chrono::microseconds(qint64(*flashMs * 1000));
    // No silent choice among several LEDs: the delay is calibrated for the flash of one LED, and which one
    // a name sorts first says nothing about the rig.
    if (!parser.isSet(ledOpt) && rig.leds.size() > 1)
        return fail(QStringLiteral("the rig has %1 LEDs (%2); name the one to flash with --led; no frame was "
                                   "taken.")
                        .arg(rig.leds.size())
                        .arg(rig.ledNames().join(QStringLiteral(", "))),
            kExitUsage);
    const QString led = parser.isSet(ledOpt) ? parser.value(ledOpt)
                                             : (rig.leds.isEmpty() ? QString() : rig.ledNames().constFirst());
    if (const QString why = calibration::RigDelayProbe::checkLed(rig, led, flash); !why.isEmpty())
        return fail(why + QStringLiteral("; no frame was taken."), kExitInvalidInput);

    auto request = calibration::RigDelayProbe::requestFor(rig, settings, cameraGiven, flash);
    if (!request.ok())
        return fail(request.error().toString(), kExitInvalidInput);
    request->earliest = parser.isSet(earliestOpt);
    request->margin = timing::Micros(*marginMs * 1000);
    // Before any light: a window that cannot exist is explained, with the settings that would work.
    if (auto why = request->infeasibility())
        return fail(*why + QStringLiteral(" No frame was taken."), kExitInvalidInput);
    std::optional<calibration::SweepRange> sweep;
    if (parser.isSet(sweepOpt)) {
        auto s = calibration::SweepRange::parse(parser.value(sweepOpt));
        if (!s.ok())
            return fail(s.error().toString(), kExitUsage);
        sweep = s.value();
        if (sweep->start > request->delayLimit())
            return fail(
                QStringLiteral("the sweep starts at %1 ms, past the longest useful delay (%2 ms: shutter "
                               "+ readout); start it below %2 ms. No frame was taken.")
                    .arg(ms(sweep->start), ms(request->delayLimit())),
                kExitUsage);
    }

    auto created = hal::createRig(rig, settings, {cameraGiven, !parser.isSet(noRtOpt)});
    if (!created.ok())
        return fail(created.error().toString(), kExitInvalidInput);
    const auto &stopFlag = installStopSignals();
    calibration::RigDelayProbe probe(**created, led, flash, &stopFlag);
    const auto predicted = request->model().validWindow(request->flash);
    printErr(QStringLiteral("%1\nLED %2, flash %3 ms, shutter %4 ms; the model predicts %5–%6 ms (no trigger "
                            "offset)")
                 .arg((*created)->summary(), led, ms(request->flash), ms(request->exposure),
                     ms(predicted.start), ms(predicted.end)));
    if (auto s = probe.start(); !s.ok())
        return fail(s.error().toString(), kExitRuntime);
    const auto progress = [](const calibration::SearchProgress &p) {
        printErr(
            QStringLiteral("frame %1 (%2): delay %3 ms → %4, dark edge %5, lit %6 %, uniformity %7; window "
                           "%8%9–%10%11 ms")
                .arg(p.frame)
                .arg(p.phase, ms(p.delay), analysis::flashTimingName(p.score.timing),
                    analysis::imageEdgeName(p.score.darkEdge))
                .arg(p.score.litFraction * 100, 0, 'f', 1)
                .arg(p.score.uniformity, 0, 'f', 3)
                .arg(p.startMeasured ? QString() : QStringLiteral("~"), ms(p.windowStart),
                    p.endMeasured ? QString() : QStringLiteral("~"), ms(p.windowEnd)));
        return true;
    };
    auto result = sweep ? calibration::DelaySweep(*request, *sweep).run(probe.measureFn(), progress)
                        : calibration::DelaySearch(*request).run(probe.measureFn(), progress);
    probe.stop();
    if (!result.ok())
        return fail(result.error().toString(), kExitRuntime);
    if (const QString note = probe.retakeNote(); !note.isEmpty())
        result->notes << note;

    QJsonObject out = result->toJson();
    out.insert(QStringLiteral("frames_retaken"), probe.framesRetaken());
    out.insert(QStringLiteral("led"), led);
    out.insert(QStringLiteral("flash_ms"), request->flash.count() / 1000.0);
    out.insert(QStringLiteral("shutter_us"), request->exposure.count());
    out.insert(QStringLiteral("mode"), request->mode.name());
    if (parser.isSet(saveOpt)) {
        const QString path = calibration::CalibrationProfile::pathFor(rigArg);
        const auto profile
            = calibration::CalibrationProfile::from(*result, rig, request->exposure, request->flash, led);
        if (auto s = profile.save(path); !s.ok())
            return fail(s.error().toString(), kExitRuntime);
        out.insert(QStringLiteral("saved_to"), path);
        printErr(QStringLiteral("saved: %1").arg(path));
    }
    for (const QString &n : result->notes)
        printErr(QStringLiteral("note: %1").arg(n));
    if (parser.isSet(jsonOpt)) {
        printJson(out);
    } else {
        printOut(
            QStringLiteral("valid window %1–%2 ms (%3 frames, %4); recommended delay %5 ms (%6); trigger "
                           "offset %7 ms")
                .arg(ms(result->windowStart), ms(result->windowEnd))
                .arg(result->framesUsed)
                .arg(result->method, ms(result->recommended),
                    result->earliest ? QStringLiteral("start + %1 ms").arg(ms(result->margin))
                                     : QStringLiteral("centre"),
                    ms(result->measuredOffset())));
    }
    return kExitOk;
}

namespace {
const CommandRegistration registration(QStringLiteral("calibrate"),
    QStringLiteral("Find the valid flash-delay window of a rig and recommend a delay."), runCalibrateCommand);
}

}  // namespace scopesync::app
