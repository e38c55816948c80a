// `scopesync fleet`: the leader — follower status, capture at now + lead, firing-error report.
#include "app/cli/fleet_command.h"

#include "app/cli/broker_options.h"
#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "core/common/bounded_file_reader.h"
#include "core/fleet/fleet_capture.h"
#include "core/fleet/fleet_leader.h"
#include "core/fleet/fleet_topics.h"
#include "core/fleet/message_codec.h"
#include "core/protocol/protocol_reader.h"
#include "core/protocol/protocol_validator.h"
#include "hal/mqtt/mqtt_fleet_link.h"

#include <QFile>
#include <QJsonArray>

#include <unistd.h>

namespace scopesync::app {

namespace {

using namespace std::chrono_literals;
using core::fleet::CaptureResult;
using core::fleet::ClockState;
using core::fleet::FollowerStatus;
using core::fleet::MessageCodec;
using core::fleet::Pong;
using core::fleet::Refusal;

QString us(std::chrono::nanoseconds d)
{
    return QString::number(static_cast<double>(d.count()) / 1000.0, 'f', 1);
}

QString clockText(const ClockState &c)
{
    QString t = ClockState::sourceName(c.source);
    if (c.errorBound)
        t += QStringLiteral(" ±%1 µs").arg(us(*c.errorBound));
    return t;
}

struct Options {
    core::fleet::FleetLogin login;
    QString fleet;
    bool json = false;
    std::chrono::milliseconds discover {1000};
};

int printStatus(const core::fleet::FleetLeader &s, const Options &o)
{
    if (o.json) {
        QJsonArray list;
        for (const auto &[name, f] : s.followers())
            list.append(QJsonObject {{QStringLiteral("follower"), name}, {QStringLiteral("online"), f.online},
                {QStringLiteral("clock"), MessageCodec::toJson(f.clock)}, {QStringLiteral("rig"), f.rig},
                {QStringLiteral("version"), f.version},
                {QStringLiteral("image_time_ms"),
                    f.imageTime ? QJsonValue(static_cast<double>(f.imageTime->count())) : QJsonValue()}});
        printJson({{QStringLiteral("fleet"), o.fleet}, {QStringLiteral("followers"), list}});
        return kExitOk;
    }
    printOut(
        QStringLiteral("%1 follower(s) known, %2 online").arg(s.followers().size()).arg(s.online().size()));
    for (const auto &[name, f] : s.followers())
        printOut(QStringLiteral("  %1  %2  %3  %4")
                     .arg(name, -20)
                     .arg(f.online ? QStringLiteral("online ") : QStringLiteral("offline"))
                     .arg(f.online ? clockText(f.clock) : QString(), -22)
                     .arg(f.online ? f.rig : QString()));
    return kExitOk;
}

}  // namespace

int runFleetCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lead a fleet of followers ('scopesync follow') through an MQTT broker.\n"
        "  status   list the followers with their clock quality\n"
        "  capture  capture on every online follower at T = now + lead; the lead comes from measured "
        "round trips through the broker (p99 x 3 + 200 ms, at least 500 ms) unless --lead-ms is given; "
        "prints each follower's firing error (measured edge - T) and the spread\n"
        "  run      run PROTOCOL on every online follower from T on one timeline: image k fires at the "
        "same instant on every rig; each image gets a slot of --interval-ms (default: the slowest "
        "follower's time per image); waits and illumination steps keep their durations"));
    parser.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("status, capture or run"));
    const BrokerOptions brokerOpts(QStringLiteral("The fleet's name."),
        QStringLiteral("Broker account (the one the ACL lets write commands)."));
    const QCommandLineOption leadOpt(QStringLiteral("lead-ms"),
        QStringLiteral("Fixed lead time instead of the measured one."), QStringLiteral("N"));
    const QCommandLineOption atOpt(QStringLiteral("at-ns"),
        QStringLiteral("Absolute T (CLOCK_REALTIME ns) instead of now + lead."), QStringLiteral("NS"));
    const QCommandLineOption idOpt(QStringLiteral("id"),
        QStringLiteral("Command id (default: generated); also each follower's run folder name."),
        QStringLiteral("ID"));
    const QCommandLineOption imagesOpt(QStringLiteral("images"),
        QStringLiteral("Images per follower (default 1)."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption intervalOpt(QStringLiteral("interval-ms"),
        QStringLiteral("Between images (default: each follower's choice)."), QStringLiteral("MS"),
        QStringLiteral("0"));
    const QCommandLineOption ledOpt(QStringLiteral("led"),
        QStringLiteral("Flash this LED on each image (default: no flash)."), QStringLiteral("NAME"));
    const QCommandLineOption durOpt(QStringLiteral("duration-us"),
        QStringLiteral("Flash duration (default 2000)."), QStringLiteral("US"), QStringLiteral("2000"));
    const QCommandLineOption pingsOpt(QStringLiteral("pings"),
        QStringLiteral("Ping rounds for the lead measurement (default 5)."), QStringLiteral("N"),
        QStringLiteral("5"));
    const QCommandLineOption discoverOpt(QStringLiteral("discover-ms"),
        QStringLiteral("How long to collect follower status (default 1000)."), QStringLiteral("MS"),
        QStringLiteral("1000"));
    const QCommandLineOption timeoutOpt(QStringLiteral("timeout-s"),
        QStringLiteral("Wait this long after the last image's T for results (default 10)."),
        QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption jsonOpt(
        QStringLiteral("json"), QStringLiteral("Print one JSON object on stdout."));
    parser.addOptions(brokerOpts.options());
    parser.addOptions({leadOpt, atOpt, idOpt, imagesOpt, intervalOpt, ledOpt, durOpt, pingsOpt, discoverOpt,
        timeoutOpt, jsonOpt});
    if (auto done = parseCommandLine(parser, QStringLiteral("fleet"), args))
        return *done;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    if (!QStringList {QStringLiteral("status"), QStringLiteral("capture"), QStringLiteral("run")}.contains(
            action)
        || (action == QLatin1String("run")) != (pos.size() == 2) || pos.size() > 2) {
        printErr(QStringLiteral(
            "scopesync fleet: use 'fleet status', 'fleet capture' or 'fleet run PROTOCOL'. Try --help."));
        return kExitUsage;
    }
    if (!brokerOpts.requiredGiven(parser, QStringLiteral("fleet")))
        return kExitUsage;
    std::optional<std::chrono::milliseconds> fixedLead;
    int images = 1;
    int pings = 5;
    std::chrono::milliseconds interval {0};
    std::chrono::microseconds duration {2000};
    std::chrono::milliseconds discover {1000};
    std::chrono::seconds timeout {10};
    {
        struct Num {
            const QCommandLineOption *opt;
            double min, max;
            std::function<void(double)> set;
        };
        std::vector<Num> nums {{&imagesOpt, 1, 1000, [&](double v) { images = int(v); }},
            {&pingsOpt, 0, 100, [&](double v) { pings = int(v); }},
            {&intervalOpt, 0, 3'600'000, [&](double v) { interval = std::chrono::milliseconds(qint64(v)); }},
            {&durOpt, 1, 60'000'000, [&](double v) { duration = std::chrono::microseconds(qint64(v)); }},
            {&discoverOpt, 100, 60'000, [&](double v) { discover = std::chrono::milliseconds(qint64(v)); }},
            {&timeoutOpt, 1, 3600, [&](double v) { timeout = std::chrono::seconds(qint64(v)); }}};
        if (parser.isSet(leadOpt))
            nums.push_back({&leadOpt, 1, 3'600'000,
                [&](double v) { fixedLead = std::chrono::milliseconds(qint64(v)); }});
        for (const auto &n : nums) {
            auto v = numberOption(parser, n.opt->names().constFirst(), n.min, n.max);
            if (!v.ok()) {
                printErr(QStringLiteral("scopesync fleet: %1").arg(v.error().toString()));
                return kExitUsage;
            }
            n.set(v.value());
        }
    }
    std::optional<core::fleet::WallTime> fixedAt;
    if (parser.isSet(atOpt)) {
        bool ok = false;
        const qint64 v = parser.value(atOpt).toLongLong(&ok);
        if (!ok) {
            printErr(QStringLiteral("scopesync fleet: --at-ns must be nanoseconds since the epoch, e.g. %1")
                         .arg(core::toNs(core::realtimeNow())));
            return kExitUsage;
        }
        fixedAt = core::wallFromNs(v);
    }
    const QString id
        = parser.isSet(idOpt) ? parser.value(idOpt) : core::fleet::FleetLeader::newId(QStringLiteral("c"));
    if (!MessageCodec::isValidId(id)) {
        printErr(
            QStringLiteral("scopesync fleet: --id must be 1–64 characters of A–Z, a–z, 0–9, '_' or '-'"));
        return kExitUsage;
    }
    auto topics = core::fleet::FleetTopics::forFleet(parser.value(brokerOpts.fleet));
    if (!topics.ok()) {
        printErr(QStringLiteral("scopesync fleet: %1").arg(topics.error().toString()));
        return kExitUsage;
    }
    QByteArray protocol;
    std::optional<core::protocol::Protocol> parsedProtocol;
    if (action == QLatin1String("run")) {
        auto bytes = core::BoundedFileReader::read(
            pos.value(1), core::protocol::ProtocolReader::kMaxFileBytes, QStringLiteral("protocol"));
        if (!bytes.ok()) {
            printErr(QStringLiteral("scopesync fleet: %1").arg(bytes.error().message));
            return kExitInvalidInput;
        }
        protocol = *bytes;
        // Checked here for what does not depend on a rig; each follower checks it against its own rig.
        auto read = core::protocol::ProtocolReader::readBytes(protocol, pos.value(1));
        core::Diagnostics d = read.diagnostics;
        if (read.protocol)
            d.append(core::protocol::validateProtocolForAnyRig(*read.protocol));
        printDiagnostics(pos.value(1), d);
        if (!read.protocol || d.hasErrors())
            return kExitInvalidInput;
        parsedProtocol = std::move(read.protocol);
    }

    Options o;
    o.login = brokerOpts.login(parser);
    o.fleet = parser.value(brokerOpts.fleet);
    o.json = parser.isSet(jsonOpt);
    auto link = hal::mqtt::connectLeader(o.login, QStringLiteral("scopesync-leader-%1").arg(getpid()));
    if (!link.ok()) {
        printErr(QStringLiteral("scopesync fleet: %1").arg(link.error().toString()));
        return kExitRuntime;
    }
    core::fleet::FleetLeader s(std::move(link.value()), topics.value());
    if (auto st = s.start(); !st.ok()) {
        printErr(QStringLiteral("scopesync fleet: %1").arg(st.error().toString()));
        return kExitRuntime;
    }
    s.collectStatus(discover);
    if (action == QLatin1String("status"))
        return printStatus(s, o);

    core::fleet::CaptureRequest request;
    request.id = id;
    request.pings = pings;
    request.fixedLead = fixedLead;
    request.fixedAt = fixedAt;
    request.images = images;
    if (parser.isSet(ledOpt))
        request.flash = core::fleet::FleetPulse {parser.value(ledOpt), std::nullopt, duration, 1000};
    request.interval = interval;
    request.protocol = protocol;
    request.parsedProtocol = std::move(parsedProtocol);
    request.timeout = timeout;
    core::fleet::FleetCapture flow(s);
    auto report = flow.run(request, [&](const core::fleet::CaptureReport &r) {
        if (r.plan)
            printErr(QStringLiteral("run %1: %2 image(s) per follower, %3 ms per image, %4 s from T; waiting "
                                    "for %5 follower(s)…")
                         .arg(id)
                         .arg(r.plan->frames)
                         .arg(r.interval.count())
                         .arg(std::chrono::duration<double>(r.plan->end).count(), 0, 'f', 1)
                         .arg(r.targets.size()));
    });
    if (!report.ok()) {
        using Problem = core::fleet::FleetCapture::Problem;
        switch (flow.problem()) {
        case Problem::NoFollowerOnline:
            printErr(QStringLiteral("scopesync fleet: no follower of fleet '%1' is online; start 'scopesync "
                                    "follow' on the rigs")
                         .arg(o.fleet));
            return kExitRuntime;
        case Problem::NoImageTime:
            printErr(QStringLiteral("scopesync fleet: %1 with --interval-ms").arg(report.error().message));
            return kExitUsage;
        case Problem::BadSchedule:
            printErr(QStringLiteral("scopesync fleet: %1: %2").arg(pos.value(1), report.error().toString()));
            return kExitInvalidInput;
        case Problem::None:
        case Problem::NotSent: break;
        }
        printErr(QStringLiteral("scopesync fleet: %1").arg(report.error().toString()));
        return kExitRuntime;
    }
    const QStringList &targets = report->targets;
    const core::fleet::LeadTimeChoice &choice = report->choice;
    const auto lead = report->lead;
    const auto &cmd = report->command;
    const auto &outcome = report->outcome;
    const auto &results = outcome.results;
    const auto &refusals = outcome.refusals;
    const auto summary = report->statistics.summary();
    const bool allOk = report->statistics.count() == targets.size();
    s.disconnect();

    if (o.json) {
        printJson(report->toJson());
    } else {
        printOut(
            QStringLiteral("command %1: T = %2 (lead %3 ms%4), %5 follower(s)")
                .arg(id)
                .arg(core::toNs(cmd.at))
                .arg(lead.count())
                .arg(report->leadFixed ? QStringLiteral(", fixed")
                                       : QStringLiteral(", from p99 round trip %1 µs over %2 samples%3")
                                             .arg(us(choice.p99RoundTrip))
                                             .arg(choice.samples)
                                             .arg(choice.floored ? QStringLiteral(", floor") : QString()))
                .arg(targets.size()));
        printOut(QStringLiteral("  %1  %2  %3  %4")
                     .arg(QStringLiteral("follower"), -20)
                     .arg(QStringLiteral("error µs"), 10)
                     .arg(QStringLiteral("clock"), -22)
                     .arg(QStringLiteral("images")));
        for (const QString &f : targets) {
            if (auto it = results.find(f); it != results.end()) {
                const auto &r = it->second;
                printOut(
                    QStringLiteral("  %1  %2  %3  %4")
                        .arg(f, -20)
                        .arg(!r.ok                ? QStringLiteral("FAILED")
                                : r.edges.empty() ? QStringLiteral("-")
                                                  : us(r.firingError()),
                            10)
                        .arg(clockText(r.clock), -22)
                        .arg(r.ok
                                ? QStringLiteral("%1 in %2%3")
                                      .arg(r.images.size())
                                      .arg(r.folder)
                                      .arg(r.images.size() > 1 && r.worstError
                                              ? QStringLiteral(" (worst image %1 µs)").arg(us(*r.worstError))
                                              : QString())
                                : QStringLiteral("after %1 image(s): %2")
                                      .arg(r.images.size())
                                      .arg(r.message)));
            } else if (auto rf = refusals.find(f); rf != refusals.end()) {
                printOut(QStringLiteral("  %1  %2  %3")
                             .arg(f, -20)
                             .arg(QStringLiteral("refused"), 10)
                             .arg(rf->second.message));
            } else {
                printOut(QStringLiteral("  %1  %2").arg(f, -20).arg(QStringLiteral("no reply"), 10));
            }
        }
        printOut(QStringLiteral(
            "firing error over %1 follower(s): p50 %2 µs, p99 %3 µs, max |error| %4 µs, spread %5 µs")
                     .arg(summary.count)
                     .arg(us(summary.p50), us(summary.p99), us(summary.absMax), us(summary.spread)));
    }
    return allOk ? kExitOk : kExitRuntime;
}

namespace {
const CommandRegistration registration(QStringLiteral("fleet"),
    QStringLiteral("Fleet leader: follower status, synchronised capture at T, firing errors (MQTT)."),
    runFleetCommand);
}

}  // namespace scopesync::app
