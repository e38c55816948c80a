// Unit tests for core/fleet: message schema, admission, statistics, lead time, clock reports, broker URL.
#include "core/fleet/admission.h"
#include "core/fleet/broker_url.h"
#include "core/fleet/clock_report_parser.h"
#include "core/fleet/firing_statistics.h"
#include "core/fleet/fleet_topics.h"
#include "core/fleet/lead_time_policy.h"
#include "core/fleet/message_codec.h"

#include <QJsonDocument>
#include <QTest>

#include "support/verify_ok.h"

using namespace scopesync::core::fleet;
using namespace std::chrono_literals;

namespace {
constexpr WallTime kNow {
    std::chrono::nanoseconds(1'718'000'000'123'456'789LL)};  // beyond 2^53: must survive as a string

Command capture(const QString &id, WallTime at)
{
    Command c;
    c.id = id;
    c.at = at;
    c.issued = kNow;
    c.images = {FleetImage {{FleetPulse {QStringLiteral("red"), 8000us, 2000us, 500}}}, FleetImage {}};
    c.interval = 250ms;
    return c;
}
}  // namespace

class TestFleetCore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void commandRoundTripKeepsNanoseconds()
    {
        const Command c = capture(QStringLiteral("abc-1"), kNow + 1ns);
        const auto d = MessageCodec::decodeCommand(MessageCodec::encode(c));
        SCOPESYNC_VERIFY_OK(d);
        QCOMPARE(d->at.time_since_epoch().count(), kNow.time_since_epoch().count() + 1);
        QCOMPARE(d->issued.time_since_epoch().count(), kNow.time_since_epoch().count());
        QCOMPARE(d->images.size(), std::size_t(2));
        QCOMPARE(d->images[0].pulses[0].led, QStringLiteral("red"));
        QCOMPARE(d->images[0].pulses[0].delay.value().count(), 8000);
        QCOMPARE(d->images[0].pulses[0].intensityPerMille, 500);
        QVERIFY(d->images[1].pulses.empty());
        QCOMPARE(d->interval.count(), 250);

        // A run carries its protocol and the slot every follower lays it out with.
        Command run = c;
        run.type = Command::Type::Run;
        run.images.clear();
        run.protocol = R"({"format":"scopesync-protocol","version":1,"steps":[]})";
        run.interval = std::chrono::milliseconds(400);
        const auto r = MessageCodec::decodeCommand(MessageCodec::encode(run));
        SCOPESYNC_VERIFY_OK(r);
        QCOMPARE(r->type, Command::Type::Run);
        QCOMPARE(r->protocol, run.protocol);
        QCOMPARE(r->interval.count(), 400);
    }
    void staggeredCommandGivesEachFollowerItsOwnT()
    {
        Command c = capture(QStringLiteral("stagger-1"), kNow + 500ms);
        c.atByFollower
            = {{QStringLiteral("f01"), kNow + 515ms + 1ns}, {QStringLiteral("pi-07.lab"), kNow + 530ms}};
        const auto d = MessageCodec::decodeCommand(MessageCodec::encode(c));
        SCOPESYNC_VERIFY_OK(d);
        QCOMPARE(d->atByFollower.size(), std::size_t(2));
        QCOMPARE(d->atByFollower.at(QStringLiteral("f01")).time_since_epoch().count(),
            (kNow + 515ms + 1ns).time_since_epoch().count());
        // Each follower executes its own T; one not named uses the common T.
        QCOMPARE(d->forFollower(QStringLiteral("f01")).at.time_since_epoch().count(),
            (kNow + 515ms + 1ns).time_since_epoch().count());
        QCOMPARE(d->forFollower(QStringLiteral("pi-07.lab")).at, kNow + 530ms);
        QCOMPARE(d->forFollower(QStringLiteral("f99")).at, kNow + 500ms);
        QVERIFY(d->forFollower(QStringLiteral("f01")).atByFollower.empty());
        QCOMPARE(d->forFollower(QStringLiteral("f01")).images.size(), std::size_t(2));

        // Admission judges a follower's own T: the common T is fine, this follower's is already past.
        Command late = capture(QStringLiteral("stagger-2"), kNow + 1s);
        late.atByFollower = {{QStringLiteral("f02"), kNow - 1ms}};
        Admission onF01;
        Admission onF02;
        QVERIFY(!onF01.check(late.forFollower(QStringLiteral("f01")), kNow));
        const auto refused = onF02.check(late.forFollower(QStringLiteral("f02")), kNow);
        QVERIFY(refused && refused->reason == Refusal::Reason::Past);
    }
    void commandWithoutPerFollowerTStaysCompatible()
    {
        // Without a table nothing is added to the wire (what older followers and leaders exchange) …
        const QByteArray plain = MessageCodec::encode(capture(QStringLiteral("c1"), kNow + 1s));
        QVERIFY(!plain.contains("at_ns_by_follower"));
        const auto d = MessageCodec::decodeCommand(plain);
        QVERIFY(d.ok());
        QVERIFY(d->atByFollower.empty());
        // … and a ping never carries one.
        Command ping;
        ping.type = Command::Type::Ping;
        ping.id = QStringLiteral("p1");
        ping.atByFollower = {{QStringLiteral("f01"), kNow}};
        QVERIFY(!MessageCodec::encode(ping).contains("at_ns_by_follower"));
    }
    void malformedCommandsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("where");
        QTest::newRow("not json") << QByteArray("{bad") << QStringLiteral("$");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("$");
        QTest::newRow("schema") << QByteArray(R"({"schema":"other/9","type":"ping","id":"a"})")
                                << QStringLiteral("$.schema");
        QTest::newRow("type") << QByteArray(R"({"schema":"scopesync.fleet/1","type":"explode","id":"a"})")
                              << QStringLiteral("$.type");
        QTest::newRow("id chars") << QByteArray(
            R"({"schema":"scopesync.fleet/1","type":"ping","id":"../etc"})")
                                  << QStringLiteral("$.id");
        QTest::newRow("at as number") << QByteArray(
            R"({"schema":"scopesync.fleet/1","type":"capture","id":"a","at_ns":1.5e18,"images":[{}]})")
                                      << QStringLiteral("$.at_ns");
        QTest::newRow("no images") << QByteArray(
            R"({"schema":"scopesync.fleet/1","type":"capture","id":"a","at_ns":"1","images":[]})")
                                   << QStringLiteral("$.images");
        QTest::newRow("pulse duration") << QByteArray(
            R"({"schema":"scopesync.fleet/1","type":"capture","id":"a","at_ns":"1","images":[{"pulses":[{"led":"red","duration_us":-3}]}]})")
                                        << QStringLiteral("$.images[0].pulses[0].duration_us");
        QTest::newRow("per-follower T as number") << QByteArray(
            R"({"schema":"scopesync.fleet/1","type":"capture","id":"a","at_ns":"1","at_ns_by_follower":{"f01":15},"images":[{}]})")
                                                  << QStringLiteral("$.at_ns_by_follower.f01");
        QTest::newRow("per-follower table not an object") << QByteArray(
            R"({"schema":"scopesync.fleet/1","type":"capture","id":"a","at_ns":"1","at_ns_by_follower":["1"],"images":[{}]})")
                                                          << QStringLiteral("$.at_ns_by_follower");
        QTest::newRow("per-follower T for a bad name") << QByteArray(
            R"({"schema":"scopesync.fleet/1","type":"capture","id":"a","at_ns":"1","at_ns_by_follower":{"f/+":"2"},"images":[{}]})")
                                                       << QStringLiteral("$.at_ns_by_follower.f/+");
        QTest::newRow("run without protocol")
            << QByteArray(R"({"schema":"scopesync.fleet/1","type":"run","id":"a","at_ns":"1"})")
            << QStringLiteral("$.protocol");
    }
    void malformedCommandsNameTheField()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, where);
        const auto d = MessageCodec::decodeCommand(payload);
        QVERIFY(!d.ok());
        QCOMPARE(d.error().where, where);
        QVERIFY(!d.error().message.isEmpty());
    }
    void repliesRoundTrip()
    {
        CaptureResult r;
        r.id = QStringLiteral("x");
        r.follower = QStringLiteral("f01");
        r.intended = kNow;
        r.edge = kNow + 12'345ns;
        r.edges = {r.edge};
        r.clock.source = ClockState::Source::Chrony;
        r.clock.offset = -1500ns;
        r.clock.errorBound = 250'000ns;
        r.folder = QStringLiteral("/data/x");
        r.images = {QStringLiteral("000000_fleet_red.ome.tif")};
        const auto d = MessageCodec::decodeReply(MessageCodec::encode(r));
        QVERIFY(d.ok());
        const auto &back = std::get<CaptureResult>(d.value());
        QCOMPARE(back.firingError().count(), 12'345);
        QCOMPARE(back.clock.source, ClockState::Source::Chrony);
        QCOMPARE(back.clock.errorBound->count(), 250'000);
        QCOMPARE(back.images, r.images);
        QVERIFY(!back.worstError);  // optional: absent stays absent
        r.worstError = 98'765ns;
        const auto dw = MessageCodec::decodeReply(MessageCodec::encode(r));
        QVERIFY(dw.ok());
        QCOMPARE(std::get<CaptureResult>(dw.value()).worstError->count(), 98'765);

        const Refusal invalid {
            QStringLiteral("x"), QStringLiteral("f02"), Refusal::Reason::Invalid, QStringLiteral("no uv")};
        const auto di = MessageCodec::decodeReply(MessageCodec::encode(invalid));
        QVERIFY(di.ok());
        QCOMPARE(std::get<Refusal>(di.value()).reason, Refusal::Reason::Invalid);

        const Refusal f {
            QStringLiteral("x"), QStringLiteral("f02"), Refusal::Reason::Duplicate, QStringLiteral("again")};
        const auto df = MessageCodec::decodeReply(MessageCodec::encode(f));
        QVERIFY(df.ok());
        QCOMPARE(std::get<Refusal>(df.value()).reason, Refusal::Reason::Duplicate);

        FollowerStatus s;
        s.follower = QStringLiteral("f03");
        s.online = true;
        s.rig = QStringLiteral("sim");
        const auto ds = MessageCodec::decodeStatus(MessageCodec::encode(s));
        QVERIFY(ds.ok());
        QVERIFY(ds->online);
        QVERIFY(!ds->imageTime);
        s.imageTime = std::chrono::milliseconds(290);
        QCOMPARE(MessageCodec::decodeStatus(MessageCodec::encode(s))->imageTime->count(), 290);
        s.online = false;
        QVERIFY(!MessageCodec::decodeStatus(MessageCodec::encode(s))->online);
    }
    // A run of illumination steps only takes no image: its result has no edge, so no firing error
    // (not the −T an epoch edge would give) goes on the wire, and it reads back without one.
    void resultWithoutImagesHasNoFiringError()
    {
        CaptureResult r;
        r.id = QStringLiteral("uv");
        r.follower = QStringLiteral("f01");
        r.intended = kNow;
        r.folder = QStringLiteral("/data/uv");
        const QJsonObject o = MessageCodec::toJson(r);
        QVERIFY(o.value(QStringLiteral("ok")).toBool());
        QVERIFY2(
            !o.contains(QStringLiteral("error_ns")), "an illumination-only result reports no firing error");
        QVERIFY(!o.contains(QStringLiteral("edge_ns")));
        const auto d = MessageCodec::decodeReply(MessageCodec::encode(r));
        QVERIFY2(d.ok(), d.ok() ? "" : qPrintable(d.error().message));
        QVERIFY(std::get<CaptureResult>(d.value()).edges.empty());

        // With images, the edge stays required.
        r.edges = {kNow + 5us};
        QJsonObject broken = MessageCodec::toJson(r);
        broken.remove(QStringLiteral("edge_ns"));
        QVERIFY(!MessageCodec::decodeReply(QJsonDocument(broken).toJson(QJsonDocument::Compact)).ok());
    }
    void admissionRefusesPastFarAndReplays()
    {
        Admission a(AdmissionConfig {20ms, 60'000ms, 4});
        QVERIFY(!a.check(capture(QStringLiteral("ok"), kNow + 1s), kNow));
        const auto dup = a.check(capture(QStringLiteral("ok"), kNow + 2s), kNow);
        QVERIFY(dup && dup->reason == Refusal::Reason::Duplicate);
        const auto past = a.check(capture(QStringLiteral("p"), kNow - 1ms), kNow);
        QVERIFY(past && past->reason == Refusal::Reason::Past);
        QVERIFY(past->message.contains(QLatin1String("behind")));
        const auto tooSoon = a.check(capture(QStringLiteral("s"), kNow + 5ms), kNow);
        QVERIFY(tooSoon && tooSoon->reason == Refusal::Reason::Past);
        const auto far = a.check(capture(QStringLiteral("f"), kNow + 61s), kNow);
        QVERIFY(far && far->reason == Refusal::Reason::TooFarAhead);
        // A refused id is remembered too: its replay is a duplicate, not a second evaluation.
        QCOMPARE(a.check(capture(QStringLiteral("p"), kNow + 1s), kNow)->reason, Refusal::Reason::Duplicate);
    }
    void admissionMemoryIsBounded()
    {
        Admission a(AdmissionConfig {20ms, 60'000ms, 3});
        for (int i = 0; i < 10; ++i)
            QVERIFY(!a.check(capture(QStringLiteral("id%1").arg(i), kNow + 1s), kNow));
        QCOMPARE(a.remembered(), 3);
        QVERIFY(a.check(capture(QStringLiteral("id9"), kNow + 1s), kNow));  // recent: still known
        // Forgotten, but by the time an id is forgotten its T has passed: the replay is refused anyway.
        const auto late = a.check(capture(QStringLiteral("id0"), kNow + 1s), kNow + 2s);
        QVERIFY(late && late->reason == Refusal::Reason::Past);
    }
    void statistics()
    {
        QCOMPARE(FiringStatistics {}.summary().count, 0);
        FiringStatistics s;
        for (int i = 1; i <= 100; ++i)
            s.add(QStringLiteral("f%1").arg(i), std::chrono::nanoseconds(i * 1000));
        s.add(QStringLiteral("early"), -5000ns);
        const auto m = s.summary();
        QCOMPARE(m.count, 101);
        QCOMPARE(m.p50.count(), 50'000);
        QCOMPARE(m.p99.count(), 99'000);
        QCOMPARE(m.min.count(), -5000);
        QCOMPARE(m.max.count(), 100'000);
        QCOMPARE(m.spread.count(), 105'000);
        QCOMPARE(m.absMax.count(), 100'000);
        QCOMPARE(FiringStatistics::percentile({1ns}, 99).count(), 1);
    }
    void leadTime()
    {
        const LeadTimePolicy p;
        const auto floorOnly = p.choose({});
        QCOMPARE(floorOnly.lead.count(), 500);
        QVERIFY(floorOnly.floored);
        std::vector<std::chrono::nanoseconds> rtts(99, 2ms);
        rtts.push_back(400ms);  // one outlier above p99 of 100 samples? nearest rank 99 → 2 ms
        QCOMPARE(p.choose(rtts).lead.count(), 500);
        std::vector<std::chrono::nanoseconds> slow(100, 150ms);
        const auto c = p.choose(slow);
        QCOMPARE(c.lead.count(), 150 * 3 + 200);
        QVERIFY(!c.floored);
        QCOMPARE(c.samples, 100);
    }
    void chronyTracking()
    {
        const auto s = ClockReportParser::parseChronyTracking(
            "C0A80101,192.168.1.1,3,1718000000.123456,-0.000012000,0.000003,0.000020,-12.3,0.001,0.05,0."
            "000400,0.000150,64.5,Normal\n");
        QVERIFY(s.ok());
        QCOMPARE(s->source, ClockState::Source::Chrony);
        QCOMPARE(s->offset->count(), -12'000);
        QCOMPARE(s->errorBound->count(), 12'000 + 150'000 + 200'000);
        QVERIFY(s->detail.contains(QLatin1String("192.168.1.1")));
        const auto u = ClockReportParser::parseChronyTracking(
            "00000000,,0,0.000000,0.000000000,0,0,0,0,0,1.000000,1.000000,0.0,Not synchronised\n");
        QVERIFY(u.ok());
        QCOMPARE(u->source, ClockState::Source::Unsynchronised);
        QVERIFY(!ClockReportParser::parseChronyTracking("506 Cannot talk to daemon\n").ok());
    }
    void pmcTimeStatus()
    {
        const QByteArray text = "sending: GET TIME_STATUS_NP\n"
                                "\t2ccf67.fffe.0a1b2c-0 seq 0 RESPONSE MANAGEMENT TIME_STATUS_NP \n"
                                "\t\tmaster_offset              -87\n"
                                "\t\tingress_time               1718000000123456789\n"
                                "\t\tcumulativeScaledRateOffset +0.000000000\n"
                                "\t\tgmPresent                  true\n"
                                "\t\tgmIdentity                 001122.fffe.334455\n";
        const auto s = ClockReportParser::parsePmcTimeStatus(text);
        QVERIFY(s.ok());
        QCOMPARE(s->source, ClockState::Source::Ptp);
        QCOMPARE(s->errorBound->count(), 87);
        QVERIFY(s->detail.contains(QLatin1String("001122.fffe.334455")));
        QByteArray alone = text;
        alone.replace("true", "false");
        QCOMPARE(ClockReportParser::parsePmcTimeStatus(alone)->source, ClockState::Source::Unsynchronised);
        QVERIFY(!ClockReportParser::parsePmcTimeStatus("sending: GET TIME_STATUS_NP\n").ok());
    }
    void brokerUrlAndTopics()
    {
        QCOMPARE(BrokerUrl::parse(QStringLiteral("mqtt://host:1884"))->port, 1884);
        QVERIFY(BrokerUrl::parse(QStringLiteral("mqtts://broker.lab"))->tls);
        QCOMPARE(BrokerUrl::parse(QStringLiteral("mqtts://broker.lab"))->port, 8883);
        QCOMPARE(BrokerUrl::parse(QStringLiteral("[::1]:1883"))->host, QStringLiteral("::1"));
        QVERIFY(!BrokerUrl::parse(QStringLiteral("http://x")).ok());
        QVERIFY(!BrokerUrl::parse(QStringLiteral("mqtt://x:70000")).ok());
        const auto t = FleetTopics::forFleet(QStringLiteral("lab"));
        QCOMPARE(t->command(), QStringLiteral("scopesync/lab/command"));
        QCOMPARE(t->followerOf(QStringLiteral("scopesync/lab/reply/pi-07")), QStringLiteral("pi-07"));
        QVERIFY(t->followerOf(QStringLiteral("scopesync/other/reply/pi-07")).isEmpty());
        QVERIFY(!FleetTopics::forFleet(QStringLiteral("a/#")).ok());
    }
};

QTEST_GUILESS_MAIN(TestFleetCore)
#include "test_fleet_core.moc"
