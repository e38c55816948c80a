// `scopesync gui`: the instrument window on a simulated or real rig (the default command).
#include "app/cli/gui_command.h"

#include "app/api/api_server.h"
#include "app/cli/api_listen.h"
#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "core/acquisition/rig_description.h"
#include "core/acquisition/rig_file_editor.h"
#include "core/camera/rpicam_config_reader.h"
#include "hal/doctor/rig_doctor.h"
#include "hal/mqtt/mqtt_fleet_link.h"
#include "hal/rig_factory.h"
#include "ui/common/rig_controller.h"
#include "ui/main_window/first_run_dialog.h"
#include "ui/main_window/main_window.h"
#include "ui/main_window/window_screenshot.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QRandomGenerator>
#include <QSettings>
#include <QSysInfo>
#include <QTranslator>

#include <chrono>
#include <memory>

namespace scopesync::app {

namespace {

void installTranslations(QApplication &app, const QString &lang)
{
    const QLocale locale = lang.isEmpty() ? QLocale::system() : QLocale(lang);
    QLocale::setDefault(locale);
    auto *own = new QTranslator(&app);
    if (own->load(locale, QStringLiteral("scopesync"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(own);
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
}

}  // namespace

int runGuiCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The instrument window: live preview, protocol editor, timing view, manual controls and runs."));
    const QCommandLineOption rigOpt(QStringLiteral("rig"),
        QStringLiteral(
            "'sim' (the simulated reference rig) or a rig file. Without it: the last rig used, or a "
            "first-run choice."),
        QStringLiteral("sim|FILE"));
    const QCommandLineOption cameraOpt(QStringLiteral("camera-config"),
        QStringLiteral("rpicam-apps config file with the fixed camera settings."), QStringLiteral("FILE"));
    const QCommandLineOption protocolOpt(
        QStringLiteral("protocol"), QStringLiteral("Protocol to open."), QStringLiteral("FILE"));
    const QCommandLineOption runsOpt(QStringLiteral("runs-dir"),
        QStringLiteral("Folder that receives run folders."), QStringLiteral("DIR"));
    const QCommandLineOption fullOpt(
        QStringLiteral("fullscreen"), QStringLiteral("Kiosk mode for the instrument's touchscreen."));
    const QCommandLineOption langOpt(QStringLiteral("lang"),
        QStringLiteral("Language (en, de, zh_CN); default: the system's."), QStringLiteral("CODE"));
    const QCommandLineOption shotOpt(QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window after --frames preview frames, then exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption framesOpt(QStringLiteral("frames"),
        QStringLiteral("Preview frames to wait for before --screenshot (default 3)."), QStringLiteral("N"),
        QStringLiteral("3"));
    const QCommandLineOption sizeOpt(QStringLiteral("size"),
        QStringLiteral("Window size for --screenshot, e.g. 800x480."), QStringLiteral("WxH"));
    parser.addOptions(
        {rigOpt, cameraOpt, protocolOpt, runsOpt, fullOpt, langOpt, shotOpt, framesOpt, sizeOpt});
    // The scripting API inside the GUI, on the window's own rig controller (off unless a token file is
    // given).
    const ApiListenOptions apiOpts(QStringLiteral("api-"));
    apiOpts.addTo(parser);
    if (auto done = parseCommandLine(parser, QStringLiteral("gui"), args))
        return *done;

    // Only now the display is needed: --help and a wrong option are answered without one.
    // QApplication wants argc/argv that outlive it.
    static QByteArray programName = QByteArrayLiteral("scopesync");
    static int argc = 1;
    static char *argv[] = {programName.data(), nullptr};
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("scopesync"));
    QApplication::setOrganizationName(QStringLiteral("ScopeSync"));
    QApplication::setApplicationVersion(QStringLiteral(SCOPESYNC_VERSION));

    installTranslations(app, parser.value(langOpt));

    QSettings settings;
    QString rigChoice = parser.value(rigOpt);
    // Remembered as an absolute path: the next start may run from another directory (the kiosk's unit
    // starts in $HOME), where a relative one would name another file or none.
    if (!rigChoice.isEmpty() && rigChoice != QLatin1String("sim"))
        rigChoice = QFileInfo(rigChoice).absoluteFilePath();
    if (rigChoice.isEmpty())
        rigChoice = settings.value(QStringLiteral("rig/choice")).toString();
    // First run, or the kiosk's rig file is not there yet: ask, and keep the answer where it was expected,
    // so the next start (and the kiosk unit's restarts) find it.
    const QString missingRigFile
        = (!rigChoice.isEmpty() && rigChoice != QLatin1String("sim") && !QFileInfo::exists(rigChoice))
        ? rigChoice
        : QString();
    if (rigChoice.isEmpty() || !missingRigFile.isEmpty()) {
        if (!missingRigFile.isEmpty())
            printErr(QStringLiteral("scopesync gui: the rig file %1 does not exist; asking which rig to use")
                         .arg(missingRigFile));
        // No rig yet: the doctor's checklist is that of the reference HQ rig on a Pi (as `scopesync doctor`).
        ui::FirstRunDialog first(
            [] {
                core::acquisition::RigDescription reference
                    = core::acquisition::RigDescription::referenceSim();
                reference.backend = QStringLiteral("pi");
                reference.name = QStringLiteral("reference HQ rig");
                return hal::doctor::RigDoctor(reference).run();
            },
            [] { return hal::doctor::camerasOnThisMachine(); });
        if (first.exec() != QDialog::Accepted || first.choice() == ui::FirstRunDialog::Choice::Quit)
            return kExitOk;
        rigChoice = first.choice() == ui::FirstRunDialog::Choice::Simulated ? QStringLiteral("sim")
                                                                            : first.rigFile();
        if (!missingRigFile.isEmpty()) {
            if (const auto saved = core::acquisition::RigFileEditor::saveChoiceAs(rigChoice, missingRigFile);
                saved.ok())
                rigChoice = missingRigFile;
            else
                printErr(QStringLiteral("scopesync gui: %1; the chosen rig is used for this session only")
                             .arg(saved.error().toString()));
        }
    }

    // The API's options are checked before any window opens.
    std::optional<ApiListen> apiListen;
    if (parser.isSet(apiOpts.tokenFile)) {
        const ApiListenRead listenRead = readApiListen(parser, apiOpts);
        if (!listenRead.listen) {
            printErr(QStringLiteral("scopesync gui: %1").arg(listenRead.error));
            return listenRead.exitCode;
        }
        apiListen = listenRead.listen;
    }
    ui::MainWindowOptions options;
    if (rigChoice != QLatin1String("sim")) {
        auto r = core::acquisition::RigReader::readFile(rigChoice);
        printDiagnostics(rigChoice, r.diagnostics);
        if (!r.rig) {
            printErr(
                QStringLiteral("scopesync gui: the rig file has errors; fix them or start with --rig sim."));
            return kExitInvalidInput;
        }
        options.rig = *r.rig;
        options.rigFile = rigChoice;
    }
    settings.setValue(QStringLiteral("rig/choice"), rigChoice);
    const bool cameraGiven = parser.isSet(cameraOpt);
    if (cameraGiven) {
        auto c = core::camera::readRpicamConfigFile(parser.value(cameraOpt));
        printDiagnostics(parser.value(cameraOpt), c.diagnostics);
        if (c.diagnostics.hasErrors())
            return kExitInvalidInput;
        options.settings = c.settings;
        options.cameraConfigFile = parser.value(cameraOpt);
    }
    options.runsDirectory = parser.value(runsOpt);
    options.kiosk = parser.isSet(fullOpt);
    // Rig doctor…: this machine against the window's rig, free space where runs are saved. It runs on a
    // worker thread, so it holds copies.
    hal::doctor::DoctorPaths doctorPaths;
    doctorPaths.dataDir = options.runsDirectory.isEmpty()
        ? settings.value(QStringLiteral("runs/directory")).toString()
        : options.runsDirectory;
    options.doctor
        = [rig = options.rig, doctorPaths] { return hal::doctor::RigDoctor(rig, doctorPaths).run(); };
    // Fleet…: the leader's broker connection (libmosquitto), one client id per window.
    options.fleetConnect = [](const core::fleet::FleetLogin &login) {
        return hal::mqtt::connectLeader(login,
            QStringLiteral("scopesync-gui-%1-%2-%3")
                .arg(QSysInfo::machineHostName())
                .arg(QCoreApplication::applicationPid())
                .arg(QRandomGenerator::system()->generate() & 0xffff, 4, 16, QLatin1Char('0')));
    };

    // The UI never includes hal: it gets this factory. A camera config's flips drive the simulated sensor;
    // a Pi camera adds the ISP's preview stream, so the live preview needs no software binning.
    ui::RigFactory factory
        = [cameraGiven](const core::acquisition::RigDescription &rig, const core::camera::CameraSettings &s) {
              return hal::createRig(rig, s,
                  hal::RigFactoryOptions {cameraGiven, true, true, ui::RigController::kPreviewMaxSide});
          };
    ui::MainWindow window(factory, options);

    std::unique_ptr<api::ApiServer> apiServer;
    if (apiListen) {
        const ApiListen &listen = *apiListen;
        const QString outDir = QDir(window.runsDirectory()).absolutePath();
        apiServer = std::make_unique<api::ApiServer>(*window.controller(),
            api::ApiConfig {listen.token, listen.protocolsDir, outDir,
                options.rigFile.isEmpty() ? QStringLiteral("sim") : options.rigFile,
                options.cameraConfigFile});
        QString why;
        const auto url = startApi(*apiServer, listen, apiOpts, &why);
        if (!url) {
            printErr(QStringLiteral("scopesync gui: %1").arg(why));
            return kExitRuntime;
        }
        window.setRemoteAccess(*url);
        QObject::connect(
            apiServer.get(), &api::ApiServer::commandAccepted, &window, &ui::MainWindow::showRemoteCommand);
    }
    const QString protocol = parser.value(protocolOpt).isEmpty()
        ? settings.value(QStringLiteral("protocol/last"), QStringLiteral(":/protocols/quick_demo.json"))
              .toString()
        : parser.value(protocolOpt);
    if (!protocol.isEmpty())
        window.loadProtocol(protocol);

    const QString shot = parser.value(shotOpt);
    if (!shot.isEmpty()) {
        const QStringList wh = parser.value(sizeOpt).split(u'x');
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
        window.show();
        int exitCode = kExitOk;
        ui::screenshotWhenPreviewed(window, shot, parser.value(framesOpt).toInt(), std::chrono::seconds(120),
            [&](bool saved, const QString &message) {
                if (saved) {
                    printOut(message);
                } else {
                    printErr(QStringLiteral("scopesync gui: %1").arg(message));
                    exitCode = kExitRuntime;
                }
                window.close();
                QApplication::quit();
            });
        app.exec();
        return exitCode;
    }

    if (options.kiosk)
        window.showFullScreen();
    else
        window.show();
    return app.exec();
}

namespace {
const CommandRegistration registration(QStringLiteral("gui"),
    QStringLiteral("The instrument window (default): preview, protocols, runs, manual controls."),
    runGuiCommand);
}

}  // namespace scopesync::app
