// RigController: drives a rig from a worker thread for the GUI — live preview, manual shots, protocol runs.
#include "ui/common/rig_controller.h"

#include "core/acquisition/image_record_builder.h"
#include "core/acquisition/rig_timing.h"
#include "core/acquisition/strobed_capture.h"
#include "core/protocol/protocol_writer.h"
#include "core/storage/tiff_reader.h"
#include "ui/common/gui_handoff.h"
#include "ui/preview/level_lut.h"

#include <QDateTime>
#include <QDir>
#include <QTemporaryDir>

namespace scopesync::ui {

using namespace std::chrono_literals;
using core::acquisition::CapturedFrame;
using core::acquisition::LedPulse;
using core::acquisition::MonoTime;
using core::acquisition::monotonicNow;

RigController::RigController(RigFactory factory, QObject *parent)
    : QObject(parent), m_factory(std::move(factory)), m_worker(this, workerHooks())
{
    m_thumbnails.setMaxThreadCount(1);
}

RigController::~RigController()
{
    m_worker.requestStop();  // queued commands are dropped
    m_runStop = 1;
    m_pause = false;
    m_worker.stop();  // the rig closes on the worker (atExit)
    m_thumbnails.waitForDone();
}

void RigController::post(std::function<void()> command)
{
    m_worker.post([command = std::move(command)] {
        command();
        return std::function<void()>();
    });
}

QString RigController::manualFolder() const
{
    const std::lock_guard lock(m_folderMutex);
    return m_manualFolderPath;
}

void RigController::openRig(
    const core::acquisition::RigDescription &rig, const core::camera::CameraSettings &settings)
{
    m_description = rig;
    m_settings = settings;
    m_open = false;
    post([this, rig, settings] {
        closeRig();
        auto made = m_factory(rig, settings);
        if (!made.ok()) {
            const QString why = made.error().toString();
            toGui([this, why] { Q_EMIT rigFailed(why); });
            return;
        }
        m_rig = std::move(made).value();
        m_live = std::make_unique<core::acquisition::LiveView>(*m_rig);
        const QString summary = m_rig->summary();
        toGui([this, summary] {
            m_open = true;
            Q_EMIT rigOpened(summary);
        });
        emitStatus(true);
    });
}

void RigController::setLive(bool on)
{
    if (m_liveWanted == on)
        return;
    m_liveWanted = on;
    Q_EMIT liveChanged(on);
    post([this, on] {
        m_workerLive = on;
        if (!on && m_live)
            m_live->stop();
        emitStatus(true);
    });
}

void RigController::setLiveStrobe(const QString &led, std::chrono::milliseconds duration)
{
    post([this, led, duration] {
        if (!m_live)
            return;
        if (led.isEmpty()) {
            m_live->setStrobe(std::nullopt);
            m_litLeds.clear();
        } else {
            m_live->setStrobe(LedPulse {led, m_rig->description().delay,
                std::chrono::duration_cast<std::chrono::microseconds>(duration), 1000});
            m_litLeds = tr("%1 (strobed each frame)").arg(led);
        }
        emitStatus(true);
    });
}

void RigController::flash(const QString &led, std::chrono::milliseconds duration)
{
    post([this, led, duration] {
        if (!m_live) {
            toGui([this] { Q_EMIT errorOccurred(tr("Flash"), tr("No rig is open.")); });
            return;
        }
        if (auto s = m_live->beginFlash(led, duration); !s.ok()) {
            const QString why = s.error().toString();
            toGui([this, why] { Q_EMIT errorOccurred(tr("Flash refused"), why); });
            return;
        }
        m_litLeds = tr("%1 (flash)").arg(led);
        emitStatus(true);
        const MonoTime end = monotonicNow() + std::chrono::duration_cast<std::chrono::nanoseconds>(duration);
        // Keep the preview going while the light is on; the light goes off at the end either way.
        while (monotonicNow() < end) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - monotonicNow());
            if (auto f = m_rig->camera().waitFrame(std::clamp(left, 1ms, 50ms)))
                publish(std::move(*f), led);
        }
        (void)m_live->endFlash();
        m_litLeds.clear();
        if (!m_workerLive)
            m_live->stop();
        emitStatus(true);
        toGui([this, led] { Q_EMIT flashDone(led); });
    });
}

void RigController::captureManual(
    const QString &led, std::chrono::milliseconds duration, const QString &parentDir)
{
    post([this, led, duration, parentDir] {
        const auto fail = [this](const QString &why) {
            toGui([this, why] { Q_EMIT errorOccurred(tr("Capture failed"), why); });
        };
        if (!m_live)
            return fail(tr("No rig is open."));
        const auto &rig = m_rig->description();
        if (!led.isEmpty()) {
            const auto limit = rig.maxOnFor(led);
            if (!rig.leds.contains(led))
                return fail(tr("The rig has no LED '%1'.").arg(led));
            if (duration.count() <= 0 || duration > limit)
                return fail(tr("A %1 ms flash is outside 1–%2 ms, the rig's safety limit for %3.")
                                .arg(duration.count())
                                .arg(limit.count())
                                .arg(led));
        }
        if (!m_manual) {
            auto folder = core::storage::RunFolder::createTimestamped(
                parentDir, QDateTime::currentDateTime(), QStringLiteral("manual"));
            if (!folder.ok())
                return fail(folder.error().toString());
            m_manual = std::move(folder).value();
            const std::lock_guard lock(m_folderMutex);
            m_manualFolderPath = m_manual->path();
        }
        if (auto s = m_live->start(); !s.ok())
            return fail(s.error().toString());
        core::acquisition::ImageIntent intent;
        intent.delay = led.isEmpty() ? std::chrono::microseconds(0) : rig.delay;
        if (!led.isEmpty())
            intent.lights = {LedPulse {
                led, rig.delay, std::chrono::duration_cast<std::chrono::microseconds>(duration), 1000}};
        intent.label = QStringLiteral("manual");
        intent.frameIndex = m_manual->imagesSaved();
        // Like a run's image: a take whose measured light differs from the plan (a flash cut or late under
        // load, light of the image before) is kept, flagged, and taken again, up to kManualRetakes times.
        core::acquisition::StrobedCapture capture(*m_rig);
        QString file;
        QStringList problems;
        std::optional<CapturedFrame> last;
        for (intent.retake = 0; intent.retake <= kManualRetakes; ++intent.retake) {
            const auto shot = led.isEmpty() ? capture.next() : capture.strobed(intent.lights);
            if (!shot.ok()) {
                if (!m_workerLive)
                    m_live->stop();
                return fail(shot.error().toString());
            }
            auto rec = core::acquisition::buildImageRecord(rig, intent, *shot, m_rig->strobe().stats());
            rec.extra.append({QStringLiteral("capture"), QStringLiteral("manual")});
            if (auto s = m_manual->addImage(shot->frame.image, rec); !s.ok()) {
                if (!m_workerLive)
                    m_live->stop();
                return fail(s.error().toString());
            }
            file = QDir(m_manual->path()).filePath(core::storage::RunFolder::imageFileName(rec));
            problems = rec.doseProblems;
            last = shot->frame;
            if (problems.isEmpty())
                break;
        }
        if (!m_workerLive)
            m_live->stop();
        publish(std::move(*last), led);
        if (!problems.isEmpty())
            toGui([this, file, problems] { Q_EMIT manualFlagged(file, problems); });
        toGui([this, file] { Q_EMIT manualCaptured(file); });
    });
}

void RigController::startRun(
    const core::protocol::Protocol &protocol, const QString &parentDir, const QStringList &inputs)
{
    if (m_runActive)
        return;
    m_runActive = true;
    m_runStop = 0;
    m_pause = false;
    post([this, protocol, parentDir, inputs] { runProtocol(protocol, parentDir, inputs); });
}

void RigController::setPaused(bool paused)
{
    if (m_runActive)
        m_pause = paused;
}

void RigController::stopRun()
{
    if (!m_runActive)
        return;
    m_pause = false;
    m_runStop = 1;
}

void RigController::withRig(std::function<void(core::acquisition::Rig *rig)> work)
{
    post([this, work = std::move(work)] {
        const bool wasLive = m_workerLive && m_live;
        if (m_live)
            m_live->stop();
        work(m_rig.get());
        if (wasLive && m_live && m_workerLive) {
            if (auto s = m_live->start(); !s.ok()) {
                m_workerLive = false;
                const QString why = s.error().toString();
                toGui([this, why] { Q_EMIT errorOccurred(tr("Live preview"), why); });
            }
        }
        emitStatus(true);
    });
}

void RigController::runProtocol(
    const core::protocol::Protocol &protocol, const QString &parentDir, const QStringList &inputs)
{
    const auto refuse = [this](const QString &why) {
        core::acquisition::RunOutcome out;
        out.stopReason = why;
        toGui([this, out] {
            m_runActive = false;
            Q_EMIT runFinished(out, QString());
        });
    };
    if (!m_rig)
        return refuse(tr("no rig is open"));
    m_live->stop();  // the run starts and stops the camera and strobe itself
    // The run holds its own set points: the manual regulator hands the heater over (off until the run's
    // first set-temperature step).
    m_heater.reset();
    // Refused before the folder exists, as on the command line: a run that cannot fit leaves nothing behind.
    const auto &desc = m_rig->description();
    const auto plan = core::timing::summarize(protocol, core::acquisition::rigPlanTiming(desc, m_settings));
    if (auto s = core::storage::RunFolder::checkSpaceForImages(
            parentDir, plan.frames, desc.modeWidth, desc.modeHeight);
        !s.ok())
        return refuse(s.error().message);
    auto made = core::storage::RunFolder::createTimestamped(parentDir);
    if (!made.ok())
        return refuse(made.error().toString());
    auto &folder = *made.value();
    for (const QString &p : inputs)
        if (!p.isEmpty())
            (void)folder.copyInput(p);  // provenance only: a missing copy does not stop a run
    {
        // The protocol as run (it may have been edited since it was opened), next to the copies.
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("protocol-as-run.json"));
        if (tmp.isValid() && core::protocol::ProtocolWriter::writeFile(protocol, path).ok())
            (void)folder.copyInput(path);
    }
    const QString folderPath = folder.path();
    toGui([this, folderPath] { Q_EMIT runStarted(folderPath); });
    m_workerRunning = true;
    emitStatus(true);

    core::acquisition::ProtocolRun run(*m_rig, folder, protocol, m_settings);
    run.setImageCallback([this](const core::acquisition::SavedImage &saved) {
        loadThumbnail(saved.file, saved.channel, saved.label);
    });
    run.setProgressCallback([&](const core::acquisition::RunProgress &p) {
        toGui([this, p] { Q_EMIT runProgress(p); });
        emitStatus(false);
        if (!m_pause || !p.pausable)
            return;
        toGui([this] { Q_EMIT runPausedChanged(true); });
        while (m_pause && m_runStop == 0) {
            // Keep the camera's queue fresh and the preview alive while the run holds.
            if (auto f = m_rig->camera().waitFrame(50ms))
                publish(std::move(*f), QString());
            emitStatus(false);
        }
        toGui([this] { Q_EMIT runPausedChanged(false); });
    });
    run.setStopFlag(&m_runStop);
    auto outcome = run.execute();
    m_workerRunning = false;
    m_runStop = 0;
    m_pause = false;
    emitStatus(true);
    toGui([this, outcome, folderPath] {
        m_runActive = false;
        Q_EMIT runFinished(outcome, folderPath);
    });
}

void RigController::setPreviewView(const PreviewView &view)
{
    const std::lock_guard lock(m_viewMutex);
    m_previewView = view;
}

PreviewView RigController::previewView() const
{
    const std::lock_guard lock(m_viewMutex);
    return m_previewView;
}

void RigController::rebinPreview(std::shared_ptr<const PreviewFrame> frame)
{
    if (!frame || !frame->full || m_liveWanted)
        return;  // live frames follow the view by themselves
    const PreviewView view = previewView();
    startOnPool(m_thumbnails, [this, frame, view] {
        auto pf = PreviewFrame::fromImage(frame->full, kPreviewMaxSide, view);
        pf->sequence = frame->sequence;
        pf->exposureStart = frame->exposureStart;
        pf->strobedLed = frame->strobedLed;
        if (m_mailbox.put(std::move(pf)))
            toGui([this] { Q_EMIT previewFrameReady(); });
    });
}

void RigController::loadThumbnail(const QString &file, const QString &channel, const QString &label)
{
    startOnPool(m_thumbnails, [this, file, channel, label] {
        auto t = core::storage::TiffReader::read(file);
        if (!t.ok())
            return;
        CapturedFrame frame;
        frame.image = std::move(t).value().image;
        auto pf = PreviewFrame::fromCapture(std::move(frame), kPreviewMaxSide, previewView());
        LevelLut lut;
        const auto [black, white] = LevelLut::autoLevels(pf->histogram);
        lut.setLevels(black, white);
        const QImage thumb = lut.render(pf->display, &pf->saturated, true)
                                 .scaled(QSize(160, 120), Qt::KeepAspectRatio, Qt::SmoothTransformation);
        if (m_mailbox.put(pf))
            toGui([this] { Q_EMIT previewFrameReady(); });
        toGui([this, channel, label, thumb] { Q_EMIT runThumbnail(channel, label, thumb); });
    });
}

SerialWorker::Hooks RigController::workerHooks()
{
    // Between commands: the live preview's next frame at once, else a status tick every 250 ms.
    SerialWorker::Hooks hooks;
    hooks.idleWait = [this] { return m_workerLive && m_live ? 0ms : 250ms; };
    hooks.idle = [this] {
        if (m_workerLive && m_live)
            liveStep();
        else
            emitStatus(false);
    };
    hooks.atExit = [this] { closeRig(); };
    return hooks;
}

void RigController::liveStep()
{
    auto r = m_live->next(100ms);
    if (!r.ok()) {
        m_workerLive = false;
        m_live->stop();
        const QString why = r.error().toString();
        toGui([this, why] {
            m_liveWanted = false;
            Q_EMIT liveChanged(false);
            Q_EMIT errorOccurred(tr("Live preview stopped"), why);
        });
        emitStatus(true);
        return;
    }
    if (r.value()) {
        const QString led = m_live->strobe() ? m_live->strobe()->led : QString();
        publish(std::move(r.value()->frame), led);
    }
    emitStatus(false);
}

void RigController::publish(CapturedFrame &&frame, const QString &strobedLed)
{
    ++m_workerFrames;
    m_frameTimes.push_back(frame.exposureStart);
    while (m_frameTimes.size() > 8)
        m_frameTimes.pop_front();
    auto pf = PreviewFrame::fromCapture(std::move(frame), kPreviewMaxSide, previewView());
    pf->strobedLed = strobedLed;
    if (m_mailbox.put(std::move(pf)))
        toGui([this] { Q_EMIT previewFrameReady(); });
}

void RigController::emitStatus(bool force)
{
    const MonoTime now = monotonicNow();
    if (!force && now - m_lastStatus < 250ms)
        return;
    m_lastStatus = now;
    if (m_rig) {
        auto edges = m_rig->strobe().takeEdgeLog();
        if (!edges.empty())
            toGui([this, edges = std::move(edges)] { Q_EMIT edgesMeasured(edges); });
    }
    RigStatus st;
    st.open = m_rig != nullptr;
    if (m_rig) {
        const auto &d = m_rig->description();
        st.summary = m_rig->summary();
        st.backend = d.backend;
        st.sensorMode = QStringLiteral("%1 %2×%3").arg(d.sensor).arg(d.modeWidth).arg(d.modeHeight);
        st.trigger = core::acquisition::triggerModeName(d.trigger);
        st.strobe = m_rig->strobe().stats();
        st.cameraDropped = m_rig->camera().droppedFrames();
        st.ledsOff = m_rig->strobe().allLedsOff();
        if (auto *wheel = m_rig->filterChanger()) {
            st.hasFilterWheel = true;
            st.filterInPlace = wheel->current().value_or(QString());
        }
        if (auto *focus = m_rig->focusDrive())
            st.focusSteps = focus->position();
        if (m_heater) {
            if (const auto sample = m_heater->latest()) {
                st.temperatureKelvin = sample->kelvin;
                st.heaterDutyPerMille = sample->dutyPerMille;
            }
            st.setPointKelvin = m_heater->setPoint();
            st.heaterFault = m_heater->fault();
        } else if (auto *thermometer = m_rig->thermometer(); thermometer && !m_workerRunning) {
            // No regulator: a reading every few seconds (a DS18B20 conversion takes most of a second).
            if (now - m_lastReading > 3s) {
                m_lastReading = now;
                const auto r = thermometer->read();
                m_lastReadingKelvin = r.ok() ? std::optional<double>(r->kelvin) : std::nullopt;
            }
            st.temperatureKelvin = m_lastReadingKelvin;
        }
    }
    if (m_frameTimes.size() >= 2 && (m_workerLive || m_workerRunning)) {
        const double span = std::chrono::duration<double>(m_frameTimes.back() - m_frameTimes.front()).count();
        if (span > 0)
            st.framesPerSecond = double(m_frameTimes.size() - 1) / span;
    }
    st.previewFrames = m_mailbox.posted();
    st.previewDropped = m_mailbox.dropped();
    st.litLeds = m_litLeds;
    st.live = m_workerLive;
    st.running = m_workerRunning;
    toGui([this, st] { Q_EMIT statusChanged(st); });
}

void RigController::moveFilter(const QString &filter)
{
    post([this, filter] {
        auto *wheel = m_rig ? m_rig->filterChanger() : nullptr;
        if (!wheel) {
            toGui([this] { Q_EMIT errorOccurred(tr("Filter"), tr("This rig has no filter wheel.")); });
            return;
        }
        m_filterWanted = filter;
        core::Status st = wheel->moveTo(filter);
        auto *focus = m_rig->focusDrive();
        const auto &d = m_rig->description();
        if (st.ok() && focus && d.focus)
            st = focus->moveTo(d.focus->targetFor(filter) + m_focusOffsetSteps);
        emitStatus(true);
        if (st.ok())
            st = wheel->waitSettled(10s);
        if (st.ok() && focus)
            st = focus->waitSettled(30s);
        if (!st.ok()) {
            const QString why = st.error().toString();
            toGui([this, why] { Q_EMIT errorOccurred(tr("Filter"), why); });
        }
        emitStatus(true);
    });
}

void RigController::nudgeFocus(int steps)
{
    post([this, steps] {
        auto *focus = m_rig ? m_rig->focusDrive() : nullptr;
        const auto &d = m_rig ? m_rig->description() : m_description;
        if (!focus || !d.focus) {
            toGui([this] { Q_EMIT errorOccurred(tr("Focus"), tr("This rig has no focus drive.")); });
            return;
        }
        m_focusOffsetSteps += steps;
        core::Status st = focus->moveTo(d.focus->targetFor(m_filterWanted) + m_focusOffsetSteps);
        if (st.ok())
            st = focus->waitSettled(30s);
        if (!st.ok()) {
            m_focusOffsetSteps -= steps;
            const QString why = st.error().toString();
            toGui([this, why] { Q_EMIT errorOccurred(tr("Focus"), why); });
        }
        emitStatus(true);
    });
}

void RigController::setSetPoint(std::optional<double> kelvin)
{
    post([this, kelvin] {
        const bool has = m_rig && m_rig->thermometer() && m_rig->heater() && m_rig->description().heater;
        if (!has) {
            toGui([this] { Q_EMIT errorOccurred(tr("Heater"), tr("This rig has no heater.")); });
            return;
        }
        if (!m_heater) {
            m_heater = std::make_unique<core::instrument::HeaterRegulator>(
                *m_rig->thermometer(), *m_rig->heater(), *m_rig->description().heater);
            if (auto st = m_heater->start(); !st.ok()) {
                m_heater.reset();
                const QString why = st.error().toString();
                toGui([this, why] { Q_EMIT errorOccurred(tr("Heater"), why); });
                return;
            }
        }
        if (auto st = m_heater->setSetPoint(kelvin); !st.ok()) {
            const QString why = st.error().toString();
            toGui([this, why] { Q_EMIT errorOccurred(tr("Heater"), why); });
        }
        emitStatus(true);
    });
}

void RigController::closeRig()
{
    m_heater.reset();  // heater off before the devices go
    if (m_manual) {
        QJsonObject summary {{QStringLiteral("status"), QStringLiteral("completed")},
            {QStringLiteral("kind"), QStringLiteral("manual")},
            {QStringLiteral("finished_utc"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
        if (m_rig)
            summary.insert(QStringLiteral("rig"), m_rig->description().toJson());
        (void)m_manual->finish(summary);
        m_manual.reset();
    }
    m_live.reset();  // stops camera and strobe: every LED off
    m_rig.reset();
    m_frameTimes.clear();
}

}  // namespace scopesync::ui
