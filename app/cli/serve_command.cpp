// `scopesync serve`: the local HTTP/JSON API for scripts, on the controller the GUI uses.
#include "app/cli/serve_command.h"

#include "app/api/api_security.h"
#include "app/api/api_server.h"
#include "app/cli/api_listen.h"
#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "app/cli/stop_signals.h"
#include "core/acquisition/rig_description.h"
#include "core/camera/rpicam_config_reader.h"
#include "hal/rig_factory.h"

#include <QCoreApplication>
#include <QDir>
#include <QHostAddress>
#include <QTimer>

namespace scopesync::app {

int runServeCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Serve the instrument to scripts: an HTTP/JSON API under /api/v1/ (described by GET "
        "/api/v1/openapi.json) that takes snapshots, starts, pauses and stops protocol runs and flashes "
        "LEDs, "
        "one command at a time. Every request needs 'Authorization: Bearer TOKEN', TOKEN being the content "
        "of "
        "--token-file. It listens on the loopback address by default: for remote use, forward a port over "
        "SSH or put a TLS reverse proxy in front; never expose it bare. SIGINT or SIGTERM stop a run cleanly "
        "(LEDs off, images kept) and close the server."));
    const QCommandLineOption rigOpt(QStringLiteral("rig"),
        QStringLiteral("'sim' (the simulated reference rig) or a rig file."), QStringLiteral("sim|FILE"),
        QStringLiteral("sim"));
    const QCommandLineOption cameraOpt(QStringLiteral("camera-config"),
        QStringLiteral("rpicam-apps config file with the fixed camera settings (default: the reference "
                       "rig's)."),
        QStringLiteral("FILE"));
    const QCommandLineOption outOpt(QStringLiteral("out"),
        QStringLiteral("Folder for run folders and snapshots (default: runs)."), QStringLiteral("DIR"),
        QStringLiteral("runs"));
    const ApiListenOptions listenOpts(QString {});
    parser.addOptions({rigOpt, cameraOpt, outOpt});
    listenOpts.addTo(parser);
    if (auto done = parseCommandLine(parser, QStringLiteral("serve"), args))
        return *done;
    const auto fail = [](const QString &why, int code) {
        printErr(QStringLiteral("scopesync serve: %1").arg(why));
        return code;
    };
    if (!parser.positionalArguments().isEmpty())
        return fail(
            QStringLiteral("takes no positional arguments. Try 'scopesync serve --help'."), kExitUsage);
    const ApiListenRead listenRead = readApiListen(parser, listenOpts);
    if (!listenRead.listen)
        return fail(listenRead.error, listenRead.exitCode);
    const ApiListen &listen = *listenRead.listen;
    if (!QDir().mkpath(parser.value(outOpt)))
        return fail(
            QStringLiteral("cannot create the output folder '%1'; give --out DIR.").arg(parser.value(outOpt)),
            kExitInvalidInput);

    const QString rigArg = parser.value(rigOpt);
    core::acquisition::RigDescription rig = core::acquisition::RigDescription::referenceSim();
    if (rigArg != QLatin1String("sim")) {
        const auto read = core::acquisition::RigReader::readFile(rigArg);
        printDiagnostics(rigArg, read.diagnostics);
        if (!read.rig)
            return fail(
                QStringLiteral("the rig file has errors; fix them or give --rig sim."), kExitInvalidInput);
        rig = *read.rig;
    }
    core::camera::CameraSettings settings = core::camera::CameraSettings::referenceRig();
    const bool cameraGiven = parser.isSet(cameraOpt);
    if (cameraGiven) {
        const auto c = core::camera::readRpicamConfigFile(parser.value(cameraOpt));
        printDiagnostics(parser.value(cameraOpt), c.diagnostics);
        if (c.diagnostics.hasErrors())
            return fail(QStringLiteral("fix the camera config."), kExitInvalidInput);
        settings = c.settings;
    }

    ui::RigController controller(
        [cameraGiven](const core::acquisition::RigDescription &d, const core::camera::CameraSettings &s) {
            return hal::createRig(d, s, hal::RigFactoryOptions {cameraGiven, true, true});
        });
    int exitCode = kExitOk;
    QObject::connect(&controller, &ui::RigController::rigFailed, [&](const QString &why) {
        printErr(QStringLiteral("scopesync serve: %1").arg(why));
        exitCode = kExitRuntime;
        QCoreApplication::quit();
    });
    QObject::connect(&controller, &ui::RigController::rigOpened,
        [](const QString &summary) { printErr(QStringLiteral("rig: %1").arg(summary)); });
    controller.openRig(rig, settings);

    api::ApiServer server(controller,
        {listen.token, listen.protocolsDir, QDir(parser.value(outOpt)).absolutePath(), rigArg,
            parser.value(cameraOpt)});
    QString why;
    if (!startApi(server, listen, listenOpts, &why))
        return fail(why, kExitRuntime);

    // A signal stops the run (LEDs off, images kept), then the server closes once the run has ended.
    const auto &stop = installStopSignals();
    QTimer poll;
    bool stopping = false;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (stop.load() == 0)
            return;
        if (!stopping) {
            stopping = true;
            printErr(QStringLiteral("scopesync serve: stopping"));
            controller.stopRun();
        }
        if (!controller.isRunning())
            QCoreApplication::quit();
    });
    poll.start(50);
    QCoreApplication::exec();
    return exitCode;
}

namespace {
const CommandRegistration registration(QStringLiteral("serve"),
    QStringLiteral("Serve the instrument to scripts over a local HTTP/JSON API."), runServeCommand);
}

}  // namespace scopesync::app
