// Fleet end to end: mosquitto with passwords and ACLs, 20 simulated followers, a leader, refusals.
#include "core/storage/tiff_reader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "loopback_broker.h"
#include "support/sanitizers.h"
#include <chrono>
#include <ctime>
#include <memory>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using scopesync::testing::freeLoopbackPort;

namespace {

constexpr int kFollowers = 20;
const QString kFleet = QStringLiteral("itest");

qint64 realtimeNs()
{
    timespec ts {};
    clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double cpuSecondsOfChildren()
{
    rusage u {};
    getrusage(RUSAGE_CHILDREN, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QString &program, const QStringList &args, int timeoutMs = 60'000)
{
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

}  // namespace

class TestFleet : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_port = 0;
    int m_tlsPort = 0;  // 0: no openssl to make certificates with; the TLS test skips
    std::unique_ptr<QProcess> m_broker;
    std::vector<std::unique_ptr<QProcess>> m_followers;
    std::unique_ptr<QProcess> m_late;  // started while the broker is down
    QString m_pub;
    QString m_sub;
    double m_cpuBefore = 0;
    std::chrono::steady_clock::time_point m_started;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString broker() const { return QStringLiteral("mqtt://127.0.0.1:%1").arg(m_port); }
    static QString follower(int i) { return QStringLiteral("f%1").arg(i, 2, 10, QLatin1Char('0')); }
    QStringList leaderArgs(const QString &action) const
    {
        return {QStringLiteral("fleet"), action, QStringLiteral("--broker"), broker(),
            QStringLiteral("--fleet"), kFleet, QStringLiteral("--user"), QStringLiteral("leader"),
            QStringLiteral("--password-file"), path(QStringLiteral("leader.pw")), QStringLiteral("--json")};
    }
    QJsonObject leader(const QString &action, const QStringList &extra = {})
    {
        const Run r = run(QStringLiteral(SCOPESYNC_BINARY), leaderArgs(action) + extra);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        if (o.isEmpty())
            qWarning("leader printed no JSON (exit %d): %s", r.exitCode, r.err.constData());
        return o;
    }
    static void writeFile(const QString &p, const QByteArray &text)
    {
        QFile f(p);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
    // A CA, a broker certificate for 127.0.0.1 signed by it, and an unrelated CA; false without openssl.
    bool makeCertificates()
    {
        const QString openssl = scopesync::testing::findTool(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            return false;
        const auto ok = [&](const QStringList &args) { return run(openssl, args).exitCode == 0; };
        const auto selfSigned = [&](const QString &name) {
            return ok({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=%1").arg(name),
                QStringLiteral("-keyout"), path(name + QStringLiteral(".key")), QStringLiteral("-out"),
                path(name + QStringLiteral(".pem"))});
        };
        writeFile(path(QStringLiteral("san.ext")), "subjectAltName=IP:127.0.0.1\n");
        return selfSigned(QStringLiteral("ca")) && selfSigned(QStringLiteral("other-ca"))
            && ok({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                QStringLiteral("-nodes"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                QStringLiteral("-keyout"), path(QStringLiteral("server.key")), QStringLiteral("-out"),
                path(QStringLiteral("server.csr"))})
            && ok({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                path(QStringLiteral("server.csr")), QStringLiteral("-CA"), path(QStringLiteral("ca.pem")),
                QStringLiteral("-CAkey"), path(QStringLiteral("ca.key")), QStringLiteral("-CAcreateserial"),
                QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"),
                path(QStringLiteral("san.ext")), QStringLiteral("-out"), path(QStringLiteral("server.pem"))});
    }
    int onlineCount(const QString &fleet = kFleet)
    {
        const QJsonObject s = leader(QStringLiteral("status"),
            {QStringLiteral("--discover-ms"), QStringLiteral("500"), QStringLiteral("--fleet"), fleet});
        int n = 0;
        for (const auto &v : s.value(QStringLiteral("followers")).toArray())
            n += v.toObject().value(QStringLiteral("online")).toBool() ? 1 : 0;
        return n;
    }
    // The message of the first reply to one leader command.
    static QString firstMessage(const QJsonObject &o)
    {
        return o.value(QStringLiteral("replies"))
            .toArray()
            .first()
            .toObject()
            .value(QStringLiteral("message"))
            .toString();
    }
    // The replies of one leader command, by reason/type.
    static QMap<QString, int> replyKinds(const QJsonObject &o)
    {
        QMap<QString, int> kinds;
        for (const auto &v : o.value(QStringLiteral("replies")).toArray()) {
            const QJsonObject r = v.toObject();
            const QString k = r.value(QStringLiteral("type")).toString() == QLatin1String("refused")
                ? r.value(QStringLiteral("reason")).toString()
                : (r.value(QStringLiteral("ok")).toBool() ? QStringLiteral("ok") : QStringLiteral("failed"));
            kinds[k] += 1;
        }
        return kinds;
    }

private Q_SLOTS:
    void initTestCase()
    {
        SCOPESYNC_SKIP_UNDER_TSAN_WHEN_STARTING_PROCESSES();
        const QString mosquitto = scopesync::testing::findTool(QStringLiteral("mosquitto"));
        const QString passwd = scopesync::testing::findTool(QStringLiteral("mosquitto_passwd"));
        m_pub = scopesync::testing::findTool(QStringLiteral("mosquitto_pub"));
        m_sub = scopesync::testing::findTool(QStringLiteral("mosquitto_sub"));
        if (mosquitto.isEmpty() || passwd.isEmpty() || m_pub.isEmpty() || m_sub.isEmpty())
            QSKIP("mosquitto or its clients are not installed; install them with "
                  "'apt-get install mosquitto mosquitto-clients' to run the fleet test");
        QVERIFY(m_dir.isValid());
        m_port = freeLoopbackPort();
        QVERIFY(m_port > 0);

        // Accounts: one leader, one per follower, all with passwords.
        QCOMPARE(run(passwd,
                     {QStringLiteral("-c"), QStringLiteral("-b"), path(QStringLiteral("passwd")),
                         QStringLiteral("leader"), QStringLiteral("leader-secret")})
                     .exitCode,
            0);
        writeFile(path(QStringLiteral("leader.pw")), "leader-secret\n");
        // Three more for the camera-sync followers (an account is a follower's name: a second process
        // under the same name would take over the first one's session).
        for (int i = 0; i < kFollowers + 3; ++i) {
            QCOMPARE(run(passwd,
                         {QStringLiteral("-b"), path(QStringLiteral("passwd")), follower(i),
                             follower(i) + QStringLiteral("-secret")})
                         .exitCode,
                0);
            writeFile(path(follower(i) + QStringLiteral(".pw")),
                (follower(i) + QStringLiteral("-secret\n")).toUtf8());
        }
        // ACL (docs/fleet.md): only the leader writes commands; each follower writes only its own topics.
        writeFile(path(QStringLiteral("acl")), scopesync::testing::fleetAcl());
        QByteArray conf = scopesync::testing::brokerConfig(
            m_port, path(QStringLiteral("passwd")), path(QStringLiteral("acl")));
        // A second, TLS listener (same accounts and ACLs) with a certificate from a throw-away CA.
        if (makeCertificates()) {
            m_tlsPort = freeLoopbackPort();
            conf += QStringLiteral("listener %1 127.0.0.1\ncafile %2\ncertfile %3\nkeyfile %4\n")
                        .arg(m_tlsPort)
                        .arg(path(QStringLiteral("ca.pem")), path(QStringLiteral("server.pem")),
                            path(QStringLiteral("server.key")))
                        .toUtf8();
        }
        writeFile(path(QStringLiteral("mosquitto.conf")), conf);
        m_broker = std::make_unique<QProcess>();
        m_broker->setProcessChannelMode(QProcess::MergedChannels);
        m_broker->start(mosquitto, {QStringLiteral("-c"), path(QStringLiteral("mosquitto.conf"))});
        QVERIFY(m_broker->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(scopesync::testing::loopbackPortOpen(m_port), 5000);
        if (m_tlsPort)
            QTRY_VERIFY_WITH_TIMEOUT(scopesync::testing::loopbackPortOpen(m_tlsPort), 5000);

        // 20 followers, each its own process on a small simulated rig (loopback network).
        m_cpuBefore = cpuSecondsOfChildren();
        m_started = std::chrono::steady_clock::now();
        for (int i = 0; i < kFollowers; ++i) {
            auto p = std::make_unique<QProcess>();
            p->setStandardOutputFile(path(follower(i) + QStringLiteral(".log")));
            p->setStandardErrorFile(path(follower(i) + QStringLiteral(".log")), QIODevice::Append);
            p->start(QStringLiteral(SCOPESYNC_BINARY),
                {QStringLiteral("follow"), QStringLiteral("--broker"), broker(), QStringLiteral("--fleet"),
                    kFleet, QStringLiteral("--user"), follower(i), QStringLiteral("--password-file"),
                    path(follower(i) + QStringLiteral(".pw")), QStringLiteral("--rig"), QStringLiteral("sim"),
                    QStringLiteral("--out"), path(QStringLiteral("out/") + follower(i))});
            QVERIFY(p->waitForStarted());
            m_followers.push_back(std::move(p));
        }
        QTRY_COMPARE_WITH_TIMEOUT(onlineCount(), kFollowers, 60'000);
    }

    void everyFollowerCapturesAtT()
    {
        const QJsonObject o = leader(QStringLiteral("capture"),
            {QStringLiteral("--led"), QStringLiteral("red"), QStringLiteral("--id"),
                QStringLiteral("sync-1")});
        QCOMPARE(o.value(QStringLiteral("targets")).toArray().size(), kFollowers);
        QCOMPARE(replyKinds(o).value(QStringLiteral("ok")), kFollowers);
        QVERIFY(o.value(QStringLiteral("missing")).toArray().isEmpty());
        const QJsonObject fe = o.value(QStringLiteral("firing_error")).toObject();
        const QJsonObject lead = o.value(QStringLiteral("lead")).toObject();
        qInfo(
            "lead %.0f ms (p99 round trip %.1f µs over %d samples%s); last result %.1f ms after the command",
            o.value(QStringLiteral("lead_ms")).toDouble(),
            lead.value(QStringLiteral("p99_round_trip_us")).toDouble(),
            lead.value(QStringLiteral("samples")).toInt(),
            lead.value(QStringLiteral("floored")).toBool() ? ", floor" : "",
            o.value(QStringLiteral("last_answer_ms")).toDouble());
        qInfo("firing error over %d followers: p50 %.1f µs, p99 %.1f µs, min %.1f µs, max %.1f µs, spread "
              "%.1f µs",
            fe.value(QStringLiteral("count")).toInt(), fe.value(QStringLiteral("p50_us")).toDouble(),
            fe.value(QStringLiteral("p99_us")).toDouble(), fe.value(QStringLiteral("min_us")).toDouble(),
            fe.value(QStringLiteral("max_us")).toDouble(), fe.value(QStringLiteral("spread_us")).toDouble());
        // The followers share this machine's clock, so the error is pure scheduling. A follower firing on
        // receipt would show an error near −lead (−500 ms or more); the engine never fires before T, so a
        // negative error beyond 1 ms would be a conversion bug; 20 ms allows for a loaded 2-core VM with
        // 20 processes waking at once, and is still 25× smaller than the lead.
        QCOMPARE(fe.value(QStringLiteral("count")).toInt(), kFollowers);
        QVERIFY2(fe.value(QStringLiteral("abs_max_us")).toDouble() < 20'000,
            "a follower fired more than 20 ms from T");
        QVERIFY2(fe.value(QStringLiteral("min_us")).toDouble() > -1000, "a follower fired before T");
        // Every follower saved its image where it said.
        for (const auto &v : o.value(QStringLiteral("replies")).toArray()) {
            const QJsonObject r = v.toObject();
            const QString folder = r.value(QStringLiteral("folder")).toString();
            const QJsonArray images = r.value(QStringLiteral("images")).toArray();
            QCOMPARE(images.size(), 1);
            QVERIFY2(QFile::exists(QDir(folder).filePath(images[0].toString())), qPrintable(folder));
            QVERIFY(QFile::exists(QDir(folder).filePath(QStringLiteral("manifest.jsonl"))));
        }
    }

    // A protocol on one timeline with a 1 s slot: a 200 ms wait, image 0 at T + 0.2 s, a 100 ms wait,
    // a 1.5 s UV illumination from T + 1.3 s with one frame at its end (edge at 1.3 + 1.5 − 1 = 1.8 s),
    // the light off at 2.8 s, and after half a slot's guard the last image at T + 3.3 s.
    void everyFollowerRunsTheProtocolOnOneTimeline()
    {
        writeFile(path(QStringLiteral("fleet-run.json")), R"({
  "format": "scopesync-protocol", "version": 1, "name": "fleet run test",
  "steps": [
    {"type": "wait", "duration_ms": 200},
    {"type": "image", "label": "645", "flashes": [{"led": "red", "duration_ms": 2}]},
    {"type": "wait", "duration_ms": 100},
    {"type": "illuminate", "label": "Cleave", "flashes": [{"led": "uv"}], "duration_ms": 1500,
     "capture_period_ms": 1500},
    {"type": "image", "label": "645", "flashes": [{"led": "red", "duration_ms": 2}]}
  ]
})");
        const QJsonObject o = leader(QStringLiteral("run"),
            {path(QStringLiteral("fleet-run.json")), QStringLiteral("--interval-ms"), QStringLiteral("1000"),
                QStringLiteral("--id"), QStringLiteral("run-1")});
        QCOMPARE(o.value(QStringLiteral("frames")).toInt(), 3);
        QCOMPARE(o.value(QStringLiteral("slot_ms")).toInt(), 1000);
        QCOMPARE(replyKinds(o).value(QStringLiteral("ok")), kFollowers);
        const qint64 at = o.value(QStringLiteral("at_ns")).toString().toLongLong();
        const qint64 expected[] = {200'000'000, 1'800'000'000, 3'300'000'000};
        double worstUs = 0;
        for (const auto &v : o.value(QStringLiteral("replies")).toArray()) {
            const QJsonObject r = v.toObject();
            const QJsonArray edges = r.value(QStringLiteral("edges_ns")).toArray();
            QCOMPARE(edges.size(), 3);
            for (int k = 0; k < 3; ++k) {
                const double errUs = double(edges[k].toString().toLongLong() - (at + expected[k])) / 1000.0;
                worstUs = std::max(worstUs, std::abs(errUs));
                QVERIFY2(std::abs(errUs) < 20'000,
                    qPrintable(QStringLiteral("%1 image %2 fired %3 µs from its T")
                                   .arg(r.value(QStringLiteral("follower")).toString())
                                   .arg(k)
                                   .arg(errUs)));
            }
            // The follower's own account of its worst image agrees with the edges it sent.
            QVERIFY(std::abs(r.value(QStringLiteral("worst_error_ns")).toString().toDouble() / 1000.0)
                <= worstUs + 0.001);
            const QDir folder(r.value(QStringLiteral("folder")).toString());
            QCOMPARE(r.value(QStringLiteral("images")).toArray().size(), 3);
            for (const auto &im : r.value(QStringLiteral("images")).toArray())
                QVERIFY2(folder.exists(im.toString()), qPrintable(folder.filePath(im.toString())));
            QVERIFY(folder.exists(QStringLiteral("000001_Cleave_uv.ome.tif")));
            QVERIFY(folder.exists(QStringLiteral("summary.json")));
        }
        // The reported firing error is the first image's against its own T (T + 0.2 s), not against T.
        const QJsonObject fe = o.value(QStringLiteral("firing_error")).toObject();
        QCOMPARE(fe.value(QStringLiteral("count")).toInt(), kFollowers);
        QVERIFY2(fe.value(QStringLiteral("abs_max_us")).toDouble() < 20'000,
            qPrintable(QJsonDocument(fe).toJson(QJsonDocument::Compact)));
        qInfo("fleet run: 3 images on each of %d followers, worst |edge − T_k| %.1f µs", kFollowers, worstUs);
    }

    // A capture whose T falls inside a run in progress is refused at once, saying until when.
    void captureDuringARunIsRefusedAsBusy()
    {
        QProcess runLeader;
        runLeader.start(QStringLiteral(SCOPESYNC_BINARY),
            leaderArgs(QStringLiteral("run"))
                << path(QStringLiteral("fleet-run.json")) << QStringLiteral("--interval-ms")
                << QStringLiteral("1000") << QStringLiteral("--lead-ms") << QStringLiteral("800"));
        QVERIFY(runLeader.waitForStarted());
        QTest::qWait(2000);  // discovery (1 s) and the command are out; the run lasts until T + 4.3 s
        const QJsonObject o = leader(QStringLiteral("capture"),
            {QStringLiteral("--lead-ms"), QStringLiteral("500"), QStringLiteral("--discover-ms"),
                QStringLiteral("300")});
        QCOMPARE(replyKinds(o).value(QStringLiteral("busy")), kFollowers);
        const QString msg = firstMessage(o);
        QVERIFY2(
            msg.contains(QLatin1String("is running")) && msg.contains(QLatin1String("send T after that")),
            qPrintable(msg));
        QVERIFY(runLeader.waitForFinished(30'000));
        const QJsonObject r = QJsonDocument::fromJson(runLeader.readAllStandardOutput()).object();
        QCOMPARE(replyKinds(r).value(QStringLiteral("ok")), kFollowers);  // the run itself was not disturbed
    }

    // Camera sync (no trigger wire): the cameras run free on a shared frame timing and each follower
    // takes the frame that starts nearest T, flashing that one. Three simulated followers (one server):
    // the same frame everywhere (starts within 1 µs), within half a frame period of T, lit when asked and
    // dark when not.
    void syncedCamerasTakeTheFrameNearestT()
    {
        const QString fleet = QStringLiteral("itest-sync");
        std::vector<std::unique_ptr<QProcess>> synced;
        for (int i = 0; i < 3; ++i) {
            auto p = std::make_unique<QProcess>();
            p->setProcessChannelMode(QProcess::MergedChannels);
            p->setStandardOutputFile(path(follower(kFollowers + i) + QStringLiteral("-sync.log")));
            p->start(QStringLiteral(SCOPESYNC_BINARY),
                {QStringLiteral("follow"), QStringLiteral("--broker"), broker(), QStringLiteral("--fleet"),
                    fleet, QStringLiteral("--user"), follower(kFollowers + i),
                    QStringLiteral("--password-file"), path(follower(kFollowers + i) + QStringLiteral(".pw")),
                    QStringLiteral("--rig"), QStringLiteral("sim"), QStringLiteral("--camera-sync"),
                    i == 0 ? QStringLiteral("server") : QStringLiteral("client"), QStringLiteral("--out"),
                    path(QStringLiteral("out-sync/") + follower(kFollowers + i))});
            QVERIFY(p->waitForStarted());
            synced.push_back(std::move(p));
        }
        const auto stopAll = qScopeGuard([&] {
            for (auto &p : synced) {
                p->terminate();
                if (!p->waitForFinished(10'000))
                    p->kill();
            }
        });
        QTRY_COMPARE_WITH_TIMEOUT(onlineCount(fleet), 3, 30'000);

        // Dark first (no flash), then lit; per follower, the frame's mean level above its dark level must
        // follow the flash the engine drove on that frame's job (recorded in the image as LED edges).
        QMap<QString, double> dark;
        double minPerMs = 1e9;
        for (int lit = 0; lit <= 1; ++lit) {
            QStringList extra {QStringLiteral("--fleet"), fleet};
            if (lit)
                extra << QStringLiteral("--led") << QStringLiteral("red");
            const QJsonObject o = leader(QStringLiteral("capture"), extra);
            QCOMPARE(replyKinds(o).value(QStringLiteral("ok")), 3);
            const QJsonObject fe = o.value(QStringLiteral("firing_error")).toObject();
            // 10 frames/s: the nearest frame starts within 50 ms of T, and every follower took the same one.
            QVERIFY2(fe.value(QStringLiteral("abs_max_us")).toDouble() <= 50'000,
                qPrintable(QJsonDocument(fe).toJson(QJsonDocument::Compact)));
            // The same frame: its start differs only by each process's monotonic → realtime conversion.
            QVERIFY2(fe.value(QStringLiteral("spread_us")).toDouble() < 1.0,
                qPrintable(QJsonDocument(fe).toJson(QJsonDocument::Compact)));
            for (const auto &v : o.value(QStringLiteral("replies")).toArray()) {
                const QJsonObject r = v.toObject();
                const QString who = r.value(QStringLiteral("follower")).toString();
                const QString file
                    = QDir(r.value(QStringLiteral("folder")).toString())
                          .filePath(r.value(QStringLiteral("images")).toArray().first().toString());
                auto t = scopesync::core::storage::TiffReader::read(file);
                QVERIFY2(t.ok(), qPrintable(file));
                double sum = 0;
                for (auto px : t->image.pixels)
                    sum += px;
                const double mean = sum / double(t->image.pixels.size());
                if (!lit) {
                    dark[who] = mean;
                    continue;
                }
                static const QRegularExpression edge(QStringLiteral("red on_ns=(-?\\d+) off_ns=(-?\\d+)"));
                const auto m = edge.match(QString::fromUtf8(t->description));
                QVERIFY2(m.hasMatch(), qPrintable(file + QStringLiteral(" records no red edges")));
                const double drivenMs = double(m.captured(2).toLongLong() - m.captured(1).toLongLong()) / 1e6;
                QVERIFY2(drivenMs > 0.2,
                    qPrintable(QStringLiteral("%1: the flash lasted %2 ms").arg(who).arg(drivenMs)));
                // ≈1.5 DN per ms of flash here; a flash on any other frame would leave this one at the black
                // level, which an unlit 1332×990 frame's mean holds to ~0.01 DN.
                const double perMs = (mean - dark.value(who)) / drivenMs;
                minPerMs = std::min(minPerMs, perMs);
                QVERIFY2(perMs > 0.5,
                    qPrintable(QStringLiteral("%1: %2 DN over its dark frame for a %3 ms flash")
                                   .arg(who)
                                   .arg(mean - dark.value(who))
                                   .arg(drivenMs)));
            }
        }
        qInfo("camera sync: 3 followers took the same frame; the flashed frame gained at least %.2f DN per "
              "ms of "
              "flash over its dark frame",
            minPerMs);
    }

    // What the leader cannot check (the followers' LEDs) each follower refuses with the path and the fix.
    void runTheRigCannotDoIsRefusedWithThePath()
    {
        writeFile(path(QStringLiteral("fleet-ir.json")), R"({
  "format": "scopesync-protocol", "version": 1, "name": "no such LED",
  "steps": [{"type": "image", "flashes": [{"led": "infrared", "duration_ms": 2}]}]
})");
        const QJsonObject o = leader(QStringLiteral("run"),
            {path(QStringLiteral("fleet-ir.json")), QStringLiteral("--interval-ms"), QStringLiteral("500")});
        QCOMPARE(replyKinds(o).value(QStringLiteral("invalid")), kFollowers);
        const QString msg = firstMessage(o);
        QVERIFY2(
            msg.contains(QLatin1String("$.steps[0].flashes[0]")) && msg.contains(QLatin1String("infrared")),
            qPrintable(msg));
        // A slot shorter than the rigs need is refused before anything moves.
        const QJsonObject tight = leader(QStringLiteral("run"),
            {path(QStringLiteral("fleet-run.json")), QStringLiteral("--interval-ms"), QStringLiteral("5")});
        QCOMPARE(replyKinds(tight).value(QStringLiteral("invalid")), kFollowers);
    }

    void replayedIdIsRefused()
    {
        const QJsonObject again = leader(QStringLiteral("capture"),
            {QStringLiteral("--id"), QStringLiteral("sync-1"), QStringLiteral("--lead-ms"),
                QStringLiteral("500")});
        QCOMPARE(replyKinds(again).value(QStringLiteral("duplicate")), kFollowers);
        const QString msg = firstMessage(again);
        QVERIFY2(msg.contains(QLatin1String("already handled")), qPrintable(msg));
    }

    void pastTIsRefused()
    {
        const QJsonObject o = leader(QStringLiteral("capture"),
            {QStringLiteral("--at-ns"), QString::number(realtimeNs() - 5'000'000'000)});
        QCOMPARE(replyKinds(o).value(QStringLiteral("past")), kFollowers);
        const QJsonObject far = leader(QStringLiteral("capture"),
            {QStringLiteral("--at-ns"), QString::number(realtimeNs() + 3'600'000'000'000)});
        QCOMPARE(replyKinds(far).value(QStringLiteral("too-far-ahead")), kFollowers);
    }

    void malformedPayloadIsRefusedWithReason()
    {
        QProcess sub;
        sub.start(m_sub,
            {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
                QStringLiteral("-u"), QStringLiteral("leader"), QStringLiteral("-P"),
                QStringLiteral("leader-secret"), QStringLiteral("-t"),
                QStringLiteral("scopesync/%1/reply/+").arg(kFleet), QStringLiteral("-C"),
                QString::number(kFollowers), QStringLiteral("-W"), QStringLiteral("20")});
        QVERIFY(sub.waitForStarted());
        QTest::qWait(500);  // let the subscription reach the broker
        const Run pub = run(m_pub,
            {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
                QStringLiteral("-u"), QStringLiteral("leader"), QStringLiteral("-P"),
                QStringLiteral("leader-secret"), QStringLiteral("-q"), QStringLiteral("1"),
                QStringLiteral("-t"), QStringLiteral("scopesync/%1/command").arg(kFleet),
                QStringLiteral("-m"),
                QStringLiteral("{\"schema\":\"scopesync.fleet/1\",\"type\":\"capture\",\"id\":\"bad-1\"")});
        QCOMPARE(pub.exitCode, 0);
        QVERIFY(sub.waitForFinished(25'000));
        const QList<QByteArray> lines = sub.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), kFollowers);
        for (const QByteArray &l : lines) {
            const QJsonObject r = QJsonDocument::fromJson(l).object();
            QCOMPARE(r.value(QStringLiteral("reason")).toString(), QStringLiteral("malformed"));
            QVERIFY2(r.value(QStringLiteral("message")).toString().contains(QLatin1String("not valid JSON")),
                l.constData());
        }
    }

    void onlyTheLeaderMayCommand()
    {
        // No account: the broker refuses the connection.
        const Run anon = run(m_pub,
            {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
                QStringLiteral("-t"), QStringLiteral("scopesync/%1/command").arg(kFleet),
                QStringLiteral("-m"), QStringLiteral("x")});
        QVERIFY(anon.exitCode != 0);
        // A wrong password: refused too.
        const Run wrong = run(m_pub,
            {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
                QStringLiteral("-u"), QStringLiteral("leader"), QStringLiteral("-P"), QStringLiteral("guess"),
                QStringLiteral("-t"), QStringLiteral("scopesync/%1/command").arg(kFleet),
                QStringLiteral("-m"), QStringLiteral("x")});
        QVERIFY(wrong.exitCode != 0);
        // A follower's account may connect but the ACL drops its command: no follower acts or even answers.
        const qint64 t = realtimeNs() + 1'000'000'000;
        const QString cmd = QStringLiteral(
            "{\"schema\":\"scopesync.fleet/1\",\"type\":\"capture\",\"id\":\"acl-evil\",\"at_ns\":\"%1\","
            "\"images\":[{\"pulses\":[]}]}")
                                .arg(t);
        const Run follower0 = run(m_pub,
            {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
                QStringLiteral("-u"), follower(0), QStringLiteral("-P"),
                follower(0) + QStringLiteral("-secret"), QStringLiteral("-q"), QStringLiteral("1"),
                QStringLiteral("-t"), QStringLiteral("scopesync/%1/command").arg(kFleet),
                QStringLiteral("-m"), cmd});
        QCOMPARE(
            follower0.exitCode, 0);  // MQTT 3.1.1 cannot tell the publisher; the broker drops it silently
        QTest::qWait(2500);
        for (int i = 0; i < kFollowers; ++i) {
            QVERIFY(!QDir(path(QStringLiteral("out/%1/acl-evil").arg(follower(i)))).exists());
            QFile log(path(follower(i) + QStringLiteral(".log")));
            QVERIFY(log.open(QIODevice::ReadOnly));
            QVERIFY2(!log.readAll().contains("acl-evil"), qPrintable(follower(i)));
        }
        // The same payload from the leader's account is acted on (so the silence above is the ACL's doing).
        const QString ok = QString(cmd)
                               .replace(QLatin1String("acl-evil"), QLatin1String("acl-leader"))
                               .replace(QString::number(t), QString::number(realtimeNs() + 1'000'000'000));
        QCOMPARE(run(m_pub,
                     {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                         QString::number(m_port), QStringLiteral("-u"), QStringLiteral("leader"),
                         QStringLiteral("-P"), QStringLiteral("leader-secret"), QStringLiteral("-q"),
                         QStringLiteral("1"), QStringLiteral("-t"),
                         QStringLiteral("scopesync/%1/command").arg(kFleet), QStringLiteral("-m"), ok})
                     .exitCode,
            0);
        QTRY_VERIFY_WITH_TIMEOUT(
            QDir(path(QStringLiteral("out/%1/acl-leader").arg(follower(kFollowers - 1)))).exists(), 10'000);
    }

    // TLS through the broker's own listener: the leader reaches every follower with the CA that signed
    // the broker's certificate, and refuses to talk to a broker it cannot verify.
    void tlsLeaderVerifiesTheBroker()
    {
        if (!m_tlsPort)
            QSKIP("openssl is missing: install the Debian package openssl to test the TLS listener");
        const QString tls = QStringLiteral("mqtts://127.0.0.1:%1").arg(m_tlsPort);
        const auto leaderArgsTls = [&](const QString &action, const QString &ca) {
            QStringList a = leaderArgs(action);
            a[a.indexOf(broker())] = tls;
            if (!ca.isEmpty())
                a << QStringLiteral("--ca-file") << ca;
            return a;
        };
        const Run status = run(QStringLiteral(SCOPESYNC_BINARY),
            leaderArgsTls(QStringLiteral("status"), path(QStringLiteral("ca.pem")))
                << QStringLiteral("--discover-ms") << QStringLiteral("500"));
        QCOMPARE(status.exitCode, 0);
        int online = 0;
        for (const auto &v :
            QJsonDocument::fromJson(status.out).object().value(QStringLiteral("followers")).toArray())
            online += v.toObject().value(QStringLiteral("online")).toBool() ? 1 : 0;
        QCOMPARE(online, kFollowers);
        const Run capture = run(QStringLiteral(SCOPESYNC_BINARY),
            leaderArgsTls(QStringLiteral("capture"), path(QStringLiteral("ca.pem")))
                << QStringLiteral("--id") << QStringLiteral("tls-1"));
        QCOMPARE(replyKinds(QJsonDocument::fromJson(capture.out).object()).value(QStringLiteral("ok")),
            kFollowers);

        // A CA that did not sign the broker's certificate: no connection, and the error says TLS.
        const Run wrongCa = run(QStringLiteral(SCOPESYNC_BINARY),
            leaderArgsTls(QStringLiteral("status"), path(QStringLiteral("other-ca.pem"))));
        QVERIFY(wrongCa.exitCode != 0);
        QVERIFY2(QString::fromUtf8(wrongCa.err).contains(QLatin1String("TLS"), Qt::CaseInsensitive)
                || QString::fromUtf8(wrongCa.err).contains(QLatin1String("certificate"), Qt::CaseInsensitive),
            wrongCa.err.constData());
        // mqtts:// without a CA file is refused before any connection, naming the option.
        const Run noCa
            = run(QStringLiteral(SCOPESYNC_BINARY), leaderArgsTls(QStringLiteral("status"), QString()));
        QVERIFY(noCa.exitCode != 0);
        QVERIFY2(noCa.err.contains("--ca-file"), noCa.err.constData());
        // Plain MQTT to the TLS port does not get through either.
        const Run plain = run(m_pub,
            {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                QString::number(m_tlsPort), QStringLiteral("-u"), QStringLiteral("leader"),
                QStringLiteral("-P"), QStringLiteral("leader-secret"), QStringLiteral("-t"),
                QStringLiteral("scopesync/%1/command").arg(kFleet), QStringLiteral("-m"),
                QStringLiteral("x")},
            15'000);
        QVERIFY(plain.exitCode != 0);
    }

    // The broker goes away (a restart, which forgets every retained status) with the followers running,
    // and one more follower starts while it is down: once the broker is back, each follower publishes
    // "online" again on its own, and the late one, which waited instead of exiting, joins them.
    void followersComeBackAfterTheBrokerRestarts()
    {
        m_broker->terminate();
        QVERIFY(m_broker->waitForFinished(10'000));
        QTRY_VERIFY_WITH_TIMEOUT(!scopesync::testing::loopbackPortOpen(m_port), 5000);

        const QString late = follower(kFollowers);
        m_late = std::make_unique<QProcess>();
        m_late->setProcessChannelMode(QProcess::MergedChannels);
        m_late->start(QStringLiteral(SCOPESYNC_BINARY),
            {QStringLiteral("follow"), QStringLiteral("--broker"), broker(), QStringLiteral("--fleet"),
                kFleet, QStringLiteral("--user"), late, QStringLiteral("--password-file"),
                path(late + QStringLiteral(".pw")), QStringLiteral("--rig"), QStringLiteral("sim"),
                QStringLiteral("--out"), path(QStringLiteral("out/") + late)});
        QVERIFY(m_late->waitForStarted());
        // It says it is waiting for the broker, and keeps waiting.
        QByteArray said;
        QTRY_VERIFY_WITH_TIMEOUT((said += m_late->readAll()).contains("trying again"), 20'000);
        QCOMPARE(m_late->state(), QProcess::Running);

        m_broker->start(m_broker->program(), m_broker->arguments());
        QVERIFY(m_broker->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(scopesync::testing::loopbackPortOpen(m_port), 5000);
        // libmosquitto retries after at most 10 s; the late follower after at most 10 s too.
        QTRY_COMPARE_WITH_TIMEOUT(onlineCount(), kFollowers + 1, 60'000);
        const QJsonObject o
            = leader(QStringLiteral("capture"), {QStringLiteral("--id"), QStringLiteral("after-restart")});
        QCOMPARE(replyKinds(o).value(QStringLiteral("ok")), kFollowers + 1);

        m_late->terminate();
        QVERIFY(m_late->waitForFinished(10'000));
        QCOMPARE(m_late->exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_late->exitCode(), 0);
    }

    void cleanupTestCase()
    {
        for (auto &p : m_followers)
            if (p->state() != QProcess::NotRunning)
                p->terminate();
        for (auto &p : m_followers)
            if (!p->waitForFinished(10'000)) {
                p->kill();
                p->waitForFinished();
            }
        if (!m_followers.empty()) {
            const double wall
                = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
            const double cpu = cpuSecondsOfChildren() - m_cpuBefore;
            qInfo("%d followers used %.1f CPU-seconds over %.1f s wall (%.2f cores on average, %.3f per "
                  "follower), "
                  "leader and mosquitto clients included",
                kFollowers, cpu, wall, cpu / wall, cpu / wall / kFollowers);
            int clean = 0;
            for (auto &p : m_followers)
                clean += p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0 ? 1 : 0;
            QCOMPARE(clean, kFollowers);
            // Clean shutdown leaves a retained "offline" status for every follower.
            const QJsonObject s
                = leader(QStringLiteral("status"), {QStringLiteral("--discover-ms"), QStringLiteral("500")});
            int offline = 0;
            for (const auto &v : s.value(QStringLiteral("followers")).toArray())
                offline += v.toObject().value(QStringLiteral("online")).toBool() ? 0 : 1;
            // (and for the follower started while the broker was down, if that test ran)
            QCOMPARE(offline, kFollowers + (m_late ? 1 : 0));
        }
        if (m_broker) {
            m_broker->terminate();
            m_broker->waitForFinished(5000);
        }
    }
};

QTEST_GUILESS_MAIN(TestFleet)
#include "test_fleet.moc"
