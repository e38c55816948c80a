// Follower: admission, refusals, the queue, captures at T and protocol runs on the fleet timeline.
#include "core/fleet/follower.h"

#include "core/acquisition/image_record_builder.h"
#include "core/acquisition/rig_timing.h"
#include "core/fleet/fleet_schedule.h"
#include "core/fleet/message_codec.h"
#include "core/protocol/protocol_reader.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>


namespace scopesync::core::fleet {

using namespace std::chrono_literals;
using acquisition::CameraSync;

namespace {
double ms(std::chrono::nanoseconds d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

QDateTime utc(WallTime t)
{
    return QDateTime::fromMSecsSinceEpoch(
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count(), Qt::UTC);
}
}  // namespace

Follower::Follower(FollowerConfig config, acquisition::Rig &rig, camera::CameraSettings settings,
    FollowerHost &host, const std::atomic<int> &stopFlag)
    : m_config(std::move(config)),
      m_rig(rig),
      m_settings(std::move(settings)),
      m_host(host),
      m_stopFlag(stopFlag),
      m_synced(rig.description().cameraSync != CameraSync::Off),
      m_capture(rig, &stopFlag),
      m_admission(m_config.admission)
{
}

bool Follower::drivesTrigger(const acquisition::RigDescription &rig)
{
    return rig.trigger == acquisition::TriggerMode::XvsSource
        || rig.trigger == acquisition::TriggerMode::External;
}

QString Follower::rigProblem(const acquisition::RigDescription &rig)
{
    const bool synced = rig.cameraSync != CameraSync::Off;
    const bool driven = drivesTrigger(rig);
    if (synced && driven)
        return QStringLiteral("camera sync needs a free-running camera, but the rig's trigger is %1; use "
                              "\"trigger\": \"free-run\" or \"xvs-sink\", or drop camera sync and let the "
                              "follower drive the trigger")
            .arg(acquisition::triggerModeName(rig.trigger));
    if (!synced && !driven)
        return QStringLiteral(
            "the rig's trigger is %1; a follower drives the camera's trigger itself at T, so "
            "use \"trigger\": \"xvs-source\" (HQ camera, trigger_mode=2) or \"external\" "
            "(Global Shutter camera) — or, with no trigger wire, Raspberry Pi camera sync "
            "(\"camera_sync\" or --camera-sync server|client)")
            .arg(acquisition::triggerModeName(rig.trigger));
    return {};
}

std::chrono::nanoseconds Follower::imageTime() const
{
    return (m_synced ? 3 : 2) * m_rig.framePeriod() + std::chrono::nanoseconds(50ms);
}

void Follower::onCommand(const QByteArray &payload)
{
    const WallTime now = realtimeNow();
    auto cmd = MessageCodec::decodeCommand(payload);
    if (!cmd.ok()) {
        refuse({MessageCodec::bestEffortId(payload), m_config.name, Refusal::Reason::Malformed,
            QStringLiteral("malformed command: %1").arg(cmd.error().toString())});
        return;
    }
    // A staggered command may give this follower its own T: admitted and executed against that.
    const Command command = cmd.value().forFollower(m_config.name);
    std::optional<Refusal> refusal;
    {
        const std::lock_guard lock(m_mutex);
        refusal = m_admission.check(command, now);
    }
    if (refusal) {
        refusal->follower = m_config.name;
        refuse(*refusal);
        return;
    }
    if (command.type == Command::Type::Ping) {
        m_host.publishReply(MessageCodec::encode(Pong {command.id, m_config.name, now}));
        return;
    }
    std::optional<Refusal> busy;
    {
        const std::lock_guard lock(m_mutex);
        // A run in progress owns the camera until its end: say so now, not when its T has passed.
        if (!m_runningId.isEmpty() && command.at < m_busyUntil)
            busy = Refusal {command.id, m_config.name, Refusal::Reason::Busy,
                QStringLiteral("this follower is running %1 until %2 (its T + %3 s); send T after that")
                    .arg(m_runningId, utc(m_busyUntil).toString(Qt::ISODateWithMs))
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

void Follower::serve()
{
    while (m_stopFlag.load() == 0)
        (void)serveOne(100ms);
}

bool Follower::serveOne(std::chrono::milliseconds wait)
{
    std::optional<Command> next;
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait_for(lock, wait, [&] { return !m_queue.empty(); });
        if (m_queue.empty())
            return false;
        next = m_queue.front();
        m_queue.pop_front();
    }
    if (next->type == Command::Type::Run)
        executeRun(*next);
    else
        execute(*next);
    return true;
}

void Follower::refuse(const Refusal &r)
{
    m_host.log(
        QStringLiteral("refused %1 (%2): %3")
            .arg(r.id.isEmpty() ? QStringLiteral("?") : r.id, Refusal::reasonName(r.reason), r.message));
    m_host.publishReply(MessageCodec::encode(r));
}

// Sleeps until wall-clock time `t` in short absolute steps; false when a stop signal came first.
bool Follower::waitUntil(WallTime t) const
{
    while (m_stopFlag.load() == 0) {
        const WallTime now = realtimeNow();
        if (now >= t)
            return true;
        sleepUntilRealtime(std::min(t, now + std::chrono::nanoseconds(100ms)));
    }
    return false;
}

void Follower::finishAndReport(
    const Command &cmd, storage::RunFolder &folder, CaptureResult &res, const QStringList &notes)
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
        m_host.log(QStringLiteral("%1: note: %2").arg(cmd.id, n));
    const QString firing = res.edges.empty()
        ? QStringLiteral("no trigger edge")
        : QStringLiteral("firing error %1 µs (worst %2 µs)")
              .arg(static_cast<double>(res.firingError().count()) / 1000.0, 0, 'f', 1)
              .arg(static_cast<double>(res.worstError.value_or(0ns).count()) / 1000.0, 0, 'f', 1);
    m_host.log(QStringLiteral("%1: %2, %3, %4 image(s) in %5")
                   .arg(cmd.id,
                       res.ok ? (cmd.type == Command::Type::Run ? QStringLiteral("run complete")
                                                                : QStringLiteral("captured"))
                              : QStringLiteral("FAILED: ") + res.message,
                       firing)
                   .arg(res.images.size())
                   .arg(res.folder));
    m_host.publishReply(MessageCodec::encode(res));
}

// A command whose T came while an earlier one still ran: refused with the reason, true.
bool Follower::refusedAsOverdue(const Command &cmd)
{
    if (cmd.at - realtimeNow() >= kHandOff)
        return false;
    refuse({cmd.id, m_config.name, Refusal::Reason::Busy,
        QStringLiteral("T passed while an earlier command was still running; send it again with a later T")});
    return true;
}

namespace {
// The result's firing error is the first image's (edge − its own T: a run may begin with a wait).
void noteEdge(CaptureResult &res, WallTime intended, WallTime edge)
{
    if (res.edges.empty()) {
        res.edge = edge;
        res.intended = intended;
    }
    res.edges.push_back(edge);
    const auto err = edge > intended ? edge - intended : intended - edge;
    res.worstError = std::max(res.worstError.value_or(0ns), err);
}
}  // namespace

// A protocol on the fleet timeline (fleet_schedule.h): frame k fires at T + offset(k) on every follower.
// Checked in full against this rig before anything moves.
void Follower::executeRun(const Command &cmd)
{
    const auto read = protocol::ProtocolReader::readBytes(cmd.protocol);
    Diagnostics problems = read.diagnostics;
    const auto &desc = m_rig.description();
    if (read.protocol)
        problems.append(
            protocol::validateProtocol(*read.protocol, acquisition::rigValidationContext(desc, m_settings)));
    if (!read.protocol || problems.hasErrors()) {
        const auto errors = problems.errors();
        const QString first = errors.isEmpty() ? QStringLiteral("it could not be read")
            : errors[0].path.isEmpty()         ? errors[0].message
                                               : errors[0].path + QStringLiteral(": ") + errors[0].message;
        refuse({cmd.id, m_config.name, Refusal::Reason::Invalid,
            QStringLiteral("the protocol cannot run on this rig: %1%2")
                .arg(first,
                    errors.size() > 1 ? QStringLiteral(" (and %1 more)").arg(errors.size() - 1)
                                      : QString())});
        return;
    }
    const auto slot = cmd.interval.count() > 0 ? std::chrono::nanoseconds(cmd.interval) : imageTime();
    if (slot < imageTime()) {
        refuse({cmd.id, m_config.name, Refusal::Reason::Invalid,
            QStringLiteral("the slot per image (%1 ms) is shorter than this rig needs (%2 ms: two frames "
                           "of %3 ms and saving); send the run with --interval-ms %4 or more")
                .arg(cmd.interval.count())
                .arg(std::chrono::duration_cast<std::chrono::milliseconds>(imageTime()).count())
                .arg(ms(m_rig.framePeriod()), 0, 'f', 1)
                .arg(std::chrono::ceil<std::chrono::milliseconds>(imageTime()).count())});
        return;
    }
    const auto plan = summarizeSchedule(*read.protocol, slot);
    if (!plan.ok()) {
        refuse({cmd.id, m_config.name, Refusal::Reason::Invalid, plan.error().toString()});
        return;
    }
    if (refusedAsOverdue(cmd))
        return;
    // From here the run owns the camera until its end: a command for a T inside it is refused at once.
    {
        const std::lock_guard lock(m_mutex);
        m_runningId = cmd.id;
        m_runningAt = cmd.at;
        m_busyUntil = cmd.at + plan->end;
    }
    const auto notRunning = [this] {
        const std::lock_guard lock(m_mutex);
        m_runningId.clear();
    };
    if (auto st = storage::RunFolder::checkSpaceForImages(
            m_config.outDir, plan->frames, desc.modeWidth, desc.modeHeight);
        !st.ok()) {
        notRunning();
        refuse({cmd.id, m_config.name, Refusal::Reason::Failed, st.error().toString()});
        return;
    }
    auto folder = storage::RunFolder::create(QDir(m_config.outDir).filePath(cmd.id));
    if (!folder.ok()) {
        notRunning();
        refuse({cmd.id, m_config.name, Refusal::Reason::Failed, folder.error().toString()});
        return;
    }
    m_host.log(QStringLiteral("%1: run '%2', %3 image(s) over %4 s from T, %5 ms per image")
                   .arg(cmd.id, read.protocol->name)
                   .arg(plan->frames)
                   .arg(std::chrono::duration<double>(plan->end).count(), 0, 'f', 1)
                   .arg(ms(slot), 0, 'f', 0));
    CaptureResult res;
    res.id = cmd.id;
    res.follower = m_config.name;
    res.intended = cmd.at;
    res.clock = m_host.clockState();
    res.folder = QFileInfo(folder.value()->path()).absoluteFilePath();
    QStringList notes;
    FleetScheduleCursor cursor(*read.protocol, slot);
    ScheduledStep step;
    const auto fail = [&](const QString &why) {
        res.ok = false;
        res.message = why;
    };
    while (res.ok && cursor.next(step)) {
        const WallTime t = cmd.at + step.offset;
        switch (step.kind) {
        case ScheduledStep::Kind::Note: notes << step.note; break;
        case ScheduledStep::Kind::LightsOn:
        case ScheduledStep::Kind::LightsOff: {
            if (!waitUntil(t)) {
                fail(QStringLiteral("stopped by a signal"));
                break;
            }
            const auto lights = step.kind == ScheduledStep::Kind::LightsOn
                ? acquisition::continuousLights(step.action.flashes,
                    std::chrono::duration_cast<std::chrono::microseconds>(step.action.duration))
                : std::vector<acquisition::LedPulse> {};
            if (auto st = m_rig.strobe().illuminate(lights); !st.ok())
                fail(st.error().toString());
            break;
        }
        case ScheduledStep::Kind::Capture: {
            auto edge = captureAt(
                t, acquisition::ImageIntent::fromPlan(step.action, desc.delay), cmd.id, *folder.value(), res);
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
    notRunning();
    finishAndReport(cmd, *folder.value(), res, notes);
}

void Follower::execute(const Command &cmd)
{
    CaptureResult res;
    res.id = cmd.id;
    res.follower = m_config.name;
    res.intended = cmd.at;
    res.clock = m_host.clockState();
    const auto interval = cmd.interval.count() > 0
        ? std::chrono::duration_cast<std::chrono::nanoseconds>(cmd.interval)
        : imageTime();
    // An LED this rig lacks would stop the strobe thread (a fault that lasts until restart): refuse it.
    const QStringList rigLeds = m_rig.description().ledNames();
    for (std::size_t k = 0; k < cmd.images.size(); ++k)
        for (const auto &p : cmd.images[k].pulses)
            if (!rigLeds.contains(p.led)) {
                refuse({cmd.id, m_config.name, Refusal::Reason::Invalid,
                    QStringLiteral("$.images[%1]: this rig has no LED '%2'; it has %3")
                        .arg(k)
                        .arg(p.led, rigLeds.join(QStringLiteral(", ")))});
                return;
            }
    if (refusedAsOverdue(cmd))
        return;
    auto folder = storage::RunFolder::create(QDir(m_config.outDir).filePath(cmd.id));
    if (!folder.ok()) {
        refuse({cmd.id, m_config.name, Refusal::Reason::Failed, folder.error().toString()});
        return;
    }
    res.folder = QFileInfo(folder.value()->path()).absoluteFilePath();
    for (std::size_t k = 0; k < cmd.images.size(); ++k) {
        const WallTime t = cmd.at + static_cast<qint64>(k) * interval;
        acquisition::ImageIntent intent;
        for (const auto &p : cmd.images[k].pulses)
            intent.lights.push_back(
                {p.led, p.delay.value_or(m_rig.description().delay), p.duration, p.intensityPerMille});
        if (!intent.lights.empty())
            intent.delay = intent.lights.front().delay;
        intent.label = QStringLiteral("fleet");
        intent.frameIndex = static_cast<qint64>(k);
        intent.stepPath = QStringLiteral("$.images[%1]").arg(k);
        auto edge = captureAt(t, std::move(intent), cmd.id, *folder.value(), res);
        if (!edge.ok()) {
            res.ok = false;
            res.message = edge.error().toString();
            break;
        }
        noteEdge(res, t, edge.value());
    }
    finishAndReport(cmd, *folder.value(), res);
}

// One image with its trigger edge at wall-clock time `t` (or, with camera sync, the frame starting
// nearest `t`). Returns the measured edge (CLOCK_REALTIME).
Result<WallTime> Follower::captureAt(WallTime t, acquisition::ImageIntent intent, const QString &commandId,
    storage::RunFolder &folder, CaptureResult &res)
{
    auto &strobe = m_rig.strobe();
    // A synchronised free-running camera cannot be triggered: the job waits for the frame that starts
    // nearest T, so it is handed over before the earliest such frame (T − P/2).
    const auto ahead = m_synced ? std::chrono::nanoseconds(m_rig.framePeriod() / 2) : 0ns;
    const auto least = strobe.requestLead();
    const auto now = realtimeNow();
    if (t - ahead - now < least)
        return Error {(now >= t ? QStringLiteral("image %1's T was missed by %2 ms")
                                      .arg(intent.frameIndex)
                                      .arg(ms(now - t), 0, 'f', 1)
                                : QStringLiteral("image %1 was ready only %2 ms before its T (%3 ms needed)")
                                      .arg(intent.frameIndex)
                                      .arg(ms(t - now), 0, 'f', 1)
                                      .arg(ms(least + ahead)))
                + QStringLiteral(
                    ": the previous image took longer than its slot; use a longer --interval-ms"),
            QStringLiteral("interval")};
    // The long wait is in absolute CLOCK_REALTIME steps: a clock correction while waiting moves the
    // wake-up; a stop signal ends it within 100 ms.
    const WallTime handOff = t - ahead - kHandOff;
    if (handOff - now > 200ms && !waitUntil(handOff - 100ms))
        return Error {QStringLiteral("stopped by a signal before T"), QString()};
    // At normal priority a loaded machine woke the follower after T and the edge fired late: the last
    // stretch runs real-time, below the strobe thread (and not at all when the strobe thread runs
    // without real-time priority: the hand-off must not pre-empt it).
    std::unique_ptr<PriorityBoost> boost;
    if (strobe.realtimePriority() >= 2)
        boost = m_host.raisePriority(strobe.realtimePriority() / 2);
    sleepUntilRealtime(handOff);
    if (m_stopFlag.load() != 0)
        return Error {QStringLiteral("stopped by a signal before T"), QString()};
    const auto armed = m_capture.armAt(intent.lights, realtimeToMonotonic(t), m_synced);
    boost.reset();  // back to normal priority for the frame, the TIFF and the reply

    auto shot = m_capture.collect(armed);
    (void)strobe.takeEdgeLog();  // the event holds the edges; keep the log from growing
    if (!shot.ok())
        return shot.error();
    // The measured edge: the trigger as driven, or the synchronised frame's start as the sensor
    // timestamped it.
    const WallTime edge
        = monotonicToRealtime(m_synced ? shot->frame.exposureStart : shot->event->triggerTime);
    storage::ImageRecord rec
        = acquisition::buildImageRecord(m_rig.description(), intent, *shot, strobe.stats());
    rec.wallClock = utc(edge);
    rec.extra.append({QStringLiteral("fleet_command"), commandId});
    rec.extra.append({QStringLiteral("intended_ns"), QString::number(toNs(t))});
    rec.extra.append({QStringLiteral("edge_ns"), QString::number(toNs(edge))});
    if (auto s = folder.addImage(shot->frame.image, rec); !s.ok())
        return s.error();
    res.images << storage::RunFolder::imageFileName(rec);
    return edge;
}

}  // namespace scopesync::core::fleet
