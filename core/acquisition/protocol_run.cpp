// ProtocolRun: executes a frame plan on a rig and saves every image into a run folder, losing nothing.
#include "core/acquisition/protocol_run.h"

#include "core/acquisition/image_record_builder.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>

#include <csignal>
#include <cstring>
#include <ctime>
#include <thread>

namespace scopesync::core::acquisition {

using namespace std::chrono_literals;
using timing::ActionKind;
using timing::PlanAction;

namespace {

MonoTime now()
{
    return monotonicNow();
}

double seconds(std::chrono::nanoseconds d)
{
    return std::chrono::duration<double>(d).count();
}

}  // namespace

ProtocolRun::ProtocolRun(
    Rig &rig, storage::RunFolder &folder, const protocol::Protocol &protocol, camera::CameraSettings settings)
    : m_rig(rig), m_folder(folder), m_protocol(protocol), m_settings(std::move(settings)), m_capture(rig)
{
}

QString ProtocolRun::stopRequested() const
{
    return m_capture.stopRequested();
}

void ProtocolRun::report(const PlanAction &action, const QString &activity)
{
    if (!m_progress)
        return;
    RunProgress p;
    p.framesDone = m_framesDone;
    p.framesTotal = m_plan.frames;
    p.stepPath = action.stepPath;
    p.label = action.label;
    p.activity = activity;
    // Nor while strobed captures are armed ahead: their frames would be lit and lost during the hold.
    p.pausable = !(action.kind == ActionKind::Capture && action.underContinuousLight)
        && !(m_pipeline && m_pipeline->armed() > 0);
    p.elapsedSeconds = seconds(now() - m_runStart);
    // Scale the plan's estimate by how the run is actually going.
    const double planned = m_plan.estimatedDuration.count();
    const double fraction = m_plan.frames > 0 ? double(m_framesDone) / double(m_plan.frames) : 0.0;
    p.remainingSeconds = fraction > 0.02 ? p.elapsedSeconds / fraction - p.elapsedSeconds
                                         : std::max(0.0, planned - p.elapsedSeconds);
    m_progress(p);
}

Status ProtocolRun::waitFor(std::chrono::nanoseconds duration, bool drainFrames)
{
    const MonoTime until = now() + duration;
    while (now() < until) {
        if (const QString why = stopRequested(); !why.isEmpty())
            return Error {why, QString()};
        if (const QString f = m_rig.strobe().fault(); !f.isEmpty())
            return Error {f, QStringLiteral("strobe")};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now());
        const auto slice = std::clamp(left, 1ms, 50ms);
        if (drainFrames)
            (void)m_rig.camera().waitFrame(slice);  // frames nobody asked for: keep the queue fresh
        else
            std::this_thread::sleep_for(slice);
    }
    return Ok {};
}

Status ProtocolRun::endIllumination()
{
    if (m_illuminationEnd == MonoTime {})
        return Ok {};
    const auto left = m_illuminationEnd - now();
    m_illuminationEnd = MonoTime {};
    if (left > 0ns) {
        if (auto st = waitFor(left, true); !st.ok())
            return st;
    }
    return m_rig.strobe().illuminate({});
}

storage::ImageRecord ProtocolRun::recordOf(const ImageIntent &intent, const Shot &shot)
{
    storage::ImageRecord rec = buildImageRecord(m_rig.description(), intent, shot, m_rig.strobe().stats());
    rec.runStartNs = toNs(m_runStart);
    const MonoTime t = shot.event ? shot.event->triggerTime : shot.frame.exposureStart;
    if (!m_firstImageTime)
        m_firstImageTime = t;
    m_lastImageTime = t;
    ++m_imagesTaken;
    return rec;
}

void ProtocolRun::publishSaved()
{
    for (const storage::ImageRecord &rec : m_writer->takeSaved()) {
        ++m_framesDone;
        if (m_imageSaved)
            m_imageSaved({QDir(m_folder.path()).filePath(storage::RunFolder::imageFileName(rec)),
                rec.channelName, rec.label, rec.frameIndex});
    }
}

Status ProtocolRun::capture(const PlanAction &action)
{
    const ImageIntent intent = ImageIntent::fromPlan(action, m_rig.description().delay);
    m_currentFrame = action.frameIndex;
    Status s = Ok {};
    if (intent.continuousLight) {
        // Under continuous light the light is already on: the first frame that starts after the capture
        // moment is the image (the pipeline was flushed before this action).
        auto shot = m_capture.next();
        if (!shot.ok())
            return shot.error();
        storage::ImageRecord rec = recordOf(intent, *shot);
        s = m_writer->submit(
            std::move(shot->frame.image), std::move(rec), [this] { return stopRequested(); },
            [this] { report(*m_action, QStringLiteral("waiting for the disk")); });
    } else {
        s = m_pipeline->push(intent);
    }
    publishSaved();
    return s;
}

RunOutcome ProtocolRun::execute()
{
    RunOutcome out;
    const auto &rig = m_rig.description();
    const auto exposure = m_settings.shutter.value_or(std::chrono::microseconds(0));
    const auto period = std::chrono::duration_cast<std::chrono::microseconds>(m_rig.framePeriod());
    m_plan = timing::summarize(m_protocol, timing::PlanTiming {exposure, period});
    out.framesPlanned = m_plan.frames;
    m_runStart = now();
    const QDateTime startedAt = QDateTime::currentDateTimeUtc();

    QString failure;
    qint64 failedFrame = -1;
    try {
        if (auto s = storage::RunFolder::checkSpace(m_folder.path(),
                m_plan.frames * storage::RunFolder::estimatedImageBytes(rig.modeWidth, rig.modeHeight),
                int(std::min<qint64>(m_plan.frames, INT_MAX)));
            !s.ok())
            throw std::runtime_error(s.error().toString().toStdString());
        if (auto s = m_rig.strobe().start(); !s.ok())
            throw std::runtime_error(s.error().toString().toStdString());
        if (auto s = m_rig.camera().start(); !s.ok())
            throw std::runtime_error(s.error().toString().toStdString());
        const auto st = m_rig.strobe().stats();
        if (!st.realtimeNote.isEmpty())
            m_notes << st.realtimeNote;
        m_writer = std::make_unique<storage::ImageWriter>(
            m_folder, storage::ImageWriter::queueBytesFor(rig.modeWidth, rig.modeHeight));
        m_writer->setDelayPerImage(m_writeDelay);
        m_pipeline = std::make_unique<CapturePipeline>(
            m_rig, m_capture, *m_writer,
            [this](const ImageIntent &intent, const Shot &shot) { return recordOf(intent, shot); },
            qint64(rig.modeWidth) * rig.modeHeight * qint64(sizeof(quint16)));
        m_pipeline->setStopCheck([this] { return stopRequested(); });
        m_pipeline->setWaitCallback([this] { report(*m_action, QStringLiteral("waiting for the disk")); });

        timing::FramePlanCursor cursor(m_protocol);
        PlanAction action;
        while (cursor.next(action)) {
            if (const QString why = stopRequested(); !why.isEmpty()) {
                failure = why;
                break;
            }
            m_action = &action;
            Status s = Ok {};
            // Only strobed images follow each other through the pipeline; anything else waits for it.
            if (!(action.kind == ActionKind::Capture && !action.underContinuousLight))
                s = m_pipeline->flush();
            if (s.ok() && !(action.kind == ActionKind::Capture && action.underContinuousLight))
                s = endIllumination();
            if (s.ok()) {
                switch (action.kind) {
                case ActionKind::Capture:
                    report(action, QStringLiteral("capture"));
                    failedFrame = action.frameIndex;
                    s = capture(action);
                    break;
                case ActionKind::Wait:
                    report(action, QStringLiteral("wait"));
                    s = waitFor(action.duration, true);
                    break;
                case ActionKind::SetTemperature:
                    report(action, QStringLiteral("set temperature"));
                    m_notes << QStringLiteral(
                        "%1: this rig has no heater; the set point %2 K was recorded, not applied")
                                   .arg(action.stepPath)
                                   .arg(action.temperatureKelvin);
                    break;
                case ActionKind::Illuminate: {
                    report(action, QStringLiteral("illuminate"));
                    s = m_rig.strobe().illuminate(continuousLights(action.flashes,
                        std::chrono::duration_cast<std::chrono::microseconds>(action.duration)));
                    m_illuminationEnd
                        = now() + std::chrono::duration_cast<std::chrono::nanoseconds>(action.duration);
                    if (s.ok() && action.captures > 0)
                        break;  // its captures follow; they wait on the light that is now on
                    if (s.ok())
                        s = endIllumination();
                    break;
                }
                }
            }
            if (!s.ok()) {
                failure = s.error().toString();
                break;
            }
            failedFrame = -1;
        }
        if (failure.isEmpty()) {
            if (auto s = m_pipeline->flush(); !s.ok())
                failure = s.error().toString();
        }
        if (failure.isEmpty()) {
            if (auto s = endIllumination(); !s.ok())
                failure = s.error().toString();
        }
    } catch (const std::exception &e) {
        failure = QString::fromLocal8Bit(e.what());
    }
    if (m_pipeline) {
        if (!failure.isEmpty() && m_pipeline->failedFrame() >= 0)
            failedFrame = m_pipeline->failedFrame();
        m_pipeline->abandon();
    }

    // Every path ends here: LEDs off, rig stopped, queued images made durable, summary written.
    m_rig.strobe().stop();
    m_rig.camera().stop();
    if (m_writer) {
        // A write error is the cause of whatever stopped the capture after it (the disk filled up).
        if (auto s = m_writer->drain(); !s.ok()) {
            failure = s.error().toString();
            failedFrame = m_writer->failedFrame();
        }
        publishSaved();
        out.writer = m_writer->stats();
        m_pipeline.reset();
        m_writer.reset();
    }
    if (m_firstImageTime)
        out.imagesPerFramePeriod = double(m_imagesTaken)
            / (seconds(m_lastImageTime - *m_firstImageTime) / seconds(m_rig.framePeriod()) + 1.0);
    out.strobe = m_rig.strobe().stats();
    out.droppedFrames = m_rig.camera().droppedFrames();
    out.ledsOffAtEnd = m_rig.strobe().allLedsOff();
    out.imagesSaved = m_framesDone;
    out.completed = failure.isEmpty();
    if (!out.completed)
        out.stopReason
            = failedFrame >= 0 ? QStringLiteral("frame %1: %2").arg(failedFrame).arg(failure) : failure;
    out.notes = m_notes;

    QJsonObject strobe {{QStringLiteral("triggers"), out.strobe.triggers},
        {QStringLiteral("missed_pulses"), out.strobe.missed},
        {QStringLiteral("rejected_pulses"), out.strobe.rejected},
        {QStringLiteral("stop_pulses"), out.strobe.stopPulses},
        {QStringLiteral("late_edges"), out.strobe.lateEdges},
        {QStringLiteral("realtime"), out.strobe.realtime},
        {QStringLiteral("memory_locked"), out.strobe.memoryLocked}};
    QJsonObject summary {
        {QStringLiteral("status"), out.completed ? QStringLiteral("completed") : QStringLiteral("stopped")},
        {QStringLiteral("stop_reason"), out.stopReason},
        {QStringLiteral("protocol"), m_protocol.name},
        {QStringLiteral("rig"), rig.toJson()},
        {QStringLiteral("camera"), m_settings.toJson()},
        {QStringLiteral("frames_planned"), out.framesPlanned},
        {QStringLiteral("images_saved"), out.imagesSaved},
        {QStringLiteral("started_utc"), startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("finished_utc"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("duration_s"), seconds(now() - m_runStart)},
        {QStringLiteral("estimated_duration_s"), m_plan.estimatedDuration.count()},
        {QStringLiteral("strobe"), strobe},
        {QStringLiteral("dropped_camera_frames"), out.droppedFrames},
        {QStringLiteral("leds_off_at_end"), out.ledsOffAtEnd},
        {QStringLiteral("images_per_frame_period"), out.imagesPerFramePeriod},
        {QStringLiteral("writer"),
            QJsonObject {{QStringLiteral("queue_bound_bytes"), out.writer.maxQueuedBytes},
                {QStringLiteral("high_water_bytes"), out.writer.highWaterBytes},
                {QStringLiteral("high_water_images"), out.writer.highWaterImages},
                {QStringLiteral("waits_for_disk"), out.writer.waits},
                {QStringLiteral("waited_for_disk_s"), seconds(out.writer.waited)}}},
        {QStringLiteral("notes"), QJsonArray::fromStringList(out.notes)},
    };
    if (auto s = m_folder.finish(summary); !s.ok()) {
        out.notes << QStringLiteral("summary.json could not be written: %1").arg(s.error().toString());
        if (out.completed) {
            out.completed = false;
            out.stopReason = s.error().toString();
        }
    }
    out.summary = summary;
    return out;
}

}  // namespace scopesync::core::acquisition
