// bench_fleet: 100 follower processes behind a real mosquitto — command fan-out and firing error at T.
//
// Run:  build/bench/bench_fleet [followers=100] [rounds=4] [stagger_ms=60] [pings=20]
//       (as root, or with an rtprio limit of 80, so the followers' strobe threads get SCHED_FIFO;
//       BENCH_FLEET_KEEP=1 keeps the followers' logs; BENCH_FLEET_SPIN_US=N passes --trigger-spin-us N
//       to the followers, default 2000)
//
// Starts mosquitto on 127.0.0.1 (a free port) with a password per account and the ACLs of docs/fleet.md,
// then `scopesync follow --rig sim` processes (a simulated IMX477 1332×990 whose camera exposes only
// when the follower drives its trigger, so an idle follower renders nothing). This program is the
// leader, built from the same pieces as `scopesync fleet` (MqttClient, MessageCodec, LeadTimePolicy,
// FiringStatistics), so it can time each message itself:
//   - fan-out: pings (the protocol's acknowledgement: every follower answers a pong at once) — leader
//     publish → last pong back, and → last follower's receipt (its received_ns; one clock for all);
//   - firing error (measured trigger edge − T, from each follower's result) in two runs whose rounds
//     alternate, so the VM's hiccups fall on both alike: "staggered" gives each follower its own T
//     (at_ns_by_follower), `stagger_ms` apart in a shuffled order, so at most one follower's edges are
//     due at a time; "same T" sends one T to all, so all their strobe threads wake on two cores at once.
//     Each capture starts once the followers are back at their idle CPU rate (the last one's renders
//     and writes done), and its CPU cost per follower is measured.
// Prints p50/p99/max per run, the ratios same-T / staggered, and a baseline in this process: a thread
// woken like a strobe thread while the fleet idles and during the rounds, i.e. what the machine itself
// gives a real-time thread at that moment. It never fails on a time. Every process it starts is stopped (and
// dies with it, PR_SET_PDEATHSIG) and its temporary folder removed on every exit path, SIGINT and SIGTERM
// included.
#include "core/common/clocks.h"
#include "core/fleet/firing_statistics.h"
#include "core/fleet/fleet_topics.h"
#include "core/fleet/lead_time_policy.h"
#include "core/fleet/message_codec.h"
#include "hal/mqtt/broker_login.h"
#include "hal/strobe/precise_clock.h"
#include "hal/strobe/realtime.h"
#include "hal/strobe/strobe_engine.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTemporaryDir>

#include "tests/fleet/loopback_broker.h"
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sys/prctl.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace scopesync;
using namespace std::chrono_literals;
using core::fleet::CaptureResult;
using core::fleet::Command;
using core::fleet::FiringStatistics;
using core::fleet::MessageCodec;
using core::fleet::Pong;
using core::fleet::Refusal;
using hal::strobe::MonoTime;
using std::chrono::nanoseconds;

namespace {

const QString kFleet = QStringLiteral("bench");
const QString kLed = QStringLiteral("red");  // an LED of the `--rig sim` follower
constexpr std::chrono::microseconds kFlash {2000};

// Set by SIGINT/SIGTERM/SIGHUP; every wait below polls it, so an interrupted run still cleans up.
std::atomic<int> g_stop {0};

extern "C" void onStopSignal(int)
{
    g_stop.store(1);
}

void installStopSignals()
{
    struct sigaction sa { };
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    for (const int s : {SIGINT, SIGTERM, SIGHUP})
        sigaction(s, &sa, nullptr);
}

struct Options {
    int followers = 100;
    int rounds = 4;
    // A follower is busy for ~50 ms after its T (10 ms exposure, 7.9 ms readout, render, OME-TIFF,
    // fsync, publish; 15–25 ms of CPU): 60 ms apart, no follower's work overlaps the next one's T.
    std::chrono::milliseconds stagger {60};
    int pings = 20;
};

double us(nanoseconds d)
{
    return static_cast<double>(d.count()) / 1e3;
}
double ms(nanoseconds d)
{
    return static_cast<double>(d.count()) / 1e6;
}

QByteArray firstLine(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readLine().trimmed() : QByteArray();
}

qint64 memAvailableKb()
{
    QFile f(QStringLiteral("/proc/meminfo"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &l : f.readAll().split('\n'))
        if (l.startsWith("MemAvailable:"))
            return l.simplified().split(' ').value(1).toLongLong();
    return 0;
}

// Fields of /proc/<pid>/stat (or a task's) after the command name, which may hold spaces: index 0 is
// field 3 (state) of proc(5).
QList<QByteArray> statFields(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray s = f.readAll();
    return s.mid(s.lastIndexOf(')') + 2).split(' ');
}

// User + system CPU time of a process so far, and the part of it its SCHED_FIFO threads used.
struct Cpu {
    double seconds = 0;
    double fifoSeconds = 0;
    bool fifo = false;  // a thread runs SCHED_FIFO (the strobe thread, when the kernel granted it)
};

Cpu cpuOf(qint64 pid)
{
    Cpu c;
    const double tick = double(sysconf(_SC_CLK_TCK));
    const auto all = statFields(QStringLiteral("/proc/%1/stat").arg(pid));
    if (all.size() > 12)
        c.seconds = double(all[11].toLongLong() + all[12].toLongLong()) / tick;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString &t : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const auto f = statFields(tasks.filePath(t) + QStringLiteral("/stat"));
        if (f.size() > 38 && f[38].toInt() == SCHED_FIFO) {
            c.fifo = true;
            c.fifoSeconds += double(f[11].toLongLong() + f[12].toLongLong()) / tick;
        }
    }
    return c;
}

// The whole machine's CPU time (/proc/stat), to say how busy it was besides this benchmark.
struct MachineTicks {
    qint64 total = 0;
    qint64 idle = 0;  // idle + iowait
    qint64 steal = 0;  // taken by the hypervisor for other guests
};

MachineTicks machineTicks()
{
    MachineTicks t;
    const auto v = firstLine(QStringLiteral("/proc/stat")).simplified().split(' ');
    for (int i = 1; i < v.size(); ++i)
        t.total += v[i].toLongLong();
    t.idle = v.value(4).toLongLong() + v.value(5).toLongLong();
    t.steal = v.value(8).toLongLong();
    return t;
}

struct Memory {
    qint64 rssKb = 0;
    qint64 pssKb = 0;
    qint64 anonKb = 0;  // what each further follower adds; file pages (the program, Qt, OpenCV) are shared
};

Memory memoryOf(qint64 pid)
{
    Memory m;
    QFile f(QStringLiteral("/proc/%1/smaps_rollup").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return m;
    for (const QByteArray &l : f.readAll().split('\n')) {
        const auto v = l.simplified().split(' ');
        if (v.size() < 2)
            continue;
        if (v[0] == "Rss:")
            m.rssKb = v[1].toLongLong();
        else if (v[0] == "Pss:")
            m.pssKb = v[1].toLongLong();
        else if (v[0] == "Anonymous:")
            m.anonKb = v[1].toLongLong();
    }
    return m;
}

// What the broker delivers to the leader (libmosquitto's thread), stamped on arrival, for the main
// thread to take.
class Inbox {
public:
    struct Item {
        hal::mqtt::MqttMessage message;
        MonoTime arrived {};
    };
    void push(const hal::mqtt::MqttMessage &m)
    {
        const MonoTime at = hal::strobe::monotonicNow();
        {
            const std::lock_guard lock(m_mutex);
            m_items.push_back({m, at});
        }
        m_cv.notify_all();
    }
    // Hands every message to `take` until `done()`, `deadline` (CLOCK_MONOTONIC) or a stop signal.
    template <typename Take, typename Done> bool drainUntil(MonoTime deadline, Take take, Done done)
    {
        while (!done()) {
            if (g_stop.load() != 0)
                return false;
            std::deque<Item> batch;
            {
                std::unique_lock lock(m_mutex);
                const auto left = deadline - hal::strobe::monotonicNow();
                if (left <= 0ns)
                    return false;
                m_cv.wait_for(lock, std::min<nanoseconds>(left, 50ms), [&] { return !m_items.empty(); });
                batch.swap(m_items);
            }
            for (const Item &i : batch)
                take(i);
        }
        return true;
    }

private:
    std::mutex m_mutex;  // guards m_items
    std::condition_variable m_cv;
    std::deque<Item> m_items;
};

// The broker, the followers and their folder. Stopping happens in the destructor, so an early return
// or an exception stops them too; PR_SET_PDEATHSIG covers this process being killed outright.
class Fleet {
public:
    Fleet() = default;
    Fleet(const Fleet &) = delete;
    Fleet &operator=(const Fleet &) = delete;
    ~Fleet() { stop(); }

    [[nodiscard]] bool valid() const { return m_dir.isValid(); }
    // Keeps the folder (followers' logs, broker configuration) for a look after the run.
    QString keep()
    {
        m_dir.setAutoRemove(false);
        return m_dir.path();
    }
    [[nodiscard]] QString path(const QString &name) const { return m_dir.filePath(name); }
    [[nodiscard]] QString broker() const { return QStringLiteral("mqtt://127.0.0.1:%1").arg(m_port); }
    static QString follower(int i) { return QStringLiteral("f%1").arg(i, 3, 10, QLatin1Char('0')); }
    [[nodiscard]] int size() const { return int(m_followers.size()); }
    [[nodiscard]] qint64 followerPid(int i) const { return m_followers[std::size_t(i)]->processId(); }
    [[nodiscard]] qint64 brokerPid() const { return m_broker ? m_broker->processId() : 0; }

    // Accounts (leader + one per follower, hashed by mosquitto_passwd -U in one call), the ACL of
    // docs/fleet.md, the configuration; starts the broker and waits for its port.
    bool startBroker(const QString &mosquitto, const QString &passwd, int followers, QString *why)
    {
        m_port = scopesync::testing::freeLoopbackPort();
        QByteArray plain = "leader:leader-secret\n";
        writeFile(path(QStringLiteral("leader.pw")), "leader-secret\n");
        for (int i = 0; i < followers; ++i) {
            const QByteArray name = follower(i).toUtf8();
            plain += name + ':' + name + "-secret\n";
            writeFile(path(follower(i) + QStringLiteral(".pw")), name + "-secret\n");
        }
        writeFile(path(QStringLiteral("passwd")), plain);
        QProcess hash;
        hash.start(passwd, {QStringLiteral("-U"), path(QStringLiteral("passwd"))});
        if (!hash.waitForFinished(60'000) || hash.exitCode() != 0) {
            *why = QStringLiteral("mosquitto_passwd -U failed: %1")
                       .arg(QString::fromLocal8Bit(hash.readAllStandardError()));
            return false;
        }
        writeFile(path(QStringLiteral("acl")), scopesync::testing::fleetAcl());
        const QByteArray conf = scopesync::testing::brokerConfig(
            m_port, path(QStringLiteral("passwd")), path(QStringLiteral("acl")));
        writeFile(path(QStringLiteral("mosquitto.conf")), conf);
        m_broker = startChild(mosquitto, {QStringLiteral("-c"), path(QStringLiteral("mosquitto.conf"))},
            path(QStringLiteral("mosquitto.log")));
        for (int i = 0; i < 100 && !scopesync::testing::loopbackPortOpen(m_port); ++i)
            std::this_thread::sleep_for(50ms);
        if (!scopesync::testing::loopbackPortOpen(m_port)) {
            *why = QStringLiteral("mosquitto did not open port %1; see its log: %2")
                       .arg(m_port)
                       .arg(QString::fromUtf8(readFile(path(QStringLiteral("mosquitto.log")))));
            return false;
        }
        return true;
    }

    static QString triggerSpinUs()
    {
        return qEnvironmentVariable("BENCH_FLEET_SPIN_US", QStringLiteral("2000"));
    }

    void startFollower(const QString &scopesync, int i)
    {
        QDir().mkpath(path(QStringLiteral("out")));
        const QString spinUs = triggerSpinUs();
        m_followers.push_back(startChild(scopesync,
            {QStringLiteral("follow"), QStringLiteral("--broker"), broker(), QStringLiteral("--fleet"),
                kFleet, QStringLiteral("--user"), follower(i), QStringLiteral("--password-file"),
                path(follower(i) + QStringLiteral(".pw")), QStringLiteral("--rig"), QStringLiteral("sim"),
                QStringLiteral("--out"), path(QStringLiteral("out/") + follower(i)),
                QStringLiteral("--trigger-spin-us"), spinUs},
            path(follower(i) + QStringLiteral(".log"))));
    }

    // Run folders of one command on every follower: removed as soon as measured, so the disk holds at
    // most one command's images (100 × 2.6 MB).
    void removeRunFolders(const QString &id) const
    {
        for (int i = 0; i < size(); ++i)
            QDir(path(QStringLiteral("out/%1/%2").arg(follower(i), id))).removeRecursively();
    }

    QByteArray logOf(int i) const { return readFile(path(follower(i) + QStringLiteral(".log"))); }

    // SIGTERM first (a follower then publishes "offline" and turns its LEDs off), SIGKILL after 15 s.
    // Returns how many followers exited cleanly (code 0).
    int stop()
    {
        for (auto &p : m_followers)
            if (p->state() != QProcess::NotRunning)
                p->terminate();
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        int clean = 0;
        for (auto &p : m_followers) {
            const auto left = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           deadline - std::chrono::steady_clock::now()),
                std::chrono::milliseconds(100));
            if (p->state() != QProcess::NotRunning && !p->waitForFinished(int(left.count()))) {
                p->kill();
                p->waitForFinished(5000);
            }
            clean += p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0 ? 1 : 0;
        }
        m_followers.clear();
        if (m_broker) {
            m_broker->terminate();
            if (!m_broker->waitForFinished(5000)) {
                m_broker->kill();
                m_broker->waitForFinished(5000);
            }
            m_broker.reset();
        }
        return clean;
    }

private:
    static void writeFile(const QString &p, const QByteArray &text)
    {
        QFile f(p);
        if (f.open(QIODevice::WriteOnly))
            f.write(text);
    }
    static QByteArray readFile(const QString &p)
    {
        QFile f(p);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static std::unique_ptr<QProcess> startChild(
        const QString &program, const QStringList &args, const QString &log)
    {
        auto p = std::make_unique<QProcess>();
        p->setStandardOutputFile(log);
        p->setStandardErrorFile(log, QIODevice::Append);
        // Dies with this program even if it is killed without a chance to clean up.
        p->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        p->start(program, args);
        p->waitForStarted();
        return p;
    }

    QTemporaryDir m_dir;  // declared first: removed after every process using it has stopped
    int m_port = 0;
    std::unique_ptr<QProcess> m_broker;
    std::vector<std::unique_ptr<QProcess>> m_followers;
};

// The machine's own floor, measured in this process: one thread woken exactly like a follower's strobe
// thread (enterRealtime(80), absolute sleep with the engine's busy tail) every 20 ms. Its lateness is
// what this machine gives a real-time thread at that moment, with no MQTT, hand-off or line write
// involved; samples are tagged with what the fleet was doing (idle, a staggered or a same-T round).
class WakeProbe {
public:
    enum Phase { Between = 0, Idle = 1, Staggered = 2, SameT = 3 };

    WakeProbe() = default;
    WakeProbe(const WakeProbe &) = delete;
    WakeProbe &operator=(const WakeProbe &) = delete;
    ~WakeProbe() { stop(); }

    void start()
    {
        m_thread = std::thread([this] { run(); });
    }
    void stop()
    {
        m_stop.store(true);
        if (m_thread.joinable())
            m_thread.join();
    }
    void setPhase(Phase p) { m_phase.store(p); }
    [[nodiscard]] bool fifo() const { return m_fifo.load(); }
    [[nodiscard]] std::vector<nanoseconds> lateness(Phase p) const
    {
        const std::lock_guard lock(m_mutex);
        return m_late[p];
    }

private:
    void run()
    {
        m_fifo.store(hal::strobe::enterRealtime(80).fifo);
        const nanoseconds tail = hal::strobe::StrobeEngineConfig {}.busyTail;
        MonoTime deadline = hal::strobe::monotonicNow() + 20ms;
        while (!m_stop.load()) {
            const Phase phase = m_phase.load();
            const MonoTime woke = hal::strobe::sleepUntil(deadline, tail);
            {
                const std::lock_guard lock(m_mutex);
                m_late[phase].push_back(woke - deadline);
            }
            // The next slot on the 20 ms grid that is still ahead (a long stall skips slots).
            while (deadline <= hal::strobe::monotonicNow() + tail)
                deadline += 20ms;
        }
    }

    std::thread m_thread;
    std::atomic<bool> m_stop {false};
    std::atomic<bool> m_fifo {false};
    std::atomic<Phase> m_phase {Between};
    mutable std::mutex m_mutex;  // guards m_late (probe thread appends, main thread copies)
    std::vector<nanoseconds> m_late[4];
};

// The leader's view of the fleet: status and replies as they arrive.
struct Leader {
    core::fleet::FleetTopics topics;
    std::unique_ptr<hal::mqtt::MqttClient> client;
    Inbox inbox;
    std::map<QString, bool> online;
    // Replies that arrived while waiting for something else (status during a capture and so on).
    void note(const Inbox::Item &i)
    {
        const QString who = topics.followerOf(i.message.topic);
        if (!who.isEmpty() && i.message.topic == topics.status(who))
            if (auto s = MessageCodec::decodeStatus(i.message.payload); s.ok())
                online[who] = s->online;
    }
    [[nodiscard]] int onlineCount() const
    {
        return int(std::count_if(online.begin(), online.end(), [](const auto &o) { return o.second; }));
    }
    bool waitOnline(int n, std::chrono::seconds timeout)
    {
        return inbox.drainUntil(
            hal::strobe::monotonicNow() + timeout, [&](const Inbox::Item &i) { note(i); },
            [&] { return onlineCount() >= n; });
    }
};

struct PingRound {
    nanoseconds lastRoundTrip {0};  // publish → last pong at the leader
    nanoseconds lastReceipt {0};  // publish → the latest follower receipt (pong received_ns)
    nanoseconds puback {0};  // publish → the broker's PUBACK
    int answered = 0;
};

struct Capture {
    QString id;
    QString kind;
    int round = 0;
    int results = 0;
    std::map<QString, int> refusals;  // by reason
    std::vector<std::pair<QString, nanoseconds>> errors;  // follower, edge − T
    nanoseconds toLastResult {0};  // publish → last result at the leader
    nanoseconds afterLastT {0};  // the latest T → last result
    double cpuPerCapture = 0;  // seconds of follower CPU per result (render, OME-TIFF, fsync, publish)
};

QString percentiles(std::vector<nanoseconds> v, double (*unit)(nanoseconds), const char *suffix)
{
    std::sort(v.begin(), v.end());
    return QStringLiteral("p50 %1 %4, p99 %2 %4, max %3 %4")
        .arg(unit(FiringStatistics::percentile(v, 50)), 0, 'f', 1)
        .arg(unit(FiringStatistics::percentile(v, 99)), 0, 'f', 1)
        .arg(unit(v.empty() ? 0ns : v.back()), 0, 'f', 1)
        .arg(QString::fromUtf8(suffix));
}

void out(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

PingRound pingRound(
    Leader &l, int followers, std::vector<nanoseconds> &roundTrips, std::vector<nanoseconds> &receipts)
{
    Command ping;
    ping.type = Command::Type::Ping;
    ping.id = QStringLiteral("ping-%1").arg(core::toNs(core::realtimeNow()));
    ping.issued = core::realtimeNow();
    const QByteArray payload = MessageCodec::encode(ping);
    PingRound r;
    const MonoTime sent = hal::strobe::monotonicNow();
    const auto sentWall = core::realtimeNow();
    if (!l.client->publish(l.topics.command(), payload, 1, false, true).ok())
        return r;
    r.puback = hal::strobe::monotonicNow() - sent;
    l.inbox.drainUntil(
        sent + 5s,
        [&](const Inbox::Item &i) {
            l.note(i);
            auto reply = MessageCodec::decodeReply(i.message.payload);
            const auto *p = reply.ok() ? std::get_if<Pong>(&reply.value()) : nullptr;
            if (!p || p->id != ping.id)
                return;
            ++r.answered;
            roundTrips.push_back(i.arrived - sent);
            receipts.push_back(p->received - sentWall);
            r.lastRoundTrip = std::max(r.lastRoundTrip, i.arrived - sent);
            r.lastReceipt = std::max(r.lastReceipt, p->received - sentWall);
        },
        [&] { return r.answered >= followers; });
    return r;
}

Capture capture(Leader &l, const QString &kind, int round, int followers, std::chrono::milliseconds lead,
    std::chrono::milliseconds stagger, std::mt19937 &rng)
{
    Capture c;
    c.kind = kind;
    c.round = round;
    Command cmd;
    cmd.id = QStringLiteral("%1-%2-%3").arg(kind).arg(round).arg(core::toNs(core::realtimeNow()) % 1'000'000);
    c.id = cmd.id;
    cmd.issued = core::realtimeNow();
    cmd.at = cmd.issued + lead;
    cmd.images = {core::fleet::FleetImage {{core::fleet::FleetPulse {kLed, std::nullopt, kFlash, 1000}}}};
    core::fleet::WallTime lastT = cmd.at;
    if (stagger.count() > 0) {
        // A new order every round: no follower is always first, or always fires right after another.
        std::vector<int> order(std::size_t(followers), 0);
        for (int i = 0; i < followers; ++i)
            order[std::size_t(i)] = i;
        std::shuffle(order.begin(), order.end(), rng);
        for (int k = 0; k < followers; ++k)
            cmd.atByFollower[Fleet::follower(order[std::size_t(k)])] = cmd.at + k * stagger;
        lastT = cmd.at + (followers - 1) * stagger;
    }
    const QByteArray payload = MessageCodec::encode(cmd);
    const MonoTime sent = hal::strobe::monotonicNow();
    const auto sentWall = core::realtimeNow();
    if (!l.client->publish(l.topics.command(), payload, 1, false, true).ok())
        return c;
    MonoTime last {};
    std::set<QString> answered;
    l.inbox.drainUntil(
        sent + (lastT - cmd.issued) + 15s,
        [&](const Inbox::Item &i) {
            l.note(i);
            auto reply = MessageCodec::decodeReply(i.message.payload);
            if (!reply.ok())
                return;
            if (const auto *r = std::get_if<CaptureResult>(&reply.value()); r && r->id == cmd.id) {
                answered.insert(r->follower);
                if (r->ok) {
                    ++c.results;
                    c.errors.emplace_back(r->follower, r->firingError());
                } else {
                    c.refusals[QStringLiteral("failed: ") + r->message.left(60)] += 1;
                }
                last = i.arrived;
            } else if (const auto *f = std::get_if<Refusal>(&reply.value()); f && f->id == cmd.id) {
                answered.insert(f->follower);
                c.refusals[Refusal::reasonName(f->reason)] += 1;
                last = i.arrived;
            }
        },
        [&] { return int(answered.size()) >= followers; });
    if (last != MonoTime {}) {
        c.toLastResult = last - sent;
        c.afterLastT = c.toLastResult - (lastT - sentWall);
    }
    return c;
}

QString summaryLine(const core::fleet::FiringSummary &s)
{
    return QStringLiteral("p50 %1 µs, p99 %2 µs, max %3 µs (min %4 µs, spread %5 µs)")
        .arg(us(s.p50), 0, 'f', 1)
        .arg(us(s.p99), 0, 'f', 1)
        .arg(us(s.max), 0, 'f', 1)
        .arg(us(s.min), 0, 'f', 1)
        .arg(us(s.spread), 0, 'f', 1);
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    installStopSignals();
    Options o;
    const QStringList a = app.arguments();
    if (a.size() > 1)
        o.followers = std::clamp(a[1].toInt(), 1, 999);
    if (a.size() > 2)
        o.rounds = std::clamp(a[2].toInt(), 1, 50);
    if (a.size() > 3)
        o.stagger = std::chrono::milliseconds(std::clamp(a[3].toInt(), 1, 1000));
    if (a.size() > 4)
        o.pings = std::clamp(a[4].toInt(), 1, 1000);

    const QString mosquitto = scopesync::testing::findTool(QStringLiteral("mosquitto"));
    const QString passwd = scopesync::testing::findTool(QStringLiteral("mosquitto_passwd"));
    if (mosquitto.isEmpty() || passwd.isEmpty()) {
        std::fprintf(stderr,
            "bench_fleet: mosquitto is not installed; 'apt-get install mosquitto' and run it again\n");
        return 2;
    }
    const QString scopesync = QStringLiteral(SCOPESYNC_BINARY);
    QProcess version;
    version.setProcessChannelMode(QProcess::MergedChannels);
    version.start(mosquitto, {QStringLiteral("-h")});
    version.waitForFinished(5000);
    const QString brokerVersion
        = QString::fromUtf8(version.readAllStandardOutput().split('\n').value(0)).trimmed();

    out(QStringLiteral("bench_fleet: %1 'scopesync follow' processes and one leader on this machine, through "
                       "%2 on 127.0.0.1 (passwords, ACLs)")
            .arg(o.followers)
            .arg(brokerVersion));
    out(QStringLiteral("  fan-out: leader publish -> last follower's pong at the leader (the protocol's "
                       "acknowledgement), and -> last follower's receipt (pong received_ns; one clock)"));
    out(QStringLiteral("  firing error: measured trigger edge - T, per follower, from its result (one clock "
                       "for all, so it is scheduling alone)"));
    out(QStringLiteral(
        "  rig: --rig sim = simulated IMX477 1332x990, xvs-source, camera exposes only when "
        "triggered (nothing rendered while idle), shutter 10 ms; each capture flashes %1 %2 µs")
            .arg(kLed)
            .arg(kFlash.count()));
    out(QStringLiteral("machine: %1 cores, load %2 (/proc/loadavg), MemAvailable %3 GB, %4 %5")
            .arg(std::thread::hardware_concurrency())
            .arg(QString::fromUtf8(firstLine(QStringLiteral("/proc/loadavg"))))
            .arg(double(memAvailableKb()) / 1048576.0, 0, 'f', 1)
            .arg(QSysInfo::kernelType(), QSysInfo::kernelVersion()));
    out(QStringLiteral("network: loopback only, one namespace (followers share the broker's network stack)"));
    out(QStringLiteral("followers: --trigger-spin-us %1 (the strobe thread spins this long before each T)")
            .arg(Fleet::triggerSpinUs()));

    Fleet fleet;
    if (!fleet.valid()) {
        std::fprintf(stderr, "bench_fleet: cannot create a temporary folder\n");
        return 1;
    }
    if (qEnvironmentVariableIsSet("BENCH_FLEET_KEEP"))
        out(QStringLiteral("keeping the logs in %1 (BENCH_FLEET_KEEP)").arg(fleet.keep()));
    QString why;
    if (!fleet.startBroker(mosquitto, passwd, o.followers, &why)) {
        std::fprintf(stderr, "bench_fleet: %s\n", qPrintable(why));
        return 1;
    }
    auto topics = core::fleet::FleetTopics::forFleet(kFleet);
    const hal::mqtt::BrokerLogin login {
        fleet.broker(), QStringLiteral("leader"), fleet.path(QStringLiteral("leader.pw")), {}, {}, {}, false};
    auto mo = login.options(QStringLiteral("bench-leader-%1").arg(getpid()));
    if (!mo.ok()) {
        std::fprintf(stderr, "bench_fleet: leader: %s\n", qPrintable(mo.error().toString()));
        return 1;
    }
    auto client = hal::mqtt::MqttClient::connect(mo.value());
    if (!client.ok()) {
        std::fprintf(stderr, "bench_fleet: leader: %s\n", qPrintable(client.error().toString()));
        return 1;
    }
    Leader leader {topics.value(), std::move(client.value()), {}, {}};
    leader.client->setHandler([&leader](const hal::mqtt::MqttMessage &m) { leader.inbox.push(m); });
    for (const QString &t : {leader.topics.allStatus(), leader.topics.allReplies()})
        if (!leader.client->subscribe(t).ok()) {
            std::fprintf(stderr, "bench_fleet: cannot subscribe to %s\n", qPrintable(t));
            return 1;
        }

    // One follower first: its memory decides how many fit.
    const auto startAt = std::chrono::steady_clock::now();
    fleet.startFollower(scopesync, 0);
    if (!leader.waitOnline(1, 60s)) {
        std::fprintf(
            stderr, "bench_fleet: the first follower did not come online:\n%s\n", fleet.logOf(0).constData());
        return 1;
    }
    std::this_thread::sleep_for(500ms);  // past start-up allocations
    const Memory one = memoryOf(fleet.followerPid(0));
    const qint64 available = memAvailableKb();
    // File pages (program and libraries) are paid once; anonymous pages (thread stacks, the
    // slide, buffers) per follower, plus 16 MB for the frame each renders and writes when it captures.
    const qint64 perFollowerKb = one.anonKb + 16 * 1024;
    const qint64 sharedKb = one.rssKb - one.anonKb;
    const qint64 budgetKb = available * 8 / 10 - sharedKb;
    const int fit = int(std::max<qint64>(1, budgetKb / std::max<qint64>(1, perFollowerKb)));
    out(QStringLiteral("one follower: RSS %1 MB (anonymous %2 MB, the rest the program and its libraries, "
                       "shared) -> %3 followers need about %4 GB of %5 GB available%6")
            .arg(double(one.rssKb) / 1024, 0, 'f', 0)
            .arg(double(one.anonKb) / 1024, 0, 'f', 0)
            .arg(o.followers)
            .arg(double(perFollowerKb * o.followers + sharedKb) / 1048576.0, 0, 'f', 1)
            .arg(double(available) / 1048576.0, 0, 'f', 1)
            .arg(fit < o.followers ? QStringLiteral(": TOO MANY, using %1").arg(fit) : QString()));
    o.followers = std::min(o.followers, fit);

    for (int i = 1; i < o.followers && g_stop.load() == 0; ++i)
        fleet.startFollower(scopesync, i);
    if (!leader.waitOnline(o.followers, 180s)) {
        std::fprintf(stderr, "bench_fleet: only %d of %d followers came online within 180 s%s\n",
            leader.onlineCount(), o.followers, g_stop.load() ? " (stopped by a signal)" : "");
        return 1;
    }
    const double upSeconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - startAt).count();

    // Idle cost: what the followers and the broker use while nothing is asked of them.
    std::this_thread::sleep_for(1s);
    const auto cpuOfFollowers = [&] {
        Cpu sum;
        for (int i = 0; i < fleet.size(); ++i) {
            const Cpu c = cpuOf(fleet.followerPid(i));
            sum.seconds += c.seconds;
            sum.fifoSeconds += c.fifoSeconds;
        }
        return sum;
    };
    const Cpu idle0 = cpuOfFollowers();
    const double idleB0 = cpuOf(fleet.brokerPid()).seconds;
    WakeProbe probe;
    probe.start();
    probe.setPhase(WakeProbe::Idle);
    std::this_thread::sleep_for(5s);
    probe.setPhase(WakeProbe::Between);
    const Cpu idle1 = cpuOfFollowers();
    const double idleF = (idle1.seconds - idle0.seconds) / 5.0;
    const double idleFifo = (idle1.fifoSeconds - idle0.fifoSeconds) / 5.0;
    const double idleB = (cpuOf(fleet.brokerPid()).seconds - idleB0) / 5.0;
    int fifo = 0;
    qint64 pssKb = 0;
    for (int i = 0; i < fleet.size(); ++i) {
        fifo += cpuOf(fleet.followerPid(i)).fifo ? 1 : 0;
        pssKb += memoryOf(fleet.followerPid(i)).pssKb;
    }
    out(QStringLiteral("%1 followers online after %2 s; strobe thread SCHED_FIFO in %3 of them; PSS total "
                       "%4 GB")
            .arg(o.followers)
            .arg(upSeconds, 0, 'f', 1)
            .arg(fifo)
            .arg(double(pssKb) / 1048576.0, 0, 'f', 2));
    out(QStringLiteral("idle: the followers use %1 cores together (%2% of a core each), %3 cores of it in "
                       "their SCHED_FIFO strobe threads (the 5 ms idle poll); the broker %4 cores")
            .arg(idleF, 0, 'f', 2)
            .arg(idleF / o.followers * 100, 0, 'f', 2)
            .arg(idleFifo, 0, 'f', 2)
            .arg(idleB, 0, 'f', 3));

    // Fan-out through the broker.
    std::vector<nanoseconds> roundTrips;
    std::vector<nanoseconds> receipts;
    std::vector<nanoseconds> lastRoundTrips;
    std::vector<nanoseconds> lastReceipts;
    std::vector<nanoseconds> pubacks;
    int complete = 0;
    for (int r = 0; r < o.pings && g_stop.load() == 0; ++r) {
        const PingRound p = pingRound(leader, o.followers, roundTrips, receipts);
        complete += p.answered == o.followers ? 1 : 0;
        lastRoundTrips.push_back(p.lastRoundTrip);
        lastReceipts.push_back(p.lastReceipt);
        pubacks.push_back(p.puback);
        std::this_thread::sleep_for(100ms);
    }
    out(QStringLiteral("fan-out, %1 pings to %2 followers (%3 answered by all):")
            .arg(lastRoundTrips.size())
            .arg(o.followers)
            .arg(complete));
    out(QStringLiteral("  command -> last follower's receipt:       %1")
            .arg(percentiles(lastReceipts, ms, "ms")));
    out(QStringLiteral("  command -> last acknowledgement (pong):   %1")
            .arg(percentiles(lastRoundTrips, ms, "ms")));
    out(QStringLiteral("  every follower's receipt (%1 samples):   %2")
            .arg(receipts.size())
            .arg(percentiles(receipts, ms, "ms")));
    out(QStringLiteral("  broker's PUBACK to the leader:            %1").arg(percentiles(pubacks, ms, "ms")));
    const core::fleet::LeadTimeChoice lead = core::fleet::LeadTimePolicy {}.choose(roundTrips);
    out(QStringLiteral("lead (the leader's policy: p99 round trip x 3 + 200 ms, at least 500 ms): %1 ms%2")
            .arg(lead.lead.count())
            .arg(lead.floored ? QStringLiteral(" (the floor)") : QString()));

    // Waits until the followers are back at their idle CPU rate (the last capture's renders, writes and
    // fsyncs done; at most 20 s), so that every round starts from the same state and none inherits the
    // previous one's work.
    const auto settle = [&] {
        const auto giveUp = std::chrono::steady_clock::now() + 20s;
        double before = cpuOfFollowers().seconds;
        auto at = std::chrono::steady_clock::now();
        while (g_stop.load() == 0 && std::chrono::steady_clock::now() < giveUp) {
            std::this_thread::sleep_for(500ms);
            const double now = cpuOfFollowers().seconds;
            const auto t = std::chrono::steady_clock::now();
            const double rate = (now - before) / std::chrono::duration<double>(t - at).count();
            if (rate < idleF * 1.5 + 0.05)
                return true;
            before = now;
            at = t;
        }
        return false;
    };

    // The two runs, rounds alternating (and which goes first too).
    std::mt19937 rng(20240601);
    std::vector<Capture> captures;
    const double busyF0 = cpuOfFollowers().seconds;
    const MachineTicks machine0 = machineTicks();
    const auto busyAt = std::chrono::steady_clock::now();
    for (int r = 1; r <= o.rounds && g_stop.load() == 0; ++r) {
        for (int k = 0; k < 2 && g_stop.load() == 0; ++k) {
            const bool staggered = (k == 0) == (r % 2 == 1);
            const bool settled = settle();
            const double cpu0 = cpuOfFollowers().seconds;
            const auto t0 = std::chrono::steady_clock::now();
            probe.setPhase(staggered ? WakeProbe::Staggered : WakeProbe::SameT);
            Capture c = capture(leader, staggered ? QStringLiteral("staggered") : QStringLiteral("same-T"), r,
                o.followers, lead.lead, staggered ? o.stagger : 0ms, rng);
            probe.setPhase(WakeProbe::Between);
            settle();
            // The capture's own cost: the followers' CPU time over the round, less their idle rate.
            const double seconds
                = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            c.cpuPerCapture = c.results > 0
                ? std::max(0.0, cpuOfFollowers().seconds - cpu0 - idleF * seconds) / c.results
                : 0.0;
            FiringStatistics s;
            for (const auto &[who, e] : c.errors)
                s.add(who, e);
            QStringList refused;
            for (const auto &[reason, n] : c.refusals)
                refused << QStringLiteral("%1 %2").arg(n).arg(reason);
            out(QStringLiteral(
                "  %1 round %2: %3/%4 results%5; %6; last result %7 ms after the last T; %8 ms "
                "CPU per capture%9")
                    .arg(c.kind, -9)
                    .arg(r)
                    .arg(c.results)
                    .arg(o.followers)
                    .arg(refused.isEmpty() ? QString()
                                           : QStringLiteral(" (%1)").arg(refused.join(QStringLiteral(", "))))
                    .arg(summaryLine(s.summary()))
                    .arg(ms(c.afterLastT), 0, 'f', 0)
                    .arg(c.cpuPerCapture * 1e3, 0, 'f', 1)
                    .arg(settled ? QString() : QStringLiteral(" (started before the followers were idle)")));
            fleet.removeRunFolders(c.id);
            captures.push_back(std::move(c));
        }
    }
    probe.stop();
    const MachineTicks machine1 = machineTicks();
    const double ticks = double(std::max<qint64>(1, machine1.total - machine0.total));
    const double busyCores = (cpuOfFollowers().seconds - busyF0)
        / std::max(1e-3, std::chrono::duration<double>(std::chrono::steady_clock::now() - busyAt).count());

    std::map<QString, core::fleet::FiringSummary> summary;
    std::map<QString, double> cpuPerCapture;  // median over the rounds
    for (const QString &kind : {QStringLiteral("staggered"), QStringLiteral("same-T")}) {
        FiringStatistics s;
        int results = 0;
        int expected = 0;
        int over = 0;
        std::vector<nanoseconds> afterLastT;
        std::vector<double> cpu;
        for (const Capture &c : captures) {
            if (c.kind != kind)
                continue;
            for (const auto &[who, e] : c.errors) {
                s.add(who, e);
                over += e > 100us ? 1 : 0;
            }
            results += c.results;
            expected += o.followers;
            afterLastT.push_back(c.afterLastT);
            cpu.push_back(c.cpuPerCapture);
        }
        std::sort(cpu.begin(), cpu.end());
        cpuPerCapture[kind] = cpu.empty() ? 0.0 : cpu[cpu.size() / 2];
        summary[kind] = s.summary();
        out(QStringLiteral(
            "%1: %2/%3 results; firing error %4; %5 > 100 µs; last result after the last T: %6")
                .arg(kind, -9)
                .arg(results)
                .arg(expected)
                .arg(summaryLine(summary[kind]))
                .arg(over)
                .arg(percentiles(afterLastT, ms, "ms")));
    }
    const auto &st = summary[QStringLiteral("staggered")];
    const auto &same = summary[QStringLiteral("same-T")];
    const auto ratio = [](nanoseconds x, nanoseconds y) {
        return y.count() > 0 ? double(x.count()) / double(y.count()) : 0.0;
    };
    if (st.count > 0 && same.count > 0) {
        out(QStringLiteral(
            "same-T / staggered: p50 %1x, p99 %2x, max %3x; the same-T spread over %4 followers "
            "on %5 cores is %6 µs per follower per core: what each strobe thread holds a core "
            "for at T")
                .arg(ratio(same.p50, st.p50), 0, 'f', 1)
                .arg(ratio(same.p99, st.p99), 0, 'f', 1)
                .arg(ratio(same.max, st.max), 0, 'f', 1)
                .arg(o.followers)
                .arg(std::thread::hardware_concurrency())
                .arg(us(same.spread)
                        / (double(o.followers) / std::max(1U, std::thread::hardware_concurrency())),
                    0, 'f', 1));
    }
    for (const auto &[phase, name] : {std::pair {WakeProbe::Idle, "while the fleet idles (5 s)"},
             {WakeProbe::Staggered, "during the staggered rounds"},
             {WakeProbe::SameT, "during the same-T rounds"}}) {
        const auto late = probe.lateness(phase);
        const auto over = std::count_if(late.begin(), late.end(), [](nanoseconds l) { return l > 100us; });
        out(QStringLiteral("baseline in this process %1: a %2 thread woken like a strobe thread every "
                           "20 ms is late by %3; %4 of %5 > 100 µs")
                .arg(QLatin1String(name))
                .arg(probe.fifo() ? QStringLiteral("SCHED_FIFO 80") : QStringLiteral("SCHED_OTHER"))
                .arg(percentiles(late, us, "µs"))
                .arg(over)
                .arg(late.size()));
    }
    const double cost = cpuPerCapture[QStringLiteral("staggered")];
    out(QStringLiteral(
        "during the runs: the machine was %1% busy (%2% stolen by the hypervisor), the followers "
        "used %3 cores; a capture costs its follower %4 ms of CPU (render, OME-TIFF, fsync, "
        "publish), %5 cores at a stagger of %6 ms")
            .arg(100.0 * (1.0 - double(machine1.idle - machine0.idle) / ticks), 0, 'f', 0)
            .arg(100.0 * double(machine1.steal - machine0.steal) / ticks, 0, 'f', 1)
            .arg(busyCores, 0, 'f', 2)
            .arg(cost * 1e3, 0, 'f', 1)
            .arg(cost / (double(o.stagger.count()) / 1e3), 0, 'f', 2)
            .arg(o.stagger.count()));
    if (!lastRoundTrips.empty() && st.count > 0) {
        std::sort(lastRoundTrips.begin(), lastRoundTrips.end());
        const auto fanP99 = FiringStatistics::percentile(lastRoundTrips, 99);
        out(QStringLiteral(
            "goals (figures, not a verdict): staggered p99 %1 µs (goal <= 100 µs: %2); fan-out "
            "p99 to the last acknowledgement %3 ms (goal < 100 ms: %4)")
                .arg(us(st.p99), 0, 'f', 1)
                .arg(us(st.p99) <= 100.0 ? QStringLiteral("met") : QStringLiteral("not met"))
                .arg(ms(fanP99), 0, 'f', 1)
                .arg(ms(fanP99) < 100.0 ? QStringLiteral("met") : QStringLiteral("not met")));
    }

    leader.client->disconnect();
    const int clean = fleet.stop();
    out(QStringLiteral("stopped: %1 of %2 followers exited cleanly; broker stopped; load now %3%4")
            .arg(clean)
            .arg(o.followers)
            .arg(QString::fromUtf8(firstLine(QStringLiteral("/proc/loadavg"))))
            .arg(g_stop.load() ? QStringLiteral(" (interrupted by a signal)") : QString()));
    return g_stop.load() ? 130 : 0;
}
