// FleetCapture, the leader's capture flow shared by the CLI and the GUI, against a fake broker link.
#include "core/fleet/fleet_capture.h"
#include "core/fleet/message_codec.h"

#include <QTest>

#include "support/verify_ok.h"
#include <mutex>

using namespace scopesync::core;
using namespace scopesync::core::fleet;
using namespace std::chrono_literals;

namespace {

// Followers answering at once on the publishing thread: status on subscribe, a pong per ping, and a
// result (edge = T + the follower's offset) or a refusal per capture or run.
class FakeLink final : public FleetLink {
public:
    struct Follower {
        bool online = true;
        std::optional<std::chrono::milliseconds> imageTime;
        std::chrono::nanoseconds offset {0};  // its edge − T
        bool refuses = false;
        bool answersPings = true;
    };

    FakeLink(FleetTopics topics, std::map<QString, Follower> followers)
        : m_topics(std::move(topics)), m_followers(std::move(followers))
    {
    }

    void setHandler(Handler handler) override { m_handler = std::move(handler); }
    Status subscribe(const QString &filter) override
    {
        if (filter == m_topics.allStatus())
            for (const auto &[name, f] : m_followers) {
                FollowerStatus s;
                s.follower = name;
                s.online = f.online;
                s.rig = QStringLiteral("sim");
                s.imageTime = f.imageTime;
                m_handler({m_topics.status(name), MessageCodec::encode(s)});
            }
        return Ok {};
    }
    Status publish(const QString &topic, const QByteArray &payload, bool) override
    {
        auto c = MessageCodec::decodeCommand(payload);
        if (topic != m_topics.command() || !c.ok())
            return Error {QStringLiteral("unexpected publish"), topic};
        if (c->type == Command::Type::Ping) {
            ++pings;
        } else {
            sent.push_back(c.value());
            if (refuseCommands)
                return Error {QStringLiteral("not authorised"), {}};
        }
        for (const auto &[name, f] : m_followers) {
            if (!f.online)
                continue;
            if (c->type == Command::Type::Ping) {
                if (f.answersPings)
                    m_handler({m_topics.reply(name), MessageCodec::encode(Pong {c->id, name, c->issued})});
            } else if (f.refuses) {
                m_handler({m_topics.reply(name),
                    MessageCodec::encode(
                        Refusal {c->id, name, Refusal::Reason::Busy, QStringLiteral("busy")})});
            } else {
                CaptureResult r;
                r.id = c->id;
                r.follower = name;
                r.intended = c->at;
                r.edge = c->at + f.offset;
                r.edges = {r.edge};
                r.folder = QStringLiteral("/runs/") + c->id;
                r.images = {QStringLiteral("image.ome.tif")};
                m_handler({m_topics.reply(name), MessageCodec::encode(r)});
            }
        }
        return Ok {};
    }
    void disconnect() override { }

    int pings = 0;
    std::vector<Command> sent;  // every capture or run published
    bool refuseCommands = false;  // the broker does not take the command

private:
    FleetTopics m_topics;
    std::map<QString, Follower> m_followers;
    Handler m_handler;
};

FakeLink::Follower online(
    std::chrono::nanoseconds offset, std::optional<std::chrono::milliseconds> imageTime = {})
{
    FakeLink::Follower f;
    f.offset = offset;
    f.imageTime = imageTime;
    return f;
}

FakeLink::Follower offline()
{
    FakeLink::Follower f;
    f.online = false;
    return f;
}

FleetTopics topics()
{
    return FleetTopics::forFleet(QStringLiteral("unit")).value();
}

// A started leader with its followers' status collected; `link` stays readable through the pointer.
std::unique_ptr<FleetLeader> leaderWith(std::map<QString, FakeLink::Follower> followers, FakeLink *&link)
{
    auto fake = std::make_unique<FakeLink>(topics(), std::move(followers));
    link = fake.get();
    auto leader = std::make_unique<FleetLeader>(std::move(fake), topics());
    if (!leader->start().ok())
        return nullptr;
    leader->collectStatus(50ms);
    return leader;
}

protocol::Protocol twoImages()
{
    protocol::Protocol p;
    for (int i = 0; i < 2; ++i) {
        protocol::Step s;
        s.kind = protocol::StepKind::Image;
        s.flashes.push_back({QStringLiteral("red"), 2000us, 1000, {}});
        s.sourcePath = QStringLiteral("$.steps[%1]").arg(i);
        p.steps.push_back(s);
    }
    return p;
}

}  // namespace

class TestFleetCapture : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void captureAtNowPlusTheMeasuredLead()
    {
        FakeLink *link = nullptr;
        auto leader = leaderWith({{QStringLiteral("a"), online(120us)}, {QStringLiteral("b"), online(-40us)},
                                     {QStringLiteral("off"), offline()}},
            link);
        QVERIFY(leader);
        CaptureRequest request;
        request.idPrefix = QStringLiteral("g");
        request.pings = 3;
        request.flash = FleetPulse {QStringLiteral("red"), std::nullopt, 2000us, 1000};
        FleetCapture flow(*leader);
        std::optional<CaptureReport> beforeSending;
        auto r = flow.run(request, [&](const CaptureReport &s) {
            beforeSending = s;
            QVERIFY(link->sent.empty());  // said before the command goes out
        });
        SCOPESYNC_VERIFY_OK(r);
        QCOMPARE(flow.problem(), FleetCapture::Problem::None);
        QVERIFY(beforeSending);
        QCOMPARE(beforeSending->lead, r->lead);

        // Only the online followers, pinged three rounds each.
        QCOMPARE(r->targets, (QStringList {QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(link->pings, 3);
        QCOMPARE(r->choice.samples, 6);
        // Instant round trips: the policy's floor sets the lead.
        QVERIFY(r->choice.floored);
        QCOMPARE(r->lead, 500ms);
        QVERIFY(!r->leadFixed);

        // One capture command, T = issued + lead, one image with the flash.
        QCOMPARE(int(link->sent.size()), 1);
        const Command &sent = link->sent.front();
        QCOMPARE(sent.type, Command::Type::Capture);
        QVERIFY(sent.id.startsWith(QLatin1Char('g')));
        QCOMPARE(sent.id, r->command.id);
        QCOMPARE((sent.at - sent.issued).count(), std::chrono::nanoseconds(500ms).count());
        QCOMPARE(int(sent.images.size()), 1);
        QCOMPARE(sent.images[0].pulses.at(0).led, QStringLiteral("red"));
        QCOMPARE(sent.images[0].pulses[0].duration, 2000us);
        // Replies awaited until the lead, one image's second and the 10 s timeout have passed.
        QVERIFY(r->wait <= 500ms + 11s);
        QVERIFY(r->wait > 500ms + 11s - 100ms);

        // Both replies collected; the statistics over both.
        QCOMPARE(int(r->outcome.results.size()), 2);
        QVERIFY(r->outcome.missing.isEmpty());
        QCOMPARE(r->statistics.count(), 2);
        const auto s = r->statistics.summary();
        QCOMPARE(s.max.count(), 120'000);
        QCOMPARE(s.min.count(), -40'000);
        QCOMPARE(s.spread.count(), 160'000);
    }

    void fixedLeadSendsNoPings()
    {
        FakeLink *link = nullptr;
        auto leader = leaderWith({{QStringLiteral("a"), {}}}, link);
        QVERIFY(leader);
        CaptureRequest request;
        request.id = QStringLiteral("fixed-1");
        request.fixedLead = 1234ms;
        request.images = 3;
        request.interval = 2s;
        FleetCapture flow(*leader);
        auto r = flow.run(request);
        QVERIFY(r.ok());
        QCOMPARE(link->pings, 0);
        QVERIFY(r->leadFixed);
        QCOMPARE(r->choice.samples, 0);
        QCOMPARE(r->lead, 1234ms);
        QCOMPARE(r->command.id, QStringLiteral("fixed-1"));
        QCOMPARE((r->command.at - r->command.issued).count(), std::chrono::nanoseconds(1234ms).count());
        QCOMPARE(int(r->command.images.size()), 3);
        QVERIFY(r->command.images[0].pulses.empty());
        QCOMPARE(r->command.interval, 2s);
        // Three images two seconds apart: their span, not one second per image.
        QVERIFY(r->wait > 1234ms + 3 * 2s + 10s - 100ms);
        QVERIFY(r->wait <= 1234ms + 3 * 2s + 10s);
    }

    void refusalsAreNotStatistics()
    {
        FakeLink *link = nullptr;
        FakeLink::Follower refuses;
        refuses.refuses = true;
        auto leader = leaderWith({{QStringLiteral("a"), {}}, {QStringLiteral("r"), refuses}}, link);
        QVERIFY(leader);
        CaptureRequest request;
        request.fixedLead = 1ms;
        request.timeout = 1s;
        FleetCapture flow(*leader);
        auto r = flow.run(request);
        QVERIFY(r.ok());
        QCOMPARE(int(r->outcome.refusals.size()), 1);
        QCOMPARE(r->outcome.refusals.at(QStringLiteral("r")).message, QStringLiteral("busy"));
        QCOMPARE(r->statistics.count(), 1);
    }

    void noFollowerOnlineSendsNothing()
    {
        FakeLink *link = nullptr;
        auto leader = leaderWith({{QStringLiteral("off"), offline()}}, link);
        QVERIFY(leader);
        FleetCapture flow(*leader);
        auto r = flow.run(CaptureRequest {});
        QVERIFY(!r.ok());
        QCOMPARE(flow.problem(), FleetCapture::Problem::NoFollowerOnline);
        QCOMPARE(link->pings, 0);
        QVERIFY(link->sent.empty());
    }

    void runUsesTheSlowestFollowersImageTime()
    {
        FakeLink *link = nullptr;
        auto leader = leaderWith(
            {{QStringLiteral("a"), online(0ns, 300ms)}, {QStringLiteral("b"), online(0ns, 450ms)}}, link);
        QVERIFY(leader);
        CaptureRequest request;
        request.fixedLead = 700ms;
        request.parsedProtocol = twoImages();
        request.protocol = "{}";
        request.images = 5;  // ignored: the protocol says how many
        FleetCapture flow(*leader);
        auto r = flow.run(request);
        SCOPESYNC_VERIFY_OK(r);
        QCOMPARE(r->command.type, Command::Type::Run);
        QCOMPARE(r->interval, 450ms);
        QCOMPARE(r->command.interval, 450ms);
        QVERIFY(r->command.images.empty());
        QCOMPARE(r->command.protocol, QByteArray("{}"));
        QVERIFY(r->plan);
        QCOMPARE(r->plan->frames, 2);
        QVERIFY(r->wait <= 700ms + r->plan->end + 10s);
    }

    void runWithoutImageTimeNamesTheFollower()
    {
        FakeLink *link = nullptr;
        auto leader
            = leaderWith({{QStringLiteral("a"), online(0ns, 300ms)}, {QStringLiteral("mute"), {}}}, link);
        QVERIFY(leader);
        CaptureRequest request;
        request.fixedLead = 700ms;
        request.parsedProtocol = twoImages();
        request.protocol = "{}";
        FleetCapture flow(*leader);
        auto r = flow.run(request);
        QVERIFY(!r.ok());
        QCOMPARE(flow.problem(), FleetCapture::Problem::NoImageTime);
        QVERIFY2(r.error().message.contains(QLatin1String("follower mute")), qPrintable(r.error().message));
        QVERIFY(link->sent.empty());

        // A slot given: no need to ask.
        request.interval = 400ms;
        auto given = flow.run(request);
        SCOPESYNC_VERIFY_OK(given);
        QCOMPARE(flow.problem(), FleetCapture::Problem::None);
        QCOMPARE(given->command.interval, 400ms);
    }

    void aRefusedPublishIsNotSent()
    {
        FakeLink *link = nullptr;
        auto leader = leaderWith({{QStringLiteral("a"), {}}}, link);
        QVERIFY(leader);
        link->refuseCommands = true;
        CaptureRequest request;
        request.fixedLead = 1ms;
        FleetCapture flow(*leader);
        auto r = flow.run(request);
        QVERIFY(!r.ok());
        QCOMPARE(flow.problem(), FleetCapture::Problem::NotSent);
        QVERIFY(r.error().message.contains(QLatin1String("not authorised")));
    }
};

QTEST_GUILESS_MAIN(TestFleetCapture)
#include "test_fleet_capture.moc"
