// The strobe engine: the background thread that fires LED edges at trigger timestamp + delay.
#include "hal/strobe/strobe_engine.h"

#include "hal/strobe/precise_clock.h"
#include "hal/strobe/realtime.h"

#include <algorithm>
#include <ctime>

namespace scopesync::hal::strobe {

using core::acquisition::DrivenEdge;
using core::acquisition::FrameJob;
using core::acquisition::LedPulse;
using core::acquisition::StrobeEvent;
using core::acquisition::TriggerMode;
using namespace std::chrono_literals;

namespace {
// Edges driven later than this after their deadline are counted as late.
constexpr std::chrono::nanoseconds kLateThreshold = 1ms;
// Source modes schedule the next generated trigger this far ahead.
constexpr std::chrono::nanoseconds kTriggerLookahead = 20ms;

}  // namespace

core::Result<StrobeEngineConfig> engineConfigFor(const core::acquisition::RigDescription &rig,
    const core::timing::SensorInfo &sensor, std::chrono::microseconds shutter,
    std::chrono::nanoseconds framePeriod, int pulsesPerFrame, bool requestRealtime)
{
    StrobeEngineConfig ec;
    ec.mode = rig.trigger;
    ec.pulsesPerFrame = pulsesPerFrame;
    ec.framePeriod = framePeriod;
    ec.startToStop = std::chrono::duration_cast<std::chrono::nanoseconds>(shutter);
    if (rig.trigger == TriggerMode::External) {
        // The GS camera exposes for the low pulse width + 14.26 µs.
        ec.triggerPulseWidth = std::chrono::duration_cast<std::chrono::nanoseconds>(shutter
            - std::chrono::duration_cast<std::chrono::microseconds>(sensor.externalTriggerExposureOffset));
        if (ec.triggerPulseWidth <= 0ns)
            return core::Error {
                QStringLiteral("the shutter is shorter than the external trigger's 14.26 µs offset"),
                QStringLiteral("shutter")};
    } else {
        ec.triggerPulseWidth = 10us;
    }
    for (const QString &name : rig.ledNames()) {
        ec.flashMaxOn.push_back(rig.maxOnFor(name));
        ec.illuminationMaxOn.push_back(std::max(rig.maxOnFor(name), rig.illuminationMaxOn));
    }
    ec.requestRealtime = requestRealtime;
    // A Qt Multimedia camera's frame times come through a media pipeline, with jitter of milliseconds
    // rather than microseconds, and the edges are predictions, so no wire glitch can be among them: the
    // window must hold that jitter.
    if (rig.camera.isQt())
        ec.classifierTolerance = 0.2;
    return ec;
}

core::Result<RigEngine> createRigEngine(const core::acquisition::RigDescription &rig,
    const core::timing::SensorInfo &sensor, std::chrono::microseconds shutter,
    std::chrono::nanoseconds framePeriod, int pulsesPerFrame, bool requestRealtime,
    core::acquisition::Camera &camera, OutputLines &leds, TriggerInput *xvs, OutputLines *triggerOut)
{
    // The configuration first: nothing is attached to the camera when it is refused.
    auto ec = engineConfigFor(rig, sensor, shutter, framePeriod, pulsesPerFrame, requestRealtime);
    if (!ec.ok())
        return ec.error();
    RigEngine out;
    if (rig.trigger == TriggerMode::FreeRun) {
        // A Qt camera's rate is the one its format names, which the camera's own clock may miss by a few
        // percent (vivid at "60 fps" runs 62): its period is learnt from a wider band.
        out.predicted = std::make_unique<PredictedFrameStarts>(
            framePeriod, std::chrono::milliseconds(2), rig.camera.isQt() ? 0.1 : 0.02);
        PredictedFrameStarts *p = out.predicted.get();
        if (!camera.setFrameStartObserver([p](MonoTime t) { p->observe(t); }))
            return core::Error {
                QStringLiteral("this camera cannot report frame starts, which free-run needs; "
                               "wire XVS and use \"trigger\": \"xvs-sink\""),
                QStringLiteral("trigger")};
    }
    out.engine
        = std::make_unique<StrobeEngine>(ec.value(), leds, xvs ? xvs : out.predicted.get(), triggerOut);
    return out;
}

StrobeEngine::StrobeEngine(
    StrobeEngineConfig config, OutputLines &leds, TriggerInput *trigger, OutputLines *triggerOut)
    : m_config(std::move(config)), m_leds(leds), m_trigger(trigger), m_triggerOut(triggerOut)
{
    const auto n = static_cast<std::size_t>(m_leds.count());
    m_config.flashMaxOn.resize(n, 1000ms);
    m_config.illuminationMaxOn.resize(n, 1000ms);
    m_onSince.assign(n, MonoTime {});
    m_limit.assign(n, 0ms);
    m_illuminated.assign(n, false);
}

StrobeEngine::~StrobeEngine()
{
    stop();
}

core::Status StrobeEngine::start()
{
    if (m_running)
        return core::Ok {};
    // Free-run listens like XVS sink, to frame starts predicted from the camera's timestamps.
    const bool sink = m_config.mode == TriggerMode::XvsSink || m_config.mode == TriggerMode::FreeRun;
    if (sink && !m_trigger)
        return core::Error {
            QStringLiteral("XVS-sink and free-run modes need a trigger input"), QStringLiteral("strobe")};
    if ((m_config.mode == TriggerMode::XvsSource || m_config.mode == TriggerMode::External) && !m_triggerOut)
        return core::Error {
            QStringLiteral("this trigger mode needs a trigger output line"), QStringLiteral("strobe")};
    if (m_config.framePeriod <= 0ns)
        return core::Error {QStringLiteral("the frame period must be positive"), QStringLiteral("strobe")};
    // A thread that ended on a fault is still joinable; a restart begins with a clean slate (jobs
    // armed before start() are kept: they are for the first frames).
    if (m_thread.joinable())
        m_thread.join();
    {
        const std::lock_guard lock(m_mutex);
        m_fault.clear();
        m_stats = {};
        m_events.clear();
        m_illumination.clear();
        m_illuminationChanged = false;
    }
    m_schedule.clear();
    m_active.clear();
    std::fill(m_onSince.begin(), m_onSince.end(), MonoTime {});
    std::fill(m_illuminated.begin(), m_illuminated.end(), false);
    forceAllOff();
    m_classifier.emplace(PulseClassifier::Config {.pulsesPerFrame = m_config.pulsesPerFrame,
        .framePeriod = m_config.framePeriod,
        .startToStop = m_config.startToStop,
        .tolerance = m_config.classifierTolerance});
    m_stop = false;
    m_running = true;
    {
        const std::lock_guard lock(m_mutex);
        m_threadReady = false;
    }
    m_thread = std::thread([this] { run(); });
    // Back once the thread is real-time and its memory locked: mlockall() pages in the whole process
    // (hundreds of MB with Qt Multimedia and OpenCV mapped), and a capture armed meanwhile would wait for
    // its trigger for as long. The stats' realtime note is then final too.
    std::unique_lock lock(m_mutex);
    m_eventReady.wait(lock, [this] { return m_threadReady; });
    return core::Ok {};
}

void StrobeEngine::stop()
{
    m_stop = true;
    wakeLoop();
    if (m_thread.joinable())
        m_thread.join();
    m_running = false;
    forceAllOff();
    m_eventReady.notify_all();
}

void StrobeEngine::forceAllOff()
{
    for (int i = 0; i < m_leds.count(); ++i)
        (void)m_leds.set(i, false);
    if (m_triggerOut)
        (void)m_triggerOut->set(0, false);
}

bool StrobeEngine::allLedsOff() const
{
    for (int i = 0; i < m_leds.count(); ++i)
        if (m_leds.isActive(i))
            return false;
    return true;
}

void StrobeEngine::arm(FrameJob job)
{
    const std::lock_guard lock(m_mutex);
    m_armed.push_back(std::move(job));
}

bool StrobeEngine::disarm(quint64 jobId)
{
    const std::lock_guard lock(m_mutex);
    return std::erase_if(m_armed, [&](const FrameJob &j) { return j.id == jobId; }) > 0;
}

std::optional<StrobeEvent> StrobeEngine::waitEvent(quint64 jobId, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    std::optional<StrobeEvent> found;
    m_eventReady.wait_for(lock, timeout, [&] {
        for (auto it = m_events.begin(); it != m_events.end(); ++it) {
            if (it->jobId == jobId) {
                found = std::move(*it);
                m_events.erase(it);
                return true;
            }
        }
        return !m_running || !m_fault.isEmpty();
    });
    return found;
}

core::Status StrobeEngine::illuminate(const std::vector<LedPulse> &leds)
{
    for (const auto &p : leds)
        if (ledIndex(p.led) < 0)
            return core::Error {
                QStringLiteral("the rig has no LED '%1'").arg(p.led), QStringLiteral("illuminate")};
    {
        const std::lock_guard lock(m_mutex);
        m_illumination = leds;
        m_illuminationChanged = true;
    }
    wakeLoop();
    return core::Ok {};
}

core::acquisition::StrobeStats StrobeEngine::stats() const
{
    const std::lock_guard lock(m_mutex);
    return m_stats;
}

QString StrobeEngine::fault() const
{
    const std::lock_guard lock(m_mutex);
    return m_fault;
}

void StrobeEngine::logEdge(const DrivenEdge &edge)
{
    // Nobody may read the record for a long run: keep the newest edges only.
    constexpr std::size_t kMaxLoggedEdges = 8192;
    if (m_edgeLog.size() >= kMaxLoggedEdges)
        m_edgeLog.erase(m_edgeLog.begin(), m_edgeLog.begin() + kMaxLoggedEdges / 2);
    m_edgeLog.push_back(edge);
}

std::vector<DrivenEdge> StrobeEngine::takeEdgeLog()
{
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_edgeLog, {});
}

int StrobeEngine::ledIndex(const QString &name) const
{
    for (int i = 0; i < m_leds.count(); ++i)
        if (m_leds.name(i) == name)
            return i;
    return -1;
}

void StrobeEngine::setFault(const QString &message)
{
    {
        const std::lock_guard lock(m_mutex);
        if (m_fault.isEmpty())
            m_fault = message;
    }
    m_eventReady.notify_all();
}

void StrobeEngine::run()
{
    {
        const RealtimeStatus rt
            = m_config.requestRealtime ? enterRealtime(m_config.realtimePriority) : RealtimeStatus {};
        const std::lock_guard lock(m_mutex);
        if (m_config.requestRealtime) {
            m_stats.realtime = rt.fifo;
            m_stats.memoryLocked = rt.memoryLocked;
            m_stats.realtimeNote = rt.note;
        }
        m_threadReady = true;
    }
    m_eventReady.notify_all();
    // No exception may cross the thread boundary, and no exit path may leave a LED on.
    try {
        loop();
    } catch (const std::exception &e) {
        setFault(QStringLiteral("strobe thread stopped: %1").arg(QString::fromLocal8Bit(e.what())));
    } catch (...) {
        setFault(QStringLiteral("strobe thread stopped on an unknown exception"));
    }
    forceAllOff();
    m_running = false;
    m_eventReady.notify_all();
}

void StrobeEngine::loop()
{
    const bool sink = m_config.mode == TriggerMode::XvsSink || m_config.mode == TriggerMode::FreeRun;
    const bool generating = !sink && !m_config.triggerOnRequest;
    m_nextGeneratedTrigger = monotonicNow() + kTriggerLookahead;

    while (!m_stop) {
        MonoTime now = monotonicNow();
        applyPendingIllumination(now);
        enforceSafetyLimits(now);
        if (!sink)
            takeTriggerRequests();

        if (generating && m_nextGeneratedTrigger <= now + kTriggerLookahead) {
            schedule({m_nextGeneratedTrigger, kTriggerLine, true, 0});
            m_nextGeneratedTrigger += m_config.framePeriod;
        }

        // Sleep as long as nothing needs the thread: until a lit LED's safety limit is due, until the next
        // generated trigger is due for scheduling, else until woken (at least every kIdleBackstop).
        auto cap = kIdleBackstop;
        for (std::size_t i = 0; i < m_onSince.size(); ++i)
            if (m_onSince[i] != MonoTime {})
                cap = std::min<std::chrono::nanoseconds>(cap, m_onSince[i] + m_limit[i] + 1ms - now);
        if (generating)
            cap = std::min<std::chrono::nanoseconds>(cap, m_nextGeneratedTrigger - kTriggerLookahead - now);
        cap = std::max<std::chrono::nanoseconds>(cap, 0ns);
        const MonoTime next = m_schedule.empty() ? now + cap : m_schedule.front().when;
        const bool requested = m_config.triggerOnRequest && !m_schedule.empty()
            && m_schedule.front().line == kTriggerLine && m_schedule.front().active;
        const auto tail = std::max(wakeMargin(m_config.busyTail),
            requested ? m_config.requestedTriggerSpin : std::chrono::nanoseconds {0});
        const auto idle = next - now - tail;
        if (idle > 0ns) {
            // Nothing due within the busy tail: block on the trigger line (sink) or sleep.
            const auto wait = std::min<std::chrono::nanoseconds>(idle, cap);
            bool early = false;  // returned before `wait` ended: an edge or a request, not the timer
            if (sink) {
                auto edge = m_trigger->waitEdge(wait);
                if (!edge.ok()) {
                    setFault(QStringLiteral("trigger input failed: %1").arg(edge.error().toString()));
                    return;
                }
                early = edge.value().has_value();
                if (early)
                    handleTriggerEdge(*edge.value());
            } else {
                early = sleepUnlessWoken(wait);
            }
            if (!early)
                noteWake(now + wait);
            continue;
        }
        if (m_schedule.empty())
            continue;
        const Scheduled s = m_schedule.front();
        m_schedule.erase(m_schedule.begin());
        sleepUntil(s.when, tail);
        drive(s);
    }
}

void StrobeEngine::fireTriggerAt(MonoTime when)
{
    if (m_config.mode == TriggerMode::XvsSink || m_config.mode == TriggerMode::FreeRun)
        return;
    {
        const std::lock_guard lock(m_mutex);
        m_triggerRequests.push_back(when);
    }
    wakeLoop();
}

void StrobeEngine::wakeLoop()
{
    {
        const std::lock_guard lock(m_wakeMutex);
        m_wakeRequested = true;
    }
    m_wakeCv.notify_all();
    if (m_trigger)
        m_trigger->wake();
}

bool StrobeEngine::sleepUnlessWoken(std::chrono::nanoseconds d)
{
    std::unique_lock lock(m_wakeMutex);
    const bool woken = m_wakeCv.wait_for(lock, d, [this] { return m_wakeRequested; });
    m_wakeRequested = false;
    return woken;
}

void WakeLatency::record(MonoTime deadline, MonoTime woke)
{
    if (woke < deadline)
        return;
    m_samples[m_next] = woke - deadline;
    m_next = (m_next + 1) % kSamples;
    m_worst = *std::max_element(m_samples.begin(), m_samples.end());
}

void StrobeEngine::noteWake(MonoTime deadline)
{
    m_wakeLatency.record(deadline, monotonicNow());
    const std::lock_guard lock(m_mutex);
    m_stats.worstOversleep = std::max(m_stats.worstOversleep, m_wakeLatency.worst());
}

std::chrono::nanoseconds StrobeEngine::wakeMargin(std::chrono::nanoseconds base) const
{
    // A tenth of the frame period at most: with three edges a frame, the spin stays under a third of a core.
    const auto cap = std::min(m_config.maxWakeMargin, m_config.framePeriod / 10);
    return base + std::min(m_wakeLatency.worst(), cap);
}

void StrobeEngine::takeTriggerRequests()
{
    std::deque<MonoTime> requests;
    {
        const std::lock_guard lock(m_mutex);
        requests.swap(m_triggerRequests);
    }
    for (const MonoTime when : requests) {
        if (!m_config.triggerOnRequest) {
            // Re-phase the periodic stream: drop generated triggers not yet begun (keeping the off edge
            // of a pulse in progress, so the line is never left active) and restart it at `when`.
            bool keepOff = m_triggerOut->isActive(0);
            std::erase_if(m_schedule, [&](const Scheduled &s) {
                if (s.line != kTriggerLine)
                    return false;
                if (keepOff && !s.active) {
                    keepOff = false;
                    return false;
                }
                return true;
            });
            m_nextGeneratedTrigger = when;
            continue;
        }
        schedule({when, kTriggerLine, true, 0});
    }
}

void StrobeEngine::handleTriggerEdge(MonoTime timestamp)
{
    const auto r = m_classifier->classify(timestamp.time_since_epoch());  // it works on intervals
    {
        const std::lock_guard lock(m_mutex);
        m_stats.missed += r.missedBefore;
        if (r.kind == PulseClassifier::Kind::Glitch)
            ++m_stats.rejected;
        else if (r.kind == PulseClassifier::Kind::ExposureStop)
            ++m_stats.stopPulses;
    }
    if (r.kind == PulseClassifier::Kind::FrameStart) {
        {
            const std::lock_guard lock(m_mutex);
            logEdge({QStringLiteral("trigger"), true, timestamp, timestamp, timestamp});
        }
        onFrameStart(timestamp);
    }
}

quint64 StrobeEngine::onFrameStart(MonoTime origin, const DrivenEdge *drivenTrigger)
{
    std::optional<FrameJob> job;
    qint64 sequence = 0;
    {
        const std::lock_guard lock(m_mutex);
        sequence = ++m_stats.triggers;
        if (!m_armed.empty() && m_armed.front().notBefore <= origin) {
            job = std::move(m_armed.front());
            m_armed.pop_front();
        }
    }
    if (!job)
        return 0;

    ActiveJob active;
    active.event.jobId = job->id;
    active.event.triggerSequence = sequence;
    active.event.triggerTime = origin;
    if (drivenTrigger) {
        active.event.triggerEdges.push_back(*drivenTrigger);
        active.remainingEdges += 1;  // the release, which ends a GS external-trigger exposure
    }
    for (const LedPulse &p : job->pulses) {
        const int idx = ledIndex(p.led);
        if (idx < 0) {
            setFault(
                QStringLiteral("job %1 names LED '%2', which the rig does not have").arg(job->id).arg(p.led));
            continue;
        }
        const auto limit = m_config.flashMaxOn[std::size_t(idx)];
        auto duration = std::chrono::duration_cast<std::chrono::nanoseconds>(p.duration);
        if (duration > limit) {
            duration = limit;
            active.event.clipped = true;
        }
        if (duration <= 0ns)
            continue;
        const MonoTime on = origin + std::chrono::duration_cast<std::chrono::nanoseconds>(p.delay);
        // An earlier job's off edge on this LED that keepFlashLength moved past this on edge gives way to
        // it: that flash is cut short (and its image flagged), never this one.
        const auto overrun = std::find_if(m_schedule.begin(), m_schedule.end(),
            [&](const Scheduled &e) { return e.line == idx && !e.active && e.jobId && e.when >= on; });
        if (overrun != m_schedule.end())
            reschedule(overrun, on - 1ns);
        // Set now, unless the LED is lit or about to be by an earlier job whose flash runs on past this
        // frame start: then just before this job's on edge.
        const bool busy = m_onSince[std::size_t(idx)] != MonoTime {}
            || std::any_of(
                m_schedule.begin(), m_schedule.end(), [&](const Scheduled &s) { return s.line == idx; });
        if (!busy)
            m_leds.setIntensity(idx, p.intensityPerMille);
        schedule({on, idx, true, job->id, busy ? p.intensityPerMille : -1});
        schedule({on + duration, idx, false, job->id});
        active.remainingEdges += 2;
    }
    const quint64 id = job->id;
    m_active.push_back(std::move(active));
    if (m_active.back().remainingEdges == 0)
        finishJob(m_active.size() - 1);
    return id;
}

void StrobeEngine::schedule(const Scheduled &s)
{
    const auto pos = std::upper_bound(m_schedule.begin(), m_schedule.end(), s,
        [](const Scheduled &a, const Scheduled &b) { return a.when < b.when; });
    m_schedule.insert(pos, s);
}

void StrobeEngine::reschedule(std::vector<Scheduled>::iterator edge, MonoTime when)
{
    Scheduled moved = *edge;
    moved.when = when;
    m_schedule.erase(edge);
    schedule(moved);
}

void StrobeEngine::drive(const Scheduled &s)
{
    const bool trigger = s.line == kTriggerLine;
    if (!trigger && s.active && s.intensityPerMille >= 0)
        m_leds.setIntensity(s.line, s.intensityPerMille);
    const MonoTime issued = monotonicNow();
    const core::Status st = trigger ? m_triggerOut->set(0, s.active) : m_leds.set(s.line, s.active);
    const MonoTime measured = monotonicNow();
    if (!st.ok()) {
        setFault(QStringLiteral("writing %1 failed: %2")
                     .arg(trigger ? QStringLiteral("the trigger line") : m_leds.name(s.line),
                         st.error().toString()));
        m_stop = true;
        return;
    }
    const DrivenEdge edge {
        trigger ? QStringLiteral("trigger") : m_leds.name(s.line), s.active, s.when, measured, issued};
    if (!trigger) {
        const auto i = std::size_t(s.line);
        m_onSince[i] = s.active ? measured : MonoTime {};
        if (s.active)
            m_limit[i] = s.jobId ? m_config.flashMaxOn[i] : m_config.illuminationMaxOn[i];
        else if (!s.jobId)
            m_illuminated[i] = false;  // an illumination ended on its own schedule
    }
    {
        const std::lock_guard lock(m_mutex);
        if (measured - s.when > kLateThreshold)
            ++m_stats.lateEdges;
        logEdge(edge);
    }
    if (!trigger && s.active && s.jobId)
        keepFlashLength(s, measured);
    if (trigger && s.active) {
        // The release is timed from the edge as driven: on the GS external trigger the low width is the
        // exposure, so a late start must not shorten it.
        const quint64 job = onFrameStart(measured, &edge);
        schedule({measured + m_config.triggerPulseWidth, kTriggerLine, false, job});
        return;
    }
    if (s.jobId) {
        for (std::size_t j = 0; j < m_active.size(); ++j) {
            if (m_active[j].event.jobId != s.jobId)
                continue;
            (trigger ? m_active[j].event.triggerEdges : m_active[j].event.edges).push_back(edge);
            if (--m_active[j].remainingEdges == 0)
                finishJob(j);
            break;
        }
    }
}

void StrobeEngine::keepFlashLength(const Scheduled &on, MonoTime measured)
{
    const auto late = std::min(measured - on.when, m_config.lateOnSlack);
    if (late <= 0ns)
        return;
    const auto off = std::find_if(m_schedule.begin(), m_schedule.end(),
        [&](const Scheduled &e) { return e.line == on.line && e.jobId == on.jobId && !e.active; });
    if (off == m_schedule.end())
        return;
    MonoTime when = off->when + late;
    // The schedule is in time order: the first later edge of this LED (the next job's flash on it) is
    // the bound, so the off edge never lands inside that flash.
    const auto next = std::find_if(
        std::next(off), m_schedule.end(), [&](const Scheduled &e) { return e.line == on.line; });
    if (next != m_schedule.end())
        when = std::min(when, next->when - 1ns);
    if (when > off->when)
        reschedule(off, when);
}

void StrobeEngine::finishJob(std::size_t index)
{
    StrobeEvent ev = std::move(m_active[index].event);
    m_active.erase(m_active.begin() + static_cast<std::ptrdiff_t>(index));
    {
        const std::lock_guard lock(m_mutex);
        m_events.push_back(std::move(ev));
        // Nobody waits for very old events; keep the queue bounded.
        while (m_events.size() > 256)
            m_events.pop_front();
    }
    m_eventReady.notify_all();
}

void StrobeEngine::enforceSafetyLimits(MonoTime now)
{
    for (std::size_t i = 0; i < m_onSince.size(); ++i) {
        if (m_onSince[i] == MonoTime {} || now - m_onSince[i] <= m_limit[i] + 1ms)
            continue;
        // An off edge scheduled within the limit is late, not missing (this thread woke late, or a write
        // before it was slow): the schedule drives it right after this check, and its measured time
        // records the lateness. Only an LED with no such edge is a fault.
        const auto deadline = m_onSince[i] + m_limit[i] + 1ms;
        if (std::any_of(m_schedule.begin(), m_schedule.end(),
                [&](const Scheduled &s) { return s.line == int(i) && !s.active && s.when <= deadline; }))
            continue;
        // A backstop: scheduled off edges already respect the limit, so reaching this is a fault.
        (void)m_leds.set(int(i), false);
        m_onSince[i] = MonoTime {};
        m_illuminated[i] = false;
        std::erase_if(m_schedule, [&](const Scheduled &s) { return s.line == int(i) && !s.jobId; });
        setFault(QStringLiteral("LED '%1' was on longer than its %2 ms safety limit and was turned off")
                     .arg(m_leds.name(int(i)))
                     .arg(m_limit[i].count()));
    }
}

void StrobeEngine::applyPendingIllumination(MonoTime now)
{
    std::vector<LedPulse> wanted;
    {
        const std::lock_guard lock(m_mutex);
        if (!m_illuminationChanged)
            return;
        m_illuminationChanged = false;
        wanted = m_illumination;
    }
    std::vector<bool> keep(m_illuminated.size(), false);
    for (const LedPulse &p : wanted) {
        const int idx = ledIndex(p.led);
        if (idx < 0)
            continue;
        const auto i = std::size_t(idx);
        keep[i] = true;
        // Each request starts a fresh on period (and safety limit), even for an LED already lit.
        if (m_illuminated[i])
            std::erase_if(m_schedule, [&](const Scheduled &s) { return s.line == idx && !s.jobId; });
        auto duration = std::chrono::duration_cast<std::chrono::nanoseconds>(p.duration);
        duration = std::min<std::chrono::nanoseconds>(duration, m_config.illuminationMaxOn[i]);
        m_leds.setIntensity(idx, p.intensityPerMille);
        m_illuminated[i] = true;
        if (m_onSince[i] == MonoTime {})
            drive({now, idx, true, 0});
        else
            m_onSince[i] = now;
        schedule({now + duration, idx, false, 0});
    }
    for (std::size_t i = 0; i < m_illuminated.size(); ++i) {
        if (!m_illuminated[i] || keep[i])
            continue;
        m_illuminated[i] = false;
        std::erase_if(m_schedule, [&](const Scheduled &s) { return s.line == int(i) && !s.jobId; });
        drive({now, int(i), false, 0});
    }
}

}  // namespace scopesync::hal::strobe
