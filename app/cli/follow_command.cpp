// `scopesync follow`: a headless fleet follower — captures at the leader's absolute time T and reports.
#include "app/cli/follow_command.h"

#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "app/cli/stop_signals.h"
#include "core/acquisition/rig_description.h"
#include "core/camera/rpicam_config_reader.h"
#include "core/fleet/admission.h"
#include "core/fleet/fleet_schedule.h"
#include "core/fleet/fleet_topics.h"
#include "core/fleet/message_codec.h"
#include "core/protocol/protocol_reader.h"
#include "core/protocol/protocol_validator.h"
#include "core/storage/run_folder.h"
#include "hal/clock/clock_probe.h"
#include "hal/clock/wall_clock.h"
#include "hal/mqtt/broker_login.h"
#include "hal/rig_factory.h"
#include "hal/strobe/strobe_engine.h"

#include <QDateTime>
#include <QDir>
#include <QSysInfo>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <pthread.h>
#include <sched.h>

namespace scopesync::app {

namespace {

using namespace std::chrono_literals;
using core::acquisition::TriggerMode;
using core::fleet::CaptureResult;
using core::fleet::Command;
using core::fleet::MessageCodec;
using core::fleet::Refusal;
using core::fleet::ScheduledStep;
using core::fleet::WallNs;

// The strobe thread gets the edge this long before T: enough to be picked up by its loop (≤ 5 ms idle)
// and to arm the frame, short enough that converting T to CLOCK_MONOTONIC here cannot be spoilt by a
// clock slew (chrony slews at most 0.5 ms/s by default: ≤ 15 µs over 30 ms).
constexpr auto kHandOff = 30ms;
// The least time before T that still works: the strobe loop's idle poll (≤ 5 ms) and arming the frame.
// A step that begins less than kHandOff before its T (a capture right after an illumination starts) is
// handed over at once.
constexpr auto kMinHandOff = 10ms;
// Below the strobe thread's priority (80), above every ordinary thread.
constexpr int kHandOffPriority = 40;

// SCHED_FIFO for the calling thread while it waits to hand T to the strobe thread, then the old policy
// back: at normal priority a loaded machine woke the follower after T and the edge fired late. Where
// real-time scheduling is not permitted the wait stays at normal priority (the doctor says how to allow it).
class RealtimeWait {
public:
    RealtimeWait()
    {
        if (pthread_getschedparam(pthread_self(), &m_policy, &m_param) != 0)
            return;
        sched_param fifo {};
        fifo.sched_priority = kHandOffPriority;
        m_raised = pthread_setschedparam(pthread_self(), SCHED_FIFO, &fifo) == 0;
    }
    ~RealtimeWait()
    {
        if (m_raised)
            pthread_setschedparam(pthread_self(), m_policy, &m_param);
    }
    RealtimeWait(const RealtimeWait &) = delete;
    RealtimeWait &operator=(const RealtimeWait &) = delete;

private:
    int m_policy = SCHED_OTHER;
    sched_param m_param {};
    bool m_raised = false;
};
// Job ids of fleet captures, kept apart from anything else armed on the engine.
constexpr quint64 kFirstJobId = 1ULL << 40;

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

class Follower {
public:
    Follower(QString name, core::fleet::FleetTopics topics, core::acquisition::Rig &rig,
        core::camera::CameraSettings settings, hal::strobe::StrobeEngine &engine, QString outDir,
        core::fleet::AdmissionConfig admission, const std::atomic<int> &stopFlag)
        : m_name(std::move(name)),
          m_topics(std::move(topics)),
          m_rig(rig),
          m_settings(std::move(settings)),
          m_engine(engine),
          m_outDir(std::move(outDir)),
          m_stopFlag(stopFlag),
          m_admission(admission)
    {
    }

    void attach(hal::mqtt::MqttClient *client) { m_client = client; }

    // The time one image needs on this rig: its frame, the frame it is read out in, and saving.
    // With camera sync the frame nearest T may start up to half a period after T, and the next one is
    // handed over half a period before its T: one period more.
    [[nodiscard]] std::chrono::nanoseconds imageTime() const
    {
        const bool synced = m_rig.description().cameraSync != core::acquisition::CameraSync::Off;
        return (synced ? 3 : 2) * m_rig.framePeriod() + std::chrono::nanoseconds(50ms);
    }

    // On the MQTT thread: decode, admit, answer pings and refusals at once, queue captures.
    void onMessage(const hal::mqtt::MqttMessage &m)
    {
        if (m.topic != m_topics.command())
            return;
        const WallNs now = hal::clock::realtimeNow();
        auto cmd = MessageCodec::decodeCommand(m.payload);
        if (!cmd.ok()) {
            refuse({MessageCodec::bestEffortId(m.payload), m_name, Refusal::Reason::Malformed,
                QStringLiteral("malformed command: %1").arg(cmd.error().toString())});
            return;
        }
        // A staggered command may give this follower its own T: admitted and executed against that.
        const Command command = cmd.value().forFollower(m_name);
        std::optional<Refusal> refusal;
        {
            const std::lock_guard lock(m_mutex);
            refusal = m_admission.check(command, now);
        }
        if (refusal) {
            refusal->follower = m_name;
            refuse(*refusal);
            return;
        }
        if (command.type == Command::Type::Ping) {
            publishReply(MessageCodec::encode(core::fleet::Pong {command.id, m_name, now}));
            return;
        }
        std::optional<Refusal> busy;
        {
            const std::lock_guard lock(m_mutex);
            // A run in progress owns the camera until its end: say so now, not when its T has passed.
            if (!m_runningId.isEmpty() && command.at < m_busyUntil)
                busy = Refusal {command.id, m_name, Refusal::Reason::Busy,
                    QStringLiteral("this follower is running %1 until %2 (its T + %3 s); send T after that")
                        .arg(m_runningId,
                            QDateTime::fromMSecsSinceEpoch(m_busyUntil.count() / 1'000'000)
                                .toUTC()
                                .toString(Qt::ISODateWithMs))
                        .arg(std::chrono::duration<double>(m_busyUntil - m_runningAt).count(), 0, 'f', 1)};
            else
                m_queue.push_back(command);
        }
        if (busy) {
            refuse(*busy);
            return;
        }
        m_ready.notify_all();
    }

    // The main thread: executes captures in arrival order until a stop signal.
    void serve()
    {
        while (m_stopFlag.load() == 0) {
            std::optional<Command> next;
            {
                std::unique_lock lock(m_mutex);
                m_ready.wait_for(lock, 100ms, [&] { return !m_queue.empty(); });
                if (m_queue.empty())
                    continue;
                next = m_queue.front();
                m_queue.pop_front();
            }
            if (next->type == Command::Type::Run)
                executeRun(*next);
            else
                execute(*next);
        }
    }

private:
    void refuse(const Refusal &r)
    {
        printErr(
            QStringLiteral("refused %1 (%2): %3")
                .arg(r.id.isEmpty() ? QStringLiteral("?") : r.id, Refusal::reasonName(r.reason), r.message));
        publishReply(MessageCodec::encode(r));
    }
    void publishReply(const QByteArray &payload)
    {
        if (!m_client)
            return;
        if (auto s = m_client->publish(m_topics.reply(m_name), payload, 1, false); !s.ok())
            printErr(QStringLiteral("could not publish a reply: %1").arg(s.error().toString()));
    }

    // Sleeps until wall-clock time `t` in short absolute steps; false when a stop signal came first.
    bool waitUntil(WallNs t) const
    {
        while (m_stopFlag.load() == 0) {
            const WallNs now = hal::clock::realtimeNow();
            if (now >= t)
                return true;
            hal::clock::sleepUntilRealtime(std::min(t, now + std::chrono::nanoseconds(100ms)));
        }
        return false;
    }

    void finishAndReport(const Command &cmd, core::storage::RunFolder &folder, CaptureResult &res,
        const QStringList &notes = {})
    {
        QJsonObject summary = MessageCodec::toJson(res);
        summary.insert(QStringLiteral("rig"), m_rig.summary());
        if (!notes.isEmpty())
            summary.insert(QStringLiteral("notes"), QJsonArray::fromStringList(notes));
        if (auto s = folder.finish(summary); !s.ok() && res.ok) {
            res.ok = false;
            res.message = s.error().toString();
        }
        for (const QString &n : notes)
            printErr(QStringLiteral("%1: note: %2").arg(cmd.id, n));
        printErr(QStringLiteral("%1: %2, firing error %3 µs (worst %4 µs), %5 image(s) in %6")
                     .arg(cmd.id,
                         res.ok ? (cmd.type == Command::Type::Run ? QStringLiteral("run complete")
                                                                  : QStringLiteral("captured"))
                                : QStringLiteral("FAILED: ") + res.message)
                     .arg(static_cast<double>(res.firingError().count()) / 1000.0, 0, 'f', 1)
                     .arg(static_cast<double>(res.worstError.value_or(0ns).count()) / 1000.0, 0, 'f', 1)
                     .arg(res.images.size())
                     .arg(res.folder));
        publishReply(MessageCodec::encode(res));
    }

    // A command whose T came while an earlier one still ran: refused with the reason, true.
    bool refusedAsOverdue(const Command &cmd)
    {
        if (cmd.at - hal::clock::realtimeNow() >= kHandOff)
            return false;
        refuse({cmd.id, m_name, Refusal::Reason::Busy,
            QStringLiteral(
                "T passed while an earlier command was still running; send it again with a later T")});
        return true;
    }

    // The result's firing error is the first image's (edge − its own T: a run may begin with a wait).
    void noteEdge(CaptureResult &res, WallNs intended, WallNs edge)
    {
        if (res.edges.empty()) {
            res.edge = edge;
            res.intended = intended;
        }
        res.edges.push_back(edge);
        const auto err = edge > intended ? edge - intended : intended - edge;
        res.worstError = std::max(res.worstError.value_or(0ns), err);
    }

    // A protocol on the fleet timeline (core/fleet/fleet_schedule.h): frame k fires at T + offset(k) on
    // every follower. Checked in full against this rig before anything moves.
    void executeRun(const Command &cmd)
    {
        const auto read = core::protocol::ProtocolReader::readBytes(cmd.protocol);
        core::Diagnostics problems = read.diagnostics;
        const auto &desc = m_rig.description();
        if (read.protocol) {
            core::protocol::ValidationContext ctx;
            ctx.leds = desc.ledNames();
            ctx.sensor = desc.sensorInfo();
            ctx.mode = desc.sensorMode();
            ctx.exposure = m_settings.shutter.value_or(0us);
            ctx.planTiming
                = {ctx.exposure, std::chrono::duration_cast<std::chrono::microseconds>(m_rig.framePeriod())};
            problems.append(core::protocol::validateProtocol(*read.protocol, ctx));
        }
        if (!read.protocol || problems.hasErrors()) {
            const auto errors = problems.errors();
            QStringList shown;
            for (int i = 0; i < std::min<qsizetype>(1, errors.size()); ++i)
                shown << (errors[i].path.isEmpty()
                        ? errors[i].message
                        : errors[i].path + QStringLiteral(": ") + errors[i].message);
            refuse({cmd.id, m_name, Refusal::Reason::Invalid,
                QStringLiteral("the protocol cannot run on this rig: %1%2")
                    .arg(shown.join(QStringLiteral("; ")),
                        errors.size() > 1 ? QStringLiteral(" (and %1 more)").arg(errors.size() - 1)
                                          : QString())});
            return;
        }
        const auto slot = cmd.interval.count() > 0 ? std::chrono::nanoseconds(cmd.interval) : imageTime();
        if (slot < imageTime()) {
            refuse({cmd.id, m_name, Refusal::Reason::Invalid,
                QStringLiteral("the slot per image (%1 ms) is shorter than this rig needs (%2 ms: two frames "
                               "of %3 ms and saving); send the run with --interval-ms %4 or more")
                    .arg(cmd.interval.count())
                    .arg(std::chrono::duration_cast<std::chrono::milliseconds>(imageTime()).count())
                    .arg(static_cast<double>(m_rig.framePeriod().count()) / 1e6, 0, 'f', 1)
                    .arg(std::chrono::ceil<std::chrono::milliseconds>(imageTime()).count())});
            return;
        }
        const auto plan = core::fleet::summarizeSchedule(*read.protocol, slot);
        if (!plan.ok()) {
            refuse({cmd.id, m_name, Refusal::Reason::Invalid, plan.error().toString()});
            return;
        }
        if (refusedAsOverdue(cmd))
            return;
        if (auto st = core::storage::RunFolder::checkSpace(m_outDir,
                plan->frames * core::storage::RunFolder::estimatedImageBytes(desc.modeWidth, desc.modeHeight),
                int(std::min<qint64>(plan->frames, INT_MAX)));
            !st.ok()) {
            refuse({cmd.id, m_name, Refusal::Reason::Failed, st.error().toString()});
            return;
        }
        auto folder = core::storage::RunFolder::create(QDir(m_outDir).filePath(cmd.id));
        if (!folder.ok()) {
            refuse({cmd.id, m_name, Refusal::Reason::Failed, folder.error().toString()});
            return;
        }
        printErr(QStringLiteral("%1: run '%2', %3 image(s) over %4 s from T, %5 ms per image")
                     .arg(cmd.id, read.protocol->name)
                     .arg(plan->frames)
                     .arg(std::chrono::duration<double>(plan->end).count(), 0, 'f', 1)
                     .arg(std::chrono::duration<double, std::milli>(slot).count(), 0, 'f', 0));

        {
            const std::lock_guard lock(m_mutex);
            m_runningId = cmd.id;
            m_runningAt = cmd.at;
            m_busyUntil = cmd.at + plan->end;
        }
        CaptureResult res;
        res.id = cmd.id;
        res.follower = m_name;
        res.intended = cmd.at;
        res.clock = m_probe.read();
        res.folder = QFileInfo(folder.value()->path()).absoluteFilePath();
        QStringList notes;
        core::fleet::FleetScheduleCursor cursor(*read.protocol, slot);
        ScheduledStep step;
        const auto fail = [&](const QString &why) {
            res.ok = false;
            res.message = why;
        };
        while (res.ok && cursor.next(step)) {
            const WallNs t = cmd.at + step.offset;
            switch (step.kind) {
            case ScheduledStep::Kind::Note: notes << step.note; break;
            case ScheduledStep::Kind::LightsOn:
            case ScheduledStep::Kind::LightsOff: {
                if (!waitUntil(t)) {
                    fail(QStringLiteral("stopped by a signal"));
                    break;
                }
                std::vector<core::acquisition::LedPulse> lights;
                if (step.kind == ScheduledStep::Kind::LightsOn)
                    for (const auto &f : step.action.flashes)
                        lights.push_back({f.led, 0us,
                            std::chrono::duration_cast<std::chrono::microseconds>(step.action.duration),
                            f.intensityPerMille});
                if (auto st = m_rig.strobe().illuminate(lights); !st.ok())
                    fail(st.error().toString());
                break;
            }
            case ScheduledStep::Kind::Capture: {
                std::vector<core::acquisition::LedPulse> pulses;
                if (!step.action.underContinuousLight)
                    for (const auto &f : step.action.flashes)
                        pulses.push_back({f.led, desc.delay, f.duration, f.intensityPerMille});
                core::storage::ImageRecord rec;
                QStringList leds;
                for (const auto &f : step.action.flashes)
                    leds << f.led;
                rec.channelName = leds.isEmpty() ? QStringLiteral("dark") : leds.join(QLatin1Char('+'));
                rec.label = step.action.label;
                rec.filter = step.action.filter;
                rec.frameIndex = step.action.frameIndex;
                rec.planStepPath = step.action.stepPath;
                rec.iterationIndices = step.action.iterations;
                if (step.action.underContinuousLight)
                    rec.extra.append({QStringLiteral("illumination"), QStringLiteral("continuous")});
                auto edge = captureAt(t, pulses, rec, cmd.id, *folder.value(), res);
                if (!edge.ok())
                    fail(edge.error().toString());
                else
                    noteEdge(res, t, edge.value());
                break;
            }
            }
        }
        if (cursor.error() && res.ok)
            fail(cursor.error()->toString());
        // Whatever happened, no light stays on.
        (void)m_rig.strobe().illuminate({});
        {
            const std::lock_guard lock(m_mutex);
            m_runningId.clear();
        }
        finishAndReport(cmd, *folder.value(), res, notes);
    }

    void execute(const Command &cmd)
    {
        CaptureResult res;
        res.id = cmd.id;
        res.follower = m_name;
        res.intended = cmd.at;
        res.clock = m_probe.read();
        const auto interval = cmd.interval.count() > 0
            ? std::chrono::duration_cast<std::chrono::nanoseconds>(cmd.interval)
            : imageTime();
        // An LED this rig lacks would stop the strobe thread (a fault that lasts until restart): refuse it.
        const QStringList rigLeds = m_rig.description().ledNames();
        for (std::size_t k = 0; k < cmd.images.size(); ++k)
            for (const auto &p : cmd.images[k].pulses)
                if (!rigLeds.contains(p.led)) {
                    refuse({cmd.id, m_name, Refusal::Reason::Invalid,
                        QStringLiteral("$.images[%1]: this rig has no LED '%2'; it has %3")
                            .arg(k)
                            .arg(p.led, rigLeds.join(QStringLiteral(", ")))});
                    return;
                }
        if (refusedAsOverdue(cmd))
            return;
        auto folder = core::storage::RunFolder::create(QDir(m_outDir).filePath(cmd.id));
        if (!folder.ok()) {
            refuse({cmd.id, m_name, Refusal::Reason::Failed, folder.error().toString()});
            return;
        }
        res.folder = QFileInfo(folder.value()->path()).absoluteFilePath();
        for (std::size_t k = 0; k < cmd.images.size(); ++k) {
            const WallNs t = cmd.at + static_cast<qint64>(k) * interval;
            std::vector<core::acquisition::LedPulse> pulses;
            QStringList leds;
            for (const auto &p : cmd.images[k].pulses) {
                pulses.push_back(
                    {p.led, p.delay.value_or(m_rig.description().delay), p.duration, p.intensityPerMille});
                leds << p.led;
            }
            core::storage::ImageRecord rec;
            rec.channelName = leds.isEmpty() ? QStringLiteral("dark") : leds.join(QLatin1Char('+'));
            rec.label = QStringLiteral("fleet");
            rec.frameIndex = static_cast<qint64>(k);
            rec.planStepPath = QStringLiteral("$.images[%1]").arg(k);
            auto edge = captureAt(t, pulses, rec, cmd.id, *folder.value(), res);
            if (!edge.ok()) {
                res.ok = false;
                res.message = edge.error().toString();
                break;
            }
            noteEdge(res, t, edge.value());
        }
        finishAndReport(cmd, *folder.value(), res);
    }

    // One image with its trigger edge at wall-clock time `t` and `pulses` relative to that edge (none:
    // no flash); `rec` comes with what the caller knows (channel, label, step, frame index). Returns the
    // measured edge (CLOCK_REALTIME).
    core::Result<WallNs> captureAt(WallNs t, const std::vector<core::acquisition::LedPulse> &pulses,
        core::storage::ImageRecord rec, const QString &commandId, core::storage::RunFolder &folder,
        CaptureResult &res)
    {
        // A synchronised free-running camera (camera sync) cannot be triggered: the job waits for the
        // frame that starts nearest T, so it is handed over before the earliest such frame (T − P/2).
        const auto half = m_rig.framePeriod() / 2;
        const auto ahead = m_synced ? std::chrono::nanoseconds(half) : 0ns;
        const auto now = hal::clock::realtimeNow();
        if (t - ahead - now < kMinHandOff)
            return core::Error {
                (now >= t ? QStringLiteral("image %1's T was missed by %2 ms")
                                .arg(rec.frameIndex)
                                .arg(static_cast<double>((now - t).count()) / 1e6, 0, 'f', 1)
                          : QStringLiteral("image %1 was ready only %2 ms before its T (%3 ms needed)")
                                .arg(rec.frameIndex)
                                .arg(static_cast<double>((t - now).count()) / 1e6, 0, 'f', 1)
                                .arg(std::chrono::duration<double, std::milli>(kMinHandOff + ahead).count()))
                    + QStringLiteral(": the previous image took longer than its slot; use a longer "
                                     "--interval-ms"),
                QStringLiteral("interval")};
        // The long wait is in absolute CLOCK_REALTIME steps: a clock correction while waiting moves the
        // wake-up; a stop signal ends it within 100 ms.
        const WallNs handOff = t - ahead - kHandOff;
        std::optional<RealtimeWait> raised;
        if (handOff - now > 200ms && !waitUntil(handOff - 100ms))
            return core::Error {QStringLiteral("stopped by a signal before T"), QString()};
        raised.emplace();
        hal::clock::sleepUntilRealtime(handOff);
        if (m_stopFlag.load() != 0)
            return core::Error {QStringLiteral("stopped by a signal before T"), QString()};

        core::acquisition::FrameJob job;
        job.id = m_nextJobId++;
        job.pulses = pulses;
        if (m_synced) {
            job.notBefore = hal::clock::realtimeToMonotonic(t) - half;
            m_rig.strobe().arm(job);
        } else {
            // Armed before the trigger is requested, so the edge at T always carries this job.
            m_rig.strobe().arm(job);
            m_engine.fireTriggerAt(hal::clock::realtimeToMonotonic(t));
        }
        raised.reset();  // back to normal priority for the frame, the TIFF and the reply

        std::optional<core::acquisition::StrobeEvent> event;
        const auto giveUp = hal::clock::realtimeNow() + kHandOff + 2 * ahead + 2s;
        while (!event) {
            if (const QString f = m_rig.strobe().fault(); !f.isEmpty()) {
                m_engine.disarm(job.id);
                return core::Error {f, QStringLiteral("strobe")};
            }
            if (hal::clock::realtimeNow() > giveUp && !m_engine.disarm(job.id))
                event = m_rig.strobe().waitEvent(job.id, 0ms);  // it ran just now after all
            if (!event && hal::clock::realtimeNow() > giveUp)
                return core::Error {m_synced
                        ? QStringLiteral("no frame started near T: the camera stopped or "
                                         "its frames are not arriving (camera sync)")
                        : QStringLiteral("the strobe thread did not fire the trigger "
                                         "within 2 s of T"),
                    QStringLiteral("strobe")};
            event = m_rig.strobe().waitEvent(job.id, 50ms);
        }
        (void)m_engine.takeEdgeLog();  // the event holds the edges; keep the log from growing
        // The frame whose row 0 started nearest the edge is the one it triggered (or, synchronised, the
        // one the job was applied to).
        std::optional<core::acquisition::CapturedFrame> frame;
        const auto frameGiveUp = hal::clock::realtimeNow() + 2 * m_rig.framePeriod() + 2s;
        while (!frame) {
            if (hal::clock::realtimeNow() > frameGiveUp)
                return core::Error {QStringLiteral("the camera delivered no frame for the trigger at T"),
                    QStringLiteral("camera")};
            auto f = m_rig.camera().waitFrame(50ms);
            if (f && f->exposureStart - event->triggerTime > -half
                && f->exposureStart - event->triggerTime < half)
                frame = std::move(f);
        }
        // The measured edge: the trigger as driven, or the synchronised frame's start as the sensor
        // timestamped it.
        const WallNs edge
            = hal::clock::monotonicToRealtime(m_synced ? frame->exposureStart : event->triggerTime);

        rec.exposureUs = static_cast<double>(frame->exposure.count());
        rec.analogueGain = frame->analogueGain;
        rec.sensorId = m_rig.description().sensor;
        rec.sensorMode
            = QStringLiteral("%1x%2").arg(m_rig.description().modeWidth).arg(m_rig.description().modeHeight);
        rec.flashDelayUs = job.pulses.empty() ? 0.0 : static_cast<double>(job.pulses.front().delay.count());
        for (const auto &p : job.pulses)
            rec.intensityPerMille.insert(p.led, p.intensityPerMille);
        rec.frameTimestampNs = frame->exposureStart.count();
        rec.wallClock = QDateTime::fromMSecsSinceEpoch(edge.count() / 1'000'000);
        for (const auto &e : event->edges) {
            if (e.line == QLatin1String("trigger"))
                continue;
            auto it = std::find_if(
                rec.ledEdges.begin(), rec.ledEdges.end(), [&](const auto &x) { return x.led == e.line; });
            if (it == rec.ledEdges.end())
                it = rec.ledEdges.insert(rec.ledEdges.end(), core::storage::LedEdge {e.line, 0, 0});
            (e.active ? it->onNs : it->offNs) = (e.measured - event->triggerTime).count();
        }
        rec.extra.append({QStringLiteral("fleet_command"), commandId});
        rec.extra.append({QStringLiteral("intended_ns"), QString::number(t.count())});
        rec.extra.append({QStringLiteral("edge_ns"), QString::number(edge.count())});
        if (frame->syncReady)
            rec.extra.append({QStringLiteral("camera_sync_ready"),
                *frame->syncReady ? QStringLiteral("true") : QStringLiteral("false")});
        if (auto s = folder.addImage(frame->image, rec); !s.ok())
            return s.error();
        res.images << core::storage::RunFolder::imageFileName(rec);
        return edge;
    }

    QString m_name;
    core::fleet::FleetTopics m_topics;
    core::acquisition::Rig &m_rig;
    core::camera::CameraSettings m_settings;
    hal::strobe::StrobeEngine &m_engine;
    // Camera sync: the frames run free on a shared timing; "capture at T" takes the frame nearest T.
    bool m_synced = m_rig.description().cameraSync != core::acquisition::CameraSync::Off;
    QString m_outDir;
    const std::atomic<int> &m_stopFlag;
    hal::mqtt::MqttClient *m_client = nullptr;
    hal::clock::ClockProbe m_probe;
    quint64 m_nextJobId = kFirstJobId;

    // Guards m_admission and m_queue (MQTT thread against the main thread).
    std::mutex m_mutex;
    std::condition_variable m_ready;
    core::fleet::Admission m_admission;
    std::deque<Command> m_queue;
    QString m_runningId;  // the run in progress, if any
    WallNs m_runningAt {0};
    WallNs m_busyUntil {0};
};

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
    const QCommandLineOption brokerOpt(QStringLiteral("broker"),
        QStringLiteral("mqtt://HOST:PORT or mqtts://HOST:PORT."), QStringLiteral("URL"));
    const QCommandLineOption fleetOpt(
        QStringLiteral("fleet"), QStringLiteral("The fleet's name (a topic level)."), QStringLiteral("NAME"));
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
    const QCommandLineOption userOpt(
        QStringLiteral("user"), QStringLiteral("Broker account."), QStringLiteral("U"));
    const QCommandLineOption passOpt(QStringLiteral("password-file"),
        QStringLiteral("File whose first line is the password."), QStringLiteral("F"));
    const QCommandLineOption caOpt(
        QStringLiteral("ca-file"), QStringLiteral("TLS: the CA certificate."), QStringLiteral("FILE"));
    const QCommandLineOption certOpt(
        QStringLiteral("cert-file"), QStringLiteral("TLS: client certificate."), QStringLiteral("FILE"));
    const QCommandLineOption keyOpt(
        QStringLiteral("key-file"), QStringLiteral("TLS: client key."), QStringLiteral("FILE"));
    const QCommandLineOption outOpt(QStringLiteral("out"),
        QStringLiteral("Parent folder of the run folders (one per command id)."), QStringLiteral("DIR"),
        QStringLiteral("fleet-runs"));
    const QCommandLineOption aheadOpt(QStringLiteral("max-ahead-s"),
        QStringLiteral("Refuse T further ahead than this (default 60)."), QStringLiteral("S"),
        QStringLiteral("60"));
    const QCommandLineOption noRtOpt(
        QStringLiteral("no-realtime"), QStringLiteral("Do not ask for SCHED_FIFO for the strobe thread."));
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
    parser.addOptions({brokerOpt, fleetOpt, nameOpt, rigOpt, cameraOpt, userOpt, passOpt, caOpt, certOpt,
        keyOpt, outOpt, aheadOpt, noRtOpt, spinOpt, syncOpt});
    if (auto done = parseCommandLine(parser, QStringLiteral("follow"), args))
        return *done;
    if (!parser.isSet(brokerOpt) || !parser.isSet(fleetOpt)) {
        printErr(QStringLiteral(
            "scopesync follow: --broker and --fleet are required. Try 'scopesync follow --help'."));
        return kExitUsage;
    }
    auto topics = core::fleet::FleetTopics::forFleet(parser.value(fleetOpt));
    if (!topics.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(topics.error().toString()));
        return kExitUsage;
    }
    QString name = parser.value(nameOpt);
    if (name.isEmpty())
        name = parser.isSet(userOpt) ? parser.value(userOpt) : QSysInfo::machineHostName();
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
    const hal::mqtt::BrokerLogin login {parser.value(brokerOpt), parser.value(userOpt), parser.value(passOpt),
        parser.value(caOpt), parser.value(certOpt), parser.value(keyOpt), false};
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
    const bool synced = rigDesc.cameraSync != core::acquisition::CameraSync::Off;
    const bool driven = rigDesc.trigger == TriggerMode::XvsSource || rigDesc.trigger == TriggerMode::External;
    if (synced && driven) {
        printErr(QStringLiteral("scopesync follow: camera sync needs a free-running camera, but the rig's "
                                "trigger is %1; use \"trigger\": \"free-run\" or \"xvs-sink\", or drop "
                                "camera sync and let the follower drive the trigger")
                     .arg(core::acquisition::triggerModeName(rigDesc.trigger)));
        return kExitInvalidInput;
    }
    if (!synced && !driven) {
        printErr(QStringLiteral(
            "scopesync follow: the rig's trigger is %1; a follower drives the camera's trigger "
            "itself at T, so use \"trigger\": \"xvs-source\" (HQ camera, trigger_mode=2) or "
            "\"external\" (Global Shutter camera) — or, with no trigger wire, Raspberry Pi camera sync "
            "(\"camera_sync\" or --camera-sync server|client)")
                     .arg(core::acquisition::triggerModeName(rigDesc.trigger)));
        return kExitInvalidInput;
    }
    auto rig = hal::createRig(rigDesc, settings, {parser.isSet(cameraOpt), !parser.isSet(noRtOpt)});
    if (!rig.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(rig.error().toString()));
        return kExitInvalidInput;
    }
    auto *engine = dynamic_cast<hal::strobe::StrobeEngine *>(&(*rig)->strobe());
    if (!engine) {
        printErr(
            QStringLiteral("scopesync follow: this rig's strobe controller cannot fire at a given time"));
        return kExitInvalidInput;
    }
    engine->setTriggerOnRequest(driven);
    engine->setRequestedTriggerSpin(std::chrono::microseconds(static_cast<qint64>(spin.value())));
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
    Follower follower(name, topics.value(), **rig, settings, *engine, parser.value(outOpt), ac, stopFlag);

    core::fleet::FollowerStatus offline;
    offline.follower = name;
    core::fleet::FollowerStatus online = offline;
    online.online = true;
    online.clock = hal::clock::ClockProbe().read();
    online.rig = (*rig)->summary();
    online.version = QStringLiteral(SCOPESYNC_VERSION);
    online.imageTime = std::chrono::ceil<std::chrono::milliseconds>(follower.imageTime());

    hal::mqtt::MqttOptions mo = mqttOptions.value();
    mo.willTopic = topics->status(name);
    mo.willPayload = MessageCodec::encode(offline);
    auto client = hal::mqtt::MqttClient::connect(mo);
    if (!client.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(client.error().toString()));
        return kExitRuntime;
    }
    follower.attach(client->get());
    (*client)->setHandler([&follower](const hal::mqtt::MqttMessage &m) { follower.onMessage(m); });
    if (auto s = (*client)->subscribe(topics->command()); !s.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(s.error().toString()));
        return kExitRuntime;
    }
    if (auto s = (*client)->publish(topics->status(name), MessageCodec::encode(online), 1, true, true);
        !s.ok()) {
        printErr(QStringLiteral("scopesync follow: %1").arg(s.error().toString()));
        return kExitRuntime;
    }
    printErr(QStringLiteral("following fleet %1 as %2 on %3; %4; clock: %5 (%6)")
                 .arg(parser.value(fleetOpt), name, parser.value(brokerOpt), (*rig)->summary(),
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
