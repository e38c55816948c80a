// ProtocolRun: executes a frame plan on a rig and saves every image into a run folder, losing nothing.
#include "core/acquisition/protocol_run.h"

#include "core/acquisition/image_record_builder.h"
#include "core/acquisition/rig_timing.h"

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

double celsius(double kelvin)
{
    return kelvin - 273.15;
}

// A filter the wheel must be moved to; "any_filter" and none leave it where it is.
bool concreteFilter(const QString &filter)
{
    return !filter.isEmpty() && filter != QLatin1String("any_filter");
}

// A move's time from the port, with room for a slow start: a wheel that takes longer is stuck.
std::chrono::milliseconds settleTimeout(std::chrono::milliseconds moveTime)
{
    return moveTime * 3 + std::chrono::milliseconds(5000);
}

struct DeviceProblems {
    QList<Error> errors;
    QStringList ignored;  // notes for what an ignoreMissingDevices run does not apply
};

void checkSteps(const std::vector<protocol::Step> &steps, bool heater,
    const instrument::HeaterDescription *heaterDesc, const instrument::FilterChanger *wheel,
    DeviceProblems &out)
{
    using protocol::StepKind;
    for (const auto &step : steps) {
        const QString where = step.sourcePath.isEmpty() ? QStringLiteral("$") : step.sourcePath;
        switch (step.kind) {
        case StepKind::Group: checkSteps(step.children, heater, heaterDesc, wheel, out); break;
        case StepKind::SetTemperature:
            if (!heater) {
                out.errors.append({QStringLiteral("this rig has no heater (or no thermometer) to hold %1 °C; "
                                                  "describe them in the rig file, or run with the option to "
                                                  "ignore missing devices")
                                       .arg(celsius(step.temperatureKelvin), 0, 'f', 1),
                    where});
                out.ignored << QStringLiteral(
                    "%1: this rig has no heater; the set point %2 K was recorded, not "
                    "applied")
                                   .arg(where)
                                   .arg(step.temperatureKelvin);
            } else if (heaterDesc && step.temperatureKelvin >= heaterDesc->maxKelvin) {
                out.errors.append(
                    {QStringLiteral("the set point %1 °C is at or above the rig's over-temperature "
                                    "limit %2 °C; lower it")
                            .arg(celsius(step.temperatureKelvin), 0, 'f', 1)
                            .arg(celsius(heaterDesc->maxKelvin), 0, 'f', 1),
                        where});
            }
            break;
        case StepKind::Image:
            if (!concreteFilter(step.filter))
                break;
            if (!wheel) {
                // No wheel is the same as no filter in the light path: only another filter is a problem.
                if (step.filter == QLatin1String("no_filter"))
                    break;
                out.errors.append(
                    {QStringLiteral("the image asks for the filter \"%1\" but this rig has no filter "
                                    "wheel; describe the wheel in the rig file, use \"any_filter\", "
                                    "or run with the option to ignore missing devices")
                            .arg(step.filter),
                        where + QStringLiteral(".filter")});
                out.ignored << QStringLiteral("%1.filter: this rig has no filter wheel; \"%2\" was recorded, "
                                              "not put in place")
                                   .arg(where, step.filter);
            } else if (!wheel->positions().contains(step.filter)) {
                // Not ignorable: the wheel exists and would image through something else.
                out.errors.append(
                    {QStringLiteral("the filter \"%1\" is not on this rig's wheel (%2); use one "
                                    "of those or \"any_filter\"")
                            .arg(step.filter, wheel->positions().join(QStringLiteral(", "))),
                        where + QStringLiteral(".filter")});
                out.ignored.append(QString());  // keeps errors and notes paired; never shown
            }
            break;
        case StepKind::Wait:
        case StepKind::Illuminate: break;
        }
    }
}

}  // namespace

ProtocolRun::ProtocolRun(
    Rig &rig, storage::RunFolder &folder, const protocol::Protocol &protocol, camera::CameraSettings settings)
    : m_rig(rig), m_folder(folder), m_protocol(protocol), m_settings(std::move(settings)), m_capture(rig)
{
}

QString ProtocolRun::stopRequested() const
{
    if (QString why = m_capture.stopRequested(); !why.isEmpty())
        return why;
    if (m_regulator) {
        if (const QString f = m_regulator->fault(); !f.isEmpty())
            return QStringLiteral("heater: ") + f;
    }
    return {};
}

bool ProtocolRun::heaterAvailable() const
{
    auto &rig = const_cast<Rig &>(m_rig);  // the device getters are not const; nothing is changed here
    return rig.thermometer() && rig.heater() && m_rig.description().heater;
}

Status ProtocolRun::checkDevices() const
{
    auto &rig = const_cast<Rig &>(m_rig);
    const auto &heaterDesc = m_rig.description().heater;
    DeviceProblems problems;
    checkSteps(m_protocol.steps, heaterAvailable(), heaterDesc ? &*heaterDesc : nullptr, rig.filterChanger(),
        problems);
    if (problems.errors.isEmpty())
        return Ok {};
    // Missing devices may be ignored on request; a wrong filter name or a set point above the limit never.
    QList<Error> remaining;
    for (qsizetype i = 0; i < problems.errors.size(); ++i) {
        const bool missingDevice = i < problems.ignored.size() && !problems.ignored[i].isEmpty();
        if (!(m_ignoreMissingDevices && missingDevice))
            remaining.append(problems.errors[i]);
    }
    if (remaining.isEmpty())
        return Ok {};
    Error first = remaining.first();
    if (remaining.size() > 1)
        first.message += QStringLiteral(" (and %1 more such problems)").arg(remaining.size() - 1);
    return first;
}

InstrumentState ProtocolRun::instrumentState() const
{
    auto &rig = const_cast<Rig &>(m_rig);
    InstrumentState st;
    if (auto *wheel = rig.filterChanger())
        st.filterInPlace = wheel->current().value_or(QString());
    if (auto *focus = rig.focusDrive())
        st.focusSteps = focus->position();
    if (m_regulator) {
        if (auto sample = m_regulator->latest())
            st.temperatureKelvin = sample->kelvin;
        st.setPointKelvin = m_regulator->setPoint();
    }
    return st;
}

void ProtocolRun::report(const PlanAction &action, const QString &activity, RunProgress p)
{
    if (!m_progress)
        return;
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
    // The pipeline is flushed before the wheel or the focus moves, so the state now is the state the
    // image was exposed in.
    storage::ImageRecord rec
        = buildImageRecord(m_rig.description(), intent, shot, m_rig.strobe().stats(), instrumentState());
    rec.runStartNs = toNs(m_runStart);
    const MonoTime t = shot.event ? shot.event->triggerTime : shot.frame.exposureStart;
    if (!m_firstImageTime)
        m_firstImageTime = t;
    m_lastImageTime = t;
    if (rec.retake > 0)
        ++m_retakesTaken;
    else
        ++m_imagesTaken;
    if (!rec.doseProblems.isEmpty())
        m_doseFlagged << QStringLiteral("frame %1%2 (%3): %4")
                             .arg(rec.frameIndex)
                             .arg(rec.retake > 0 ? QStringLiteral(" retake %1").arg(rec.retake) : QString())
                             .arg(rec.channelName, rec.doseProblems.join(QStringLiteral("; ")));
    return rec;
}

void ProtocolRun::publishSaved()
{
    for (const storage::ImageRecord &rec : m_writer->takeSaved()) {
        if (rec.retake > 0)
            ++m_retakesSaved;
        else
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
        // Under continuous light the light is already on: capture k of the step is the first frame that
        // starts at or after k capture periods into it, but no later than two frame periods before the
        // light goes off (such a frame is exposed while the light is on). The validator refuses steps
        // too short for their captures. The pipeline was flushed before this action.
        const auto frame = std::chrono::duration_cast<std::chrono::nanoseconds>(m_rig.framePeriod());
        const MonoTime moment = std::min<MonoTime>(m_illuminationStart
                + std::chrono::duration_cast<std::chrono::nanoseconds>(
                    action.captures * action.capturePeriod),
            m_illuminationEnd - 2 * frame);
        if (const auto early = moment - now(); early > 0ns) {
            report(action, QStringLiteral("illuminate"));
            if (auto st = waitFor(early, true); !st.ok())
                return st;
        }
        auto shot = m_capture.next();
        if (!shot.ok())
            return shot.error();
        // Late (the disk held the run back, or the camera's frames came late): say so, the image is kept.
        if (const auto past = shot->frame.exposureStart
                + std::max<std::chrono::nanoseconds>(shot->frame.exposure, frame) - m_illuminationEnd;
            past > 1ms)
            m_notes << QStringLiteral(
                "%1: capture %2 (frame %3) was still being exposed %4 ms after the light "
                "went off: its lower rows are darker")
                           .arg(action.stepPath)
                           .arg(action.captures + 1)
                           .arg(action.frameIndex)
                           .arg(std::chrono::duration<double, std::milli>(past).count(), 0, 'f', 1);
        storage::ImageRecord rec = recordOf(intent, *shot);
        // The first frame at or after the planned moment starts within a frame period of it; a later one
        // means frames went by unused (the disk or the machine held the run back): kept, but said.
        if (const auto late = shot->frame.exposureStart - moment; late > frame + 1ms) {
            const double lateMs = std::chrono::duration<double, std::milli>(late).count();
            rec.extra.append({QStringLiteral("capture_late_ms"), QString::number(lateMs, 'f', 1)});
            m_notes << QStringLiteral(
                "%1: capture %2 (frame %3) started %4 ms after its planned time, "
                "more than a frame period: the run was held back (disk or machine load)")
                           .arg(action.stepPath)
                           .arg(action.captures + 1)
                           .arg(action.frameIndex)
                           .arg(lateMs, 0, 'f', 1);
        }
        s = m_writer->submit(
            std::move(shot->frame.image), std::move(rec), [this] { return stopRequested(); },
            [this] { report(*m_action, QStringLiteral("waiting for the disk")); });
    } else {
        s = m_pipeline->push(intent);
    }
    publishSaved();
    return s;
}

bool ProtocolRun::devicesMustMove(const PlanAction &action) const
{
    if (!concreteFilter(action.filter))
        return false;
    const auto *wheel = m_rig.filterChanger();
    if (wheel && wheel->positions().contains(action.filter) && wheel->current() != action.filter)
        return true;
    const auto *focus = m_rig.focusDrive();
    const auto &focusDesc = m_rig.description().focus;
    return focus && focusDesc && focus->position() != focusDesc->targetFor(action.filter);
}

Status ProtocolRun::moveDevices(const PlanAction &action)
{
    if (!concreteFilter(action.filter))
        return Ok {};
    auto *wheel = m_rig.filterChanger();
    auto *focus = m_rig.focusDrive();
    const auto &focusDesc = m_rig.description().focus;
    std::optional<std::chrono::milliseconds> wheelTimeout;
    std::optional<std::chrono::milliseconds> focusTimeout;
    // Both start before either is waited for: the wheel and the focus move together.
    if (wheel && wheel->positions().contains(action.filter)) {
        const auto from = wheel->current();
        if (from != action.filter) {
            RunProgress p;
            p.filter = action.filter;
            report(action, QStringLiteral("filter %1").arg(action.filter), p);
            if (auto st = wheel->moveTo(action.filter); !st.ok())
                return st;
            wheelTimeout = settleTimeout(wheel->moveTime(from.value_or(action.filter), action.filter));
            ++m_filterMoves;
        }
    }
    if (focus && focusDesc) {
        const int target = focusDesc->targetFor(action.filter);
        const auto from = focus->position();
        if (from != target) {
            report(action, QStringLiteral("focus"));
            if (auto st = focus->moveTo(target); !st.ok())
                return st;
            focusTimeout = settleTimeout(focus->moveTime(from.value_or(target), target));
        }
    }
    // Frames keep coming while the devices move: take them off the queue, or the camera drops the
    // next image's frame. The ports' own waitSettled() then gives the verdict (timeout, fault).
    const MonoTime started = now();
    const auto deadline = started + std::max(wheelTimeout.value_or(0ms), focusTimeout.value_or(0ms));
    const auto arrived = [&] {
        return (!wheelTimeout || wheel->current() == action.filter)
            && (!focusTimeout || focus->position() == focusDesc->targetFor(action.filter));
    };
    while (!arrived() && now() < deadline) {
        if (const QString why = stopRequested(); !why.isEmpty())
            return Error {why, QString()};
        (void)m_rig.camera().waitFrame(5ms);
    }
    if (wheelTimeout) {
        if (auto st = wheel->waitSettled(std::chrono::duration_cast<std::chrono::milliseconds>(
                std::max(std::chrono::nanoseconds(100ms), deadline - now())));
            !st.ok())
            return st;
        if (wheel->current() != action.filter)
            return Error {QStringLiteral("the filter wheel reports \"%1\" in place after moving to \"%2\"")
                              .arg(wheel->current().value_or(QStringLiteral("nothing")), action.filter),
                QStringLiteral("filter wheel")};
    }
    if (focusTimeout) {
        if (auto st = focus->waitSettled(std::chrono::duration_cast<std::chrono::milliseconds>(
                std::max(std::chrono::nanoseconds(100ms), deadline - now())));
            !st.ok())
            return st;
    }
    return Ok {};
}

Status ProtocolRun::setTemperature(const PlanAction &action)
{
    if (!m_regulator) {
        // checkDevices() let this through: the run was told to ignore missing devices.
        m_notes << QStringLiteral("%1: this rig has no heater; the set point %2 K was recorded, not applied")
                       .arg(action.stepPath)
                       .arg(action.temperatureKelvin);
        return Ok {};
    }
    report(action, QStringLiteral("set temperature"));
    if (auto st = m_regulator->setSetPoint(action.temperatureKelvin); !st.ok())
        return st;
    return m_regulator->waitReached(
        [this] {
            if (QString why = m_capture.stopRequested(); !why.isEmpty())
                return why;
            // Called every poll while heating: keep the camera's queue fresh as waitFor() does.
            while (m_rig.camera().waitFrame(0ms)) { }
            return m_rig.strobe().fault();
        },
        [&](const instrument::HeaterSample &sample) {
            RunProgress p;
            p.temperatureKelvin = sample.kelvin;
            p.setPointKelvin = action.temperatureKelvin;
            report(action,
                QStringLiteral("heating %1 °C → %2 °C")
                    .arg(celsius(sample.kelvin), 0, 'f', 1)
                    .arg(celsius(action.temperatureKelvin), 0, 'f', 1),
                p);
        });
}

Status ProtocolRun::startDevices()
{
    // A wheel or focus that does not know where it is finds its reference before the first image.
    if (auto *wheel = m_rig.filterChanger(); wheel && !wheel->current()) {
        if (auto st = wheel->home(); !st.ok())
            return st;
    }
    if (auto *focus = m_rig.focusDrive(); focus && !focus->position()) {
        if (auto st = focus->home(); !st.ok())
            return st;
    }
    if (!heaterAvailable())
        return Ok {};
    auto trace = storage::TemperatureTrace::create(m_folder.path(), m_runStart);
    if (!trace.ok())
        return trace.error();
    m_trace = std::move(trace).value();
    m_regulator = std::make_unique<instrument::HeaterRegulator>(
        *m_rig.thermometer(), *m_rig.heater(), *m_rig.description().heater);
    m_regulator->setSampleCallback([this](const instrument::HeaterSample &s) {
        if (!m_trace->append(s.at, s.kelvin, s.setPointKelvin, s.dutyPerMille).ok())
            m_traceFailed = true;
    });
    return m_regulator->start();
}

void ProtocolRun::stopDevices()
{
    // The heater first: it is the output that can do harm while the rest stops.
    if (m_regulator)
        m_regulator->stop();
    if (auto *heater = m_rig.heater())
        heater->off();
    if (auto *wheel = m_rig.filterChanger())
        wheel->release();
    if (auto *focus = m_rig.focusDrive())
        focus->release();
}

RunOutcome ProtocolRun::execute()
{
    RunOutcome out;
    const auto &rig = m_rig.description();
    const auto exposure = m_settings.shutter.value_or(std::chrono::microseconds(0));
    const auto period = std::chrono::duration_cast<std::chrono::microseconds>(m_rig.framePeriod());
    timing::PlanTiming planTiming;
    planTiming.exposure = exposure;
    planTiming.minFramePeriod = period;
    instrumentPlanTiming(rig, planTiming);
    if (auto *wheel = m_rig.filterChanger()) {
        // The port knows its moves better than the description does.
        const QStringList positions = wheel->positions();
        std::chrono::milliseconds total {0};
        qint64 pairs = 0;
        for (const auto &a : positions)
            for (const auto &b : positions)
                if (a != b) {
                    total += wheel->moveTime(a, b);
                    ++pairs;
                }
        if (pairs > 0)
            planTiming.filterMove = total / pairs;
    }
    m_plan = timing::summarize(m_protocol, planTiming);
    out.framesPlanned = m_plan.frames;
    m_runStart = now();
    const QDateTime startedAt = QDateTime::currentDateTimeUtc();

    QString failure;
    qint64 failedFrame = -1;
    try {
        if (auto s = checkDevices(); !s.ok())
            throw std::runtime_error(s.error().toString().toStdString());
        if (m_ignoreMissingDevices) {
            DeviceProblems problems;
            checkSteps(m_protocol.steps, heaterAvailable(), nullptr, m_rig.filterChanger(), problems);
            for (const QString &n : problems.ignored)
                if (!n.isEmpty() && n.contains(QStringLiteral(".filter:")))
                    m_notes << n;
        }
        if (auto s = storage::RunFolder::checkSpaceForImages(
                m_folder.path(), m_plan.frames, rig.modeWidth, rig.modeHeight);
            !s.ok())
            throw std::runtime_error(s.error().toString().toStdString());
        if (auto s = m_rig.strobe().start(); !s.ok())
            throw std::runtime_error(s.error().toString().toStdString());
        if (auto s = m_rig.camera().start(); !s.ok())
            throw std::runtime_error(s.error().toString().toStdString());
        if (auto s = startDevices(); !s.ok())
            throw std::runtime_error(s.error().toString().toStdString());
        const auto st = m_rig.strobe().stats();
        if (!st.realtimeNote.isEmpty())
            m_notes << st.realtimeNote;
        m_notes << m_rig.notes();
        m_writer = std::make_unique<storage::ImageWriter>(
            m_folder, storage::ImageWriter::queueBytesFor(rig.modeWidth, rig.modeHeight));
        m_writer->setDelayPerImage(m_writeDelay);
        m_pipeline = std::make_unique<CapturePipeline>(
            m_rig, m_capture, *m_writer,
            [this](const ImageIntent &intent, const Shot &shot) { return recordOf(intent, shot); },
            qint64(rig.modeWidth) * rig.modeHeight * qint64(sizeof(quint16)));
        m_pipeline->setStopCheck([this] { return stopRequested(); });
        m_pipeline->setMaxRetakes(m_maxRetakes);
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
                    failedFrame = action.frameIndex;
                    // The wheel and the focus move only once the images armed ahead are in.
                    if (devicesMustMove(action))
                        s = m_pipeline->flush();
                    if (s.ok())
                        s = moveDevices(action);
                    if (s.ok()) {
                        report(action, QStringLiteral("capture"));
                        s = capture(action);
                    }
                    break;
                case ActionKind::Wait:
                    report(action, QStringLiteral("wait"));
                    s = waitFor(action.duration, true);
                    break;
                case ActionKind::SetTemperature: s = setTemperature(action); break;
                case ActionKind::Illuminate: {
                    report(action, QStringLiteral("illuminate"));
                    s = m_rig.strobe().illuminate(continuousLights(action.flashes,
                        std::chrono::duration_cast<std::chrono::microseconds>(action.duration)));
                    m_illuminationStart = now();
                    m_illuminationEnd = m_illuminationStart
                        + std::chrono::duration_cast<std::chrono::nanoseconds>(action.duration);
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

    // Every path ends here: heater and LEDs off, rig stopped, queued images made durable, summary
    // written.
    QJsonObject heaterJson;
    if (m_regulator) {
        const auto last = m_regulator->latest();
        heaterJson = QJsonObject {{QStringLiteral("fault"), m_regulator->fault()},
            {QStringLiteral("last_reading_k"), last ? QJsonValue(last->kelvin) : QJsonValue()},
            {QStringLiteral("set_point_k"),
                m_regulator->setPoint() ? QJsonValue(*m_regulator->setPoint()) : QJsonValue()}};
    }
    stopDevices();
    if (m_traceFailed)
        m_notes << QStringLiteral("the temperature trace could not be written completely (disk full?)");
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
        if (m_pipeline)
            out.droppedRetaken = m_pipeline->droppedRetaken();
        m_pipeline.reset();
        m_writer.reset();
    }
    if (m_firstImageTime)
        out.imagesPerFramePeriod = double(m_imagesTaken)
            / (seconds(m_lastImageTime - *m_firstImageTime) / seconds(m_rig.framePeriod()) + 1.0);
    out.strobe = m_rig.strobe().stats();
    out.droppedFrames = m_rig.camera().droppedFrames();
    out.ledsOffAtEnd = m_rig.strobe().allLedsOff();
    out.heaterOffAtEnd = !m_rig.heater() || m_rig.heater()->duty() == 0.0;
    out.filterMoves = m_filterMoves;
    out.imagesSaved = m_framesDone;
    out.doseErrors = m_doseFlagged.size();
    out.retakesSaved = m_retakesSaved;
    if (!m_doseFlagged.isEmpty()) {
        constexpr qsizetype kListed = 10;
        m_notes << QStringLiteral(
            "%1 image(s) received a different light than planned (flagged \"dose_errors\" in "
            "manifest.jsonl and their OME metadata; %2 retake(s) saved beside them): %3%4")
                       .arg(m_doseFlagged.size())
                       .arg(m_retakesSaved)
                       .arg(m_doseFlagged.mid(0, kListed).join(QStringLiteral(" | ")))
                       .arg(m_doseFlagged.size() > kListed
                               ? QStringLiteral(" | and %1 more").arg(m_doseFlagged.size() - kListed)
                               : QString());
    }
    if (out.droppedRetaken > 0)
        m_notes << QStringLiteral("%1 image(s) were taken again on a following frame because the camera "
                                  "dropped the frame their flash lit (its queue was full: a busy machine)")
                       .arg(out.droppedRetaken);
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
        {QStringLiteral("worst_wake_latency_us"),
            double(std::chrono::duration_cast<std::chrono::microseconds>(out.strobe.worstOversleep).count())},
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
        {QStringLiteral("filter_moves"), out.filterMoves},
        {QStringLiteral("dose_errors"), out.doseErrors},
        {QStringLiteral("retakes_saved"), out.retakesSaved},
        {QStringLiteral("dropped_frames_retaken"), out.droppedRetaken},
    };
    if (m_rig.heater())
        summary.insert(QStringLiteral("heater_off_at_end"), out.heaterOffAtEnd);
    if (m_trace) {
        heaterJson.insert(QStringLiteral("samples"), m_trace->lineCount());
        summary.insert(
            QStringLiteral("temperature_trace"), QLatin1String(storage::TemperatureTrace::kFileName));
    }
    if (!heaterJson.isEmpty())
        summary.insert(QStringLiteral("heater"), heaterJson);
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
