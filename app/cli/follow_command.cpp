// `scopesync follow`: a headless fleet follower — captures at the leader's absolute time T and reports.
#include "app/cli/follow_command.h"

#include "app/cli/broker_options.h"
#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "app/cli/stop_signals.h"
#include "core/acquisition/rig_description.h"
#include "core/camera/rpicam_config_reader.h"
#include "core/fleet/fleet_topics.h"
#include "core/fleet/follower.h"
#include "core/fleet/message_codec.h"
#include "hal/mqtt/broker_login.h"
#include "hal/mqtt/mqtt_follower_host.h"
#include "hal/rig_factory.h"

#include <QSysInfo>

namespace scopesync::app {

namespace {

using namespace std::chrono_literals;
using core::acquisition::TriggerMode;
using core::fleet::MessageCodec;

// The simulated fleet rig: small and fast so many followers fit on one machine. IMX477 1332×990
// (7.9 µs line time, 120 fps), the Pi driving XVS (xvs-source), 10 ms shutter.
core::acquisition::RigDescription simFleetRig()
{
    auto r = core::acquisition::RigDescription::referenceSim();
    r.name = QStringLiteral("fleet follower (simulated)");
    r.modeWidth = 1332;
    r.modeHeight = 990;
    r.trigger = TriggerMode::XvsSource;
    r.delay = 8000us;  // after the 7.85 ms readout span, so a flash ≤ 2 ms lights every row
    return r;
}

}  // namespace

int runFollowCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Follow a fleet: a headless service that keeps a retained online/offline status on the MQTT broker, "
        "captures when the leader asks — the camera trigger driven at the absolute CLOCK_REALTIME time T — "
        "saves the images in a run folder and publishes the measured edge time and the clock's state. "
        "Commands with T in the past or too far ahead, repeated ids and malformed payloads are refused "
        "with a published reason. SIGINT or SIGTERM stop it cleanly (status offline, LEDs off)."));
    const BrokerOptions brokerOpts(
        QStringLiteral("The fleet's name (a topic level)."), QStringLiteral("Broker account."));
    const QCommandLineOption nameOpt(QStringLiteral("name"),
        QStringLiteral("This follower's name (default: --user, else the host name); the broker's ACL lets an "
                       "account write only its own status and reply topics."),
        QStringLiteral("NAME"));
    const QCommandLineOption rigOpt(QStringLiteral("rig"),
        QStringLiteral(
            "'sim' (a small simulated IMX477 1332x990 rig, xvs-source) or a rig file whose trigger "
            "is xvs-source or external."),
        QStringLiteral("sim|FILE"), QStringLiteral("sim"));
    const QCommandLineOption cameraOpt(QStringLiteral("camera-config"),
        QStringLiteral("rpicam-apps config file (default with --rig sim: shutter 10 ms, gain 8)."),
        QStringLiteral("FILE"));
    const QCommandLineOption outOpt(QStringLiteral("out"),
        QStringLiteral("Parent folder of the run folders (one per command id)."), QStringLiteral("DIR"),
        QStringLiteral("fleet-runs"));
    const QCommandLineOption aheadOpt(QStringLiteral("max-ahead-s"),
        QStringLiteral("Refuse T further ahead than this (default 60)."), QStringLiteral("S"),
        QStringLiteral("60"));
    const QCommandLineOption noRtOpt(QStringLiteral("no-realtime"),
        QStringLiteral(
            "Do not ask for SCHED_FIFO for the strobe thread (nor, then, for the hand-off before each T)."));
    const QCommandLineOption spinOpt(QStringLiteral("trigger-spin-us"),
        QStringLiteral("How long before T the strobe thread stops sleeping and spins (default 2000; the LED "
                       "edges use 150). Longer covers CPUs that are slow to wake from idle, at the cost of "
                       "one busy CPU for that long per capture."),
        QStringLiteral("US"), QStringLiteral("2000"));
    const QCommandLineOption syncOpt(QStringLiteral("camera-sync"),
        QStringLiteral("Raspberry Pi camera sync role (rpi::SyncMode; needs Raspberry Pi's libcamera): off, "
                       "server or client, instead of the rig file's \"camera_sync\". The camera runs free "
                       "and each capture takes the frame that starts nearest T; with --rig sim the "
                       "simulated camera runs free at 10 frames/s on a shared frame timing."),
        QStringLiteral("ROLE"));
    parser.addOptions(brokerOpts.options());
    parser.addOptions({nameOpt, rigOpt, cameraOpt, outOpt, aheadOpt, noRtOpt, spinOpt, syncOpt});
    if (auto done = parseCommandLine(parser, QStringLiteral("follow"), args))
        return *done;
    if (!brokerOpts.requiredGiven(parser, QStringLiteral("follow")))
        return kExitUsage;
    auto topics = core::fleet::FleetTopics::forFleet(parser.value(brokerOpts.fleet));
    if (!topics.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(topics.error().toString()));
        return kExitUsage;
    }
    QString name = parser.value(nameOpt);
    if (name.isEmpty())
        name = parser.isSet(brokerOpts.user) ? parser.value(brokerOpts.user) : QSysInfo::machineHostName();
    if (!core::fleet::FleetTopics::isValidName(name)) {
        printErr(QStringLiteral("scopesync follow: '%1' is not a follower name; give --name with 1–64 "
                                "letters, digits, '_', '-' or '.'")
                     .arg(name));
        return kExitUsage;
    }
    auto ahead = numberOption(parser, QStringLiteral("max-ahead-s"), 1, 3600);
    if (!ahead.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(ahead.error().toString()));
        return kExitUsage;
    }
    auto spin = numberOption(parser, QStringLiteral("trigger-spin-us"), 0, 20'000);
    if (!spin.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(spin.error().toString()));
        return kExitUsage;
    }
    const auto login = hal::mqtt::BrokerLogin::from(brokerOpts.login(parser));
    auto mqttOptions = login.options(QStringLiteral("scopesync-follow-") + name);
    if (!mqttOptions.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(mqttOptions.error().toString()));
        return kExitInvalidInput;
    }

    // The rig.
    core::acquisition::RigDescription rigDesc = simFleetRig();
    core::camera::CameraSettings settings = core::camera::CameraSettings::referenceRig();
    settings.shutter = 10'000us;
    if (parser.value(rigOpt) != QLatin1String("sim")) {
        auto r = core::acquisition::RigReader::readFile(parser.value(rigOpt));
        printDiagnostics(parser.value(rigOpt), r.diagnostics);
        if (!r.rig)
            return kExitInvalidInput;
        rigDesc = *r.rig;
        settings = core::camera::CameraSettings::referenceRig();
    }
    if (parser.isSet(cameraOpt)) {
        auto c = core::camera::readRpicamConfigFile(parser.value(cameraOpt));
        printDiagnostics(parser.value(cameraOpt), c.diagnostics);
        if (c.diagnostics.hasErrors())
            return kExitInvalidInput;
        settings = c.settings;
    }
    if (parser.isSet(syncOpt)) {
        const auto role = core::acquisition::cameraSyncFromName(parser.value(syncOpt));
        if (!role) {
            printErr(QStringLiteral("scopesync follow: --camera-sync is off, server or client, not '%1'")
                         .arg(parser.value(syncOpt)));
            return kExitUsage;
        }
        rigDesc.cameraSync = *role;
        // The simulated follower's camera then runs free, at 10 frames/s so that many fit on one machine.
        if (parser.value(rigOpt) == QLatin1String("sim") && *role != core::acquisition::CameraSync::Off) {
            rigDesc.trigger = TriggerMode::FreeRun;
            if (!parser.isSet(cameraOpt))
                settings.framerateFps = 10.0;
        }
    }
    if (const QString problem = core::fleet::Follower::rigProblem(rigDesc); !problem.isEmpty()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(problem));
        return kExitInvalidInput;
    }
    auto rig = hal::createRig(rigDesc, settings, {parser.isSet(cameraOpt), !parser.isSet(noRtOpt)});
    if (!rig.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(rig.error().toString()));
        return kExitInvalidInput;
    }
    (*rig)->strobe().setTriggerOnRequest(core::fleet::Follower::drivesTrigger(rigDesc),
        std::chrono::microseconds(static_cast<qint64>(spin.value())));
    if (auto s = (*rig)->strobe().start(); !s.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(s.error().toString()));
        return kExitRuntime;
    }
    if (auto s = (*rig)->camera().start(); !s.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(s.error().toString()));
        return kExitRuntime;
    }

    const auto &stopFlag = installStopSignals();
    core::fleet::AdmissionConfig ac;
    ac.maxAhead = std::chrono::milliseconds(static_cast<qint64>(ahead.value() * 1000));
    hal::mqtt::MqttFollowerHost host(topics.value(), name, [](const QString &line) { printErr(line); });
    core::fleet::Follower follower({name, parser.value(outOpt), ac}, **rig, settings, host, stopFlag);

    core::fleet::FollowerStatus offline;
    offline.follower = name;
    core::fleet::FollowerStatus online = offline;
    online.online = true;
    online.clock = host.clockState();
    online.rig = (*rig)->summary();
    online.version = QStringLiteral(SCOPESYNC_VERSION);
    online.imageTime = std::chrono::ceil<std::chrono::milliseconds>(follower.imageTime());

    hal::mqtt::MqttOptions mo = mqttOptions.value();
    mo.willTopic = topics->status(name);
    mo.willPayload = MessageCodec::encode(offline);
    // A follower is a service: a broker that is not up yet (boot) or restarting is waited for.
    auto client = hal::mqtt::MqttClient::connectRetrying(
        mo, [&stopFlag] { return stopFlag.load() != 0; },
        [](const core::Error &e, std::chrono::seconds next) {
            printErr(QStringLiteral("scopesync follow: %1; trying again in %2 s")
                         .arg(e.toString())
                         .arg(next.count()));
        });
    if (!client.ok() && stopFlag.load() != 0) {
        (*rig)->camera().stop();
        (*rig)->strobe().stop();
        printErr(
            QStringLiteral("stopped before the broker answered; LEDs %1")
                .arg((*rig)->strobe().allLedsOff() ? QStringLiteral("off") : QStringLiteral("STILL ON")));
        return kExitOk;
    }
    if (!client.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(client.error().toString()));
        return kExitRuntime;
    }
    host.attach(client->get());
    (*client)->setHandler([&follower, command = topics->command()](const hal::mqtt::MqttMessage &m) {
        if (m.topic == command)
            follower.onCommand(m.payload);
    });
    if (auto s = (*client)->subscribe(topics->command()); !s.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(s.error().toString()));
        return kExitRuntime;
    }
    if (auto s = (*client)->publish(topics->status(name), MessageCodec::encode(online), 1, true, true);
        !s.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(s.error().toString()));
        return kExitRuntime;
    }
    printErr(
        QStringLiteral("following fleet %1 as %2 on %3; %4; clock: %5 (%6)")
            .arg(parser.value(brokerOpts.fleet), name, parser.value(brokerOpts.broker), (*rig)->summary(),
                core::fleet::ClockState::sourceName(online.clock.source), online.clock.detail));

    follower.serve();

    (*client)->disconnect(topics->status(name), MessageCodec::encode(offline));
    (*rig)->camera().stop();
    (*rig)->strobe().stop();
    printErr(QStringLiteral("stopped; status offline, LEDs %1")
                 .arg((*rig)->strobe().allLedsOff() ? QStringLiteral("off") : QStringLiteral("STILL ON")));
    return kExitOk;
}

namespace {
const CommandRegistration registration(QStringLiteral("follow"),
    QStringLiteral("Fleet follower: capture at the leader's time T and report (MQTT)."), runFollowCommand);
}

}  // namespace scopesync::app
