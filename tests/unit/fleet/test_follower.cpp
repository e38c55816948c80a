// Follower without a broker: admission, pings, busy and overdue refusals, run refusals and a capture at T,
// through a fake host on a simulated xvs-source rig.
#include "core/camera/camera_settings.h"
#include "core/common/clocks.h"
#include "core/fleet/follower.h"
#include "core/fleet/message_codec.h"
#include "core/storage/manifest_reader.h"
#include "hal/sim/sim_rig.h"
#include "hal/strobe/strobe_engine.h"

#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <mutex>
#include <thread>

using namespace scopesync;
using namespace scopesync::core::fleet;
using namespace std::chrono_literals;

namespace {

class FakeHost final : public FollowerHost {
public:
    void publishReply(const QByteArray &payload) override
    {
        auto r = MessageCodec::decodeReply(payload);
        QVERIFY2(r.ok(), qPrintable(QString::fromUtf8(payload)));
        const std::lock_guard lock(m_mutex);
        m_replies.push_back(r.value());
    }
    [[nodiscard]] ClockState clockState() const override { return {}; }
    std::unique_ptr<PriorityBoost> raisePriority(int priority) override
    {
        m_lastPriority = priority;
        return std::make_unique<PriorityBoost>();
    }
    void log(const QString &) override { }

    std::vector<Reply> replies()
    {
        const std::lock_guard lock(m_mutex);
        return m_replies;
    }
    std::atomic<int> m_lastPriority {0};

private:
    std::mutex m_mutex;  // guards m_replies (the follower's threads against the test's)
    std::vector<Reply> m_replies;
};

std::unique_ptr<hal::sim::SimRig> makeRig()
{
    auto desc = core::acquisition::RigDescription::referenceSim();
    desc.modeWidth = 1332;
    desc.modeHeight = 990;
    desc.trigger = core::acquisition::TriggerMode::XvsSource;
    desc.delay = 8000us;
    auto settings = core::camera::CameraSettings::referenceRig();
    settings.shutter = 10'000us;
    auto r = hal::sim::SimRig::create(desc, settings, false, {false});
    if (!r.ok())
        return nullptr;
    auto rig = std::move(r.value());
    rig->strobe().setTriggerOnRequest(true, 2ms);
    if (!rig->strobe().start().ok() || !rig->camera().start().ok())
        return nullptr;
    return rig;
}

core::camera::CameraSettings settings10ms()
{
    auto s = core::camera::CameraSettings::referenceRig();
    s.shutter = 10'000us;
    return s;
}

Command capture(const QString &id, WallTime at, const QString &led = QStringLiteral("red"))
{
    Command c;
    c.type = Command::Type::Capture;
    c.id = id;
    c.issued = core::realtimeNow();
    c.at = at;
    FleetImage image;
    image.pulses.push_back({led, std::nullopt, 1000us, 1000});
    c.images.push_back(image);
    return c;
}

Command run(const QString &id, WallTime at, const QByteArray &protocol)
{
    Command c;
    c.type = Command::Type::Run;
    c.id = id;
    c.issued = core::realtimeNow();
    c.at = at;
    c.protocol = protocol;
    c.interval = 1000ms;  // room for a debug build's TIFF and fsync per image on a loaded machine
    return c;
}

QByteArray protocolWith(const QString &led, int images)
{
    QByteArray steps;
    for (int i = 0; i < images; ++i)
        steps += QStringLiteral(
            R"(%1{"type": "image", "label": "i%2", "flashes": [{"led": "%3", "duration_ms": 2}]})")
                     .arg(i ? QStringLiteral(",") : QString())
                     .arg(i)
                     .arg(led)
                     .toUtf8();
    return R"({"format": "scopesync-protocol", "version": 1, "name": "t", "steps": [)" + steps + "]}";
}

// The newest reply, if it is a T.
template <typename T> std::optional<T> last(const std::vector<Reply> &replies)
{
    if (replies.empty() || !std::holds_alternative<T>(replies.back()))
        return std::nullopt;
    return std::get<T>(replies.back());
}

}  // namespace

class TestFollower : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_out.isValid());
        m_rig = makeRig();
        QVERIFY(m_rig);
        m_host = std::make_unique<FakeHost>();
        m_follower = std::make_unique<Follower>(
            FollowerConfig {QStringLiteral("f1"), m_out.path(), {}}, *m_rig, settings10ms(), *m_host, m_stop);
    }
    void cleanup()
    {
        m_follower.reset();
        if (m_rig) {
            m_rig->camera().stop();
            m_rig->strobe().stop();
        }
        m_rig.reset();
        m_host.reset();
    }

    void rigMustDriveTheTriggerOrRunFreeWithCameraSync()
    {
        using core::acquisition::CameraSync;
        using core::acquisition::TriggerMode;
        auto rig = core::acquisition::RigDescription::referenceSim();
        rig.trigger = TriggerMode::XvsSink;
        QVERIFY(Follower::rigProblem(rig).contains(QStringLiteral("xvs-source")));
        rig.trigger = TriggerMode::XvsSource;
        QVERIFY(Follower::rigProblem(rig).isEmpty());
        QVERIFY(Follower::drivesTrigger(rig));
        rig.cameraSync = CameraSync::Client;
        QVERIFY(
            Follower::rigProblem(rig).startsWith(QStringLiteral("camera sync needs a free-running camera")));
        rig.trigger = TriggerMode::FreeRun;
        QVERIFY(Follower::rigProblem(rig).isEmpty());
        QVERIFY(!Follower::drivesTrigger(rig));
    }

    void pingIsAnsweredAtOnce()
    {
        Command ping;
        ping.type = Command::Type::Ping;
        ping.id = QStringLiteral("p1");
        ping.issued = core::realtimeNow();
        m_follower->onCommand(MessageCodec::encode(ping));
        const auto pong = last<Pong>(m_host->replies());
        QVERIFY(pong);
        QCOMPARE(pong->id, QStringLiteral("p1"));
        QVERIFY(!m_follower->serveOne(0ms));  // nothing was queued
    }

    void admissionRefusesPastDuplicateAndMalformed()
    {
        m_follower->onCommand(
            MessageCodec::encode(capture(QStringLiteral("c-past"), core::realtimeNow() - 1s)));
        const auto past = last<Refusal>(m_host->replies());
        QVERIFY(past);
        QCOMPARE(past->reason, Refusal::Reason::Past);
        QCOMPARE(past->follower, QStringLiteral("f1"));

        const auto c = capture(QStringLiteral("c-dup"), core::realtimeNow() + 5s);
        m_follower->onCommand(MessageCodec::encode(c));
        m_follower->onCommand(MessageCodec::encode(c));
        const auto dup = last<Refusal>(m_host->replies());
        QVERIFY(dup);
        QCOMPARE(dup->reason, Refusal::Reason::Duplicate);

        m_follower->onCommand(QByteArrayLiteral(R"({"schema": "scopesync.fleet/1", "id": "m1"})"));
        const auto bad = last<Refusal>(m_host->replies());
        QVERIFY(bad);
        QCOMPARE(bad->reason, Refusal::Reason::Malformed);
        QCOMPARE(bad->id, QStringLiteral("m1"));
    }

    void capturesAtT()
    {
        const WallTime at = core::realtimeNow() + 300ms;
        m_follower->onCommand(MessageCodec::encode(capture(QStringLiteral("c1"), at)));
        QVERIFY(m_host->replies().empty());  // queued, not answered yet
        QVERIFY(m_follower->serveOne(1s));
        const auto res = last<CaptureResult>(m_host->replies());
        QVERIFY(res);
        QVERIFY2(res->ok, qPrintable(res->message));
        QCOMPARE(res->images.size(), 1);
        QVERIFY(res->edge >= at);  // measured after the write, never before T
        QVERIFY(res->edge - at < 50ms);  // loose: a loaded VM; the point is "at T", not "on receipt"
        QVERIFY(QFile::exists(QDir(res->folder).filePath(res->images.front())));
        // The hand-off ran below the strobe thread's priority (not raised when that has none).
        QCOMPARE(m_host->m_lastPriority.load(), m_rig->strobe().realtimePriority() / 2);
    }

    void overdueCommandIsRefusedNotFired()
    {
        const WallTime at = core::realtimeNow() + 100ms;
        m_follower->onCommand(MessageCodec::encode(capture(QStringLiteral("c-late"), at)));
        std::this_thread::sleep_for(150ms);  // as if an earlier command had held the follower past T
        QVERIFY(m_follower->serveOne(0ms));
        const auto r = last<Refusal>(m_host->replies());
        QVERIFY(r);
        QCOMPARE(r->reason, Refusal::Reason::Busy);
        QVERIFY(r->message.contains(QStringLiteral("T passed")));
        QCOMPARE(m_rig->strobe().stats().triggers, 0);
    }

    void unknownLedIsRefusedBeforeAnythingMoves()
    {
        m_follower->onCommand(MessageCodec::encode(
            capture(QStringLiteral("c-led"), core::realtimeNow() + 300ms, QStringLiteral("infrared"))));
        QVERIFY(m_follower->serveOne(1s));
        const auto r = last<Refusal>(m_host->replies());
        QVERIFY(r);
        QCOMPARE(r->reason, Refusal::Reason::Invalid);
        QVERIFY(r->message.startsWith(QStringLiteral("$.images[0]")));
        QCOMPARE(m_rig->strobe().stats().triggers, 0);
    }

    void runWithAnLedTheRigLacksIsRefusedWithItsPath()
    {
        m_follower->onCommand(MessageCodec::encode(run(QStringLiteral("r-bad"), core::realtimeNow() + 300ms,
            protocolWith(QStringLiteral("infrared"), 1))));
        QVERIFY(m_follower->serveOne(1s));
        const auto r = last<Refusal>(m_host->replies());
        QVERIFY(r);
        QCOMPARE(r->reason, Refusal::Reason::Invalid);
        QVERIFY2(r->message.contains(QStringLiteral("$.steps[0]")), qPrintable(r->message));
        QVERIFY(!QDir(m_out.filePath(QStringLiteral("r-bad"))).exists());
    }

    void commandInsideARunIsRefusedAsBusyAtOnce()
    {
        const WallTime at = core::realtimeNow() + 200ms;
        m_follower->onCommand(
            MessageCodec::encode(run(QStringLiteral("r1"), at, protocolWith(QStringLiteral("red"), 3))));
        std::thread serving([this] { (void)m_follower->serveOne(1s); });
        const auto joinAtExit = qScopeGuard([&serving] {
            if (serving.joinable())
                serving.join();
        });
        // Wait until the run has started (it holds the follower until its end), then ask for a capture
        // inside it.
        QTRY_VERIFY_WITH_TIMEOUT(QDir(m_out.filePath(QStringLiteral("r1"))).exists(), 2000);
        m_follower->onCommand(MessageCodec::encode(capture(QStringLiteral("c-busy"), at + 1500ms)));
        const auto replies = m_host->replies();
        QVERIFY(!replies.empty());
        const auto *busy = std::get_if<Refusal>(&replies.front());
        QVERIFY(busy);
        QCOMPARE(busy->id, QStringLiteral("c-busy"));
        QCOMPARE(busy->reason, Refusal::Reason::Busy);
        QVERIFY(busy->message.contains(QStringLiteral("r1")));
        serving.join();
        const auto done = last<CaptureResult>(m_host->replies());
        QVERIFY(done);
        QVERIFY2(done->ok, qPrintable(done->message));
        QCOMPARE(done->images.size(), 3);
        auto manifest = core::storage::ManifestReader::read(done->folder);
        QVERIFY(manifest.ok());
    }

private:
    QTemporaryDir m_out;
    std::atomic<int> m_stop {0};
    std::unique_ptr<hal::sim::SimRig> m_rig;
    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<Follower> m_follower;
};

QTEST_GUILESS_MAIN(TestFollower)
#include "test_follower.moc"
