// `scopesync run`: executes a protocol on a rig, headless, into a run folder of OME-TIFFs.
#include "app/cli/run_command.h"

#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "app/cli/run_inputs.h"
#include "app/cli/stop_signals.h"
#include "core/acquisition/protocol_run.h"
#include "core/storage/run_folder.h"
#include "core/timing/frame_plan.h"
#include "hal/rig_factory.h"

#include <QFileInfo>

#include <algorithm>
#include <unistd.h>

namespace scopesync::app {

namespace {

QString clock(double seconds)
{
    const auto s = qint64(std::max(0.0, seconds));
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

// A one-line bar redrawn in place on a terminal; one line per step when stderr is a file or pipe.
class ProgressPrinter {
public:
    ProgressPrinter() : m_tty(isatty(STDERR_FILENO) == 1) { }

    void operator()(const core::acquisition::RunProgress &p)
    {
        // Moves and heating get lines of their own, so a log shows when the wheel turned and how the
        // slide warmed; heating is printed at most once a second (the regulator may sample faster).
        if (!p.filter.isEmpty()) {
            line(QStringLiteral("filter \u2192 %1").arg(p.filter), true);
            return;
        }
        if (p.temperatureKelvin && p.setPointKelvin) {
            const auto now = core::monotonicNow();
            if (now - m_lastHeatingLine < std::chrono::seconds(1))
                return;
            m_lastHeatingLine = now;
            line(QStringLiteral("heating %1 \u00B0C \u2192 %2 \u00B0C")
                     .arg(*p.temperatureKelvin - 273.15, 0, 'f', 1)
                     .arg(*p.setPointKelvin - 273.15, 0, 'f', 1),
                false);
            return;
        }
        const int width = 24;
        const int filled = p.framesTotal > 0 ? int(width * p.framesDone / p.framesTotal) : 0;
        line(QStringLiteral("[%1%2] %3/%4 images  %5 elapsed  ETA %6  %7 %8")
                 .arg(QString(filled, u'#'), QString(width - filled, u' '))
                 .arg(p.framesDone)
                 .arg(p.framesTotal)
                 .arg(clock(p.elapsedSeconds), clock(p.remainingSeconds), p.activity, p.label),
            false);
    }
    void finish()
    {
        if (m_open)
            std::fputc('\n', stderr);
        m_open = false;
    }

private:
    // On a terminal the bar is redrawn in place; a line that must stay (a filter move) ends it.
    void line(const QString &text, bool keep)
    {
        if (m_tty) {
            const QByteArray out = "\r\033[K" + terminalSafe(text).toUtf8() + (keep ? "\n" : "");
            std::fwrite(out.constData(), 1, size_t(out.size()), stderr);
            std::fflush(stderr);
            m_open = !keep;
        } else {
            printErr(text);
        }
    }

    bool m_tty;
    bool m_open = false;
    core::MonoTime m_lastHeatingLine {};
};

}  // namespace

int runRunCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run a protocol: capture every image of its frame plan "
                                                    "with the LEDs strobed in sync with the camera, and save "
                                                    "each as a 16-bit OME-TIFF in a run folder with an "
                                                    "append-only manifest.jsonl, copies of the inputs and a "
                                                    "summary.json. SIGINT or SIGTERM stop the run cleanly: "
                                                    "LEDs off, every image already saved stays valid."));
    parser.addPositionalArgument(
        QStringLiteral("PROTOCOL"), QStringLiteral("The protocol (.json or .454sp.json)."));
    const QCommandLineOption rigOpt(QStringLiteral("rig"),
        QStringLiteral("'sim' (the simulated reference rig) or a rig file. Default: the Raspberry Pi backend "
                       "when a camera and a GPIO chip are present, else the simulated rig (it says which)."),
        QStringLiteral("sim|FILE"));
    const QCommandLineOption cameraOpt(QStringLiteral("camera-config"),
        QStringLiteral("rpicam-apps config file with the fixed camera settings "
                       "(default: the reference rig's, shutter 250 ms, gain 8, vflip)."),
        QStringLiteral("FILE"));
    const QCommandLineOption outOpt(QStringLiteral("out"),
        QStringLiteral("Run folder to create (must not exist). Default: runs/run-DATE-TIME."),
        QStringLiteral("DIR"));
    const QCommandLineOption noRtOpt(
        QStringLiteral("no-realtime"), QStringLiteral("Do not ask for SCHED_FIFO for the strobe thread."));
    const QCommandLineOption ignoreDevicesOpt(QStringLiteral("ignore-missing-devices"),
        QStringLiteral(
            "Run a protocol whose set-temperature steps or filters this rig has no heater or filter "
            "wheel for: they are recorded, not applied (a note says so). Without it such a run is "
            "refused."));
    const QCommandLineOption retakesOpt(QStringLiteral("retakes"),
        QStringLiteral("How many times a strobed image whose measured flash differs from its plan (a late or "
                       "cut LED edge) is taken again on a following frame; the flagged image is kept "
                       "beside its retake. 0 to never retake. Default: 2."),
        QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption strictOpt(QStringLiteral("strict"),
        QStringLiteral("Exit with status 4 when any image's measured light differs from its plan, even if a "
                       "retake succeeded (every image is still saved and flagged)."));
    // A disk slower than the camera, on demand: for benchmarks and the tests of back-pressure only.
    QCommandLineOption slowDiskOpt(QStringLiteral("debug-slow-disk-ms"),
        QStringLiteral("Debug and benchmarks only: make writing each image take at least MS milliseconds, "
                       "as on a disk slower than the camera."),
        QStringLiteral("MS"));
    slowDiskOpt.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions(
        {rigOpt, cameraOpt, outOpt, noRtOpt, ignoreDevicesOpt, retakesOpt, strictOpt, slowDiskOpt});
    if (auto done = parseCommandLine(parser, QStringLiteral("run"), args))
        return *done;
    if (parser.positionalArguments().size() != 1) {
        printErr(
            QStringLiteral("scopesync run: give exactly one PROTOCOL file. Try 'scopesync run --help'."));
        return kExitUsage;
    }

    const auto &stopFlag = installStopSignals();
    const QString protocolPath = parser.positionalArguments().constFirst();
    const RunInputs in = loadRunInputs({protocolPath, parser.value(cameraOpt), parser.value(rigOpt), {}, {}});
    in.print();
    if (in.hasErrors()) {
        printErr(QStringLiteral("scopesync run: nothing was started; fix the errors above."));
        return kExitInvalidInput;
    }

    auto rig = hal::createRig(*in.rig, in.settings, {in.cameraConfigGiven, !parser.isSet(noRtOpt)});
    if (!rig.ok()) {
        printErr(QStringLiteral("scopesync run: %1").arg(rig.error().toString()));
        return kExitInvalidInput;
    }

    // Refused before the folder exists: a run that cannot fit leaves nothing behind.
    const QString target = parser.isSet(outOpt) ? parser.value(outOpt) : QStringLiteral("runs");
    const auto plan = core::timing::summarize(*in.protocol, in.planTiming);
    if (auto s = core::storage::RunFolder::checkSpaceForImages(
            target, plan.frames, in.rig->modeWidth, in.rig->modeHeight);
        !s.ok()) {
        printErr(QStringLiteral("scopesync run: %1; nothing was started.").arg(s.error().message));
        return kExitInvalidInput;
    }

    auto folder = parser.isSet(outOpt) ? core::storage::RunFolder::create(parser.value(outOpt))
                                       : core::storage::RunFolder::createTimestamped(QStringLiteral("runs"));
    if (!folder.ok()) {
        printErr(QStringLiteral("scopesync run: %1").arg(folder.error().toString()));
        return kExitInvalidInput;
    }
    auto &run = *folder.value();
    for (const InputFile *file : {&in.protocolFile, &in.cameraFile, &in.rigFile}) {
        if (file->path.isEmpty())
            continue;
        if (auto s = run.writeInput(QFileInfo(file->path).fileName(), file->bytes); !s.ok()) {
            printErr(QStringLiteral("scopesync run: %1").arg(s.error().toString()));
            return kExitRuntime;
        }
    }

    printErr(QStringLiteral("%1\nrun folder: %2").arg((*rig)->summary(), run.path()));
    if (!in.calibrationProfile.isEmpty())
        printErr(QStringLiteral("flash delay %1 ms from the calibration profile %2")
                     .arg(double(in.rig->delay.count()) / 1000.0)
                     .arg(in.calibrationProfile));
    core::acquisition::ProtocolRun protocolRun(**rig, run, *in.protocol, in.settings);
    ProgressPrinter progress;
    protocolRun.setProgressCallback([&](const core::acquisition::RunProgress &p) { progress(p); });
    protocolRun.setStopFlag(&stopFlag);
    protocolRun.setIgnoreMissingDevices(parser.isSet(ignoreDevicesOpt));
    if (parser.isSet(slowDiskOpt)) {
        bool ok = false;
        const int ms = parser.value(slowDiskOpt).toInt(&ok);
        if (!ok || ms < 0) {
            printErr(
                QStringLiteral("scopesync run: --debug-slow-disk-ms takes a whole number of milliseconds "
                               "(0 or more), not '%1'.")
                    .arg(parser.value(slowDiskOpt)));
            return kExitUsage;
        }
        protocolRun.setWriteDelayPerImage(std::chrono::milliseconds(ms));
    }
    {
        bool ok = false;
        const int retakes = parser.value(retakesOpt).toInt(&ok);
        if (!ok || retakes < 0 || retakes > 100) {
            printErr(QStringLiteral("scopesync run: --retakes takes a whole number from 0 to 100, not '%1'.")
                         .arg(parser.value(retakesOpt)));
            return kExitUsage;
        }
        protocolRun.setMaxRetakes(retakes);
    }
    const auto outcome = protocolRun.execute();
    progress.finish();

    for (const QString &n : outcome.notes)
        printErr(QStringLiteral("note: %1").arg(n));
    const auto &st = outcome.strobe;
    printErr(QStringLiteral(
        "triggers %1, missed pulses %2, rejected glitches %3, late LED edges %4 (strobe thread woke up to "
        "%7 ms late), dropped camera frames %5; LEDs %6")
                 .arg(st.triggers)
                 .arg(st.missed)
                 .arg(st.rejected)
                 .arg(st.lateEdges)
                 .arg(outcome.droppedFrames)
                 .arg(outcome.ledsOffAtEnd ? QStringLiteral("off") : QStringLiteral("STILL ON"))
                 .arg(double(st.worstOversleep.count()) / 1e6, 0, 'f', 1));
    if ((*rig)->heater())
        printErr(QStringLiteral("heater %1")
                     .arg(outcome.heaterOffAtEnd ? QStringLiteral("off") : QStringLiteral("STILL ON")));
    // Images per frame period: images ÷ (time from the first image's trigger to the last's ÷ frame
    // period + 1); 1.0 means every frame in between carried an image.
    printErr(QStringLiteral("images per frame period %1 (1.00 = an image every frame); writer queue peak %2 "
                            "image(s), %3 MB of %4 MB; waited for the disk %5 time(s), %6 s")
                 .arg(outcome.imagesPerFramePeriod, 0, 'f', 2)
                 .arg(outcome.writer.highWaterImages)
                 .arg(double(outcome.writer.highWaterBytes) / 1e6, 0, 'f', 1)
                 .arg(double(outcome.writer.maxQueuedBytes) / 1e6, 0, 'f', 0)
                 .arg(outcome.writer.waits)
                 .arg(std::chrono::duration<double>(outcome.writer.waited).count(), 0, 'f', 1));
    if (outcome.doseErrors > 0)
        printErr(
            QStringLiteral("DOSE ERRORS: %1 image(s) flagged, %2 retake(s) saved (see the note above and "
                           "\"dose_errors\" in manifest.jsonl)")
                .arg(outcome.doseErrors)
                .arg(outcome.retakesSaved));
    if (!outcome.completed) {
        printErr(QStringLiteral(
            "run stopped: %1\nkept: %2 of %3 images in %4 (listed in manifest.jsonl, all valid)")
                     .arg(outcome.stopReason)
                     .arg(outcome.imagesSaved)
                     .arg(outcome.framesPlanned)
                     .arg(run.path()));
        return kExitRuntime;
    }
    printOut(QStringLiteral("completed: %1 in %2")
                 .arg(counted(outcome.imagesSaved, QStringLiteral("image"), QStringLiteral("images")),
                     run.path()));
    if (parser.isSet(strictOpt) && outcome.doseErrors > 0) {
        printErr(
            QStringLiteral("scopesync run: --strict: %1 image(s) received a different light than planned.")
                .arg(outcome.doseErrors));
        return kExitDoseError;
    }
    return kExitOk;
}

namespace {
const CommandRegistration registration(
    QStringLiteral("run"), QStringLiteral("Run a protocol headless and save OME-TIFFs."), runRunCommand);
}

}  // namespace scopesync::app
