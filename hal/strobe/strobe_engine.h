// The strobe engine: the background thread that fires LED edges at trigger timestamp + delay.
#pragma once

#include "core/acquisition/dose_check.h"
#include "core/acquisition/ports.h"
#include "core/acquisition/rig_description.h"
#include "hal/strobe/line_interfaces.h"
#include "hal/strobe/predicted_frame_starts.h"
#include "hal/strobe/pulse_classifier.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace scopesync::hal::strobe {

struct StrobeEngineConfig {
    core::acquisition::TriggerMode mode = core::acquisition::TriggerMode::XvsSink;
    int pulsesPerFrame = 1;
    std::chrono::nanoseconds framePeriod {250'000'000};  // expected (sink) or generated (source, external)
    std::chrono::nanoseconds startToStop {0};  // two pulses per frame: start → stop interval
    std::chrono::nanoseconds triggerPulseWidth {10'000};  // source/external: active-low pulse width
    std::vector<std::chrono::milliseconds> flashMaxOn;  // per LED line: safety limit for a flash
    std::vector<std::chrono::milliseconds> illuminationMaxOn;  // per LED line: for illumination steps
    std::chrono::nanoseconds busyTail {150'000};
    // The thread stops sleeping before an edge by busyTail plus what its own timed sleeps overslept
    // lately (the worst of the last WakeLatency::kSamples), at most this much, and spins the rest. A Pi
    // wakes a SCHED_FIFO thread in tens of µs, so it spins little; a VM whose halted vCPUs wake
    // 0.5–5 ms late (cyclictest p99 ≈ 1–2 ms) spins up to this long before each edge instead of
    // driving it late; never more than a tenth of the frame period. 0: busyTail only.
    std::chrono::nanoseconds maxWakeMargin {4'000'000};
    // A flash whose on edge was driven late keeps its length: its off edge moves later by the lateness, by
    // at most this much (the dose check's edge tolerance, so a flash it accepts is never shortened) and
    // never past the LED's next edge. Later still, the off edge stays this far past its plan, the flash is
    // shorter than planned and the dose check flags the image. 0: off edges keep their planned times.
    std::chrono::nanoseconds lateOnSlack {core::acquisition::DoseTolerance {}.edgeShift};
    // Pulse classification window, as a fraction of the frame period (see PulseClassifier::Config).
    // Only a test bench with a meaningless clock (an emulated VM) has reason to widen it.
    double classifierTolerance = 0.005;
    // Source/external modes: fire a trigger only when fireTriggerAt() asks (fleet captures at an
    // absolute time T) instead of a periodic stream; the camera then exposes only on request.
    bool triggerOnRequest = false;
    // With triggerOnRequest: how long before a requested trigger the thread stops sleeping and spins.
    // A fleet trigger is one edge every second or more, and its error is what the fleet reports; on a
    // machine whose idle CPUs are slow to wake (a VM's halted vCPU: 1–3 ms at p99) the 150 µs tail of
    // the LED edges is not enough. The spin keeps the CPU awake for the last stretch instead.
    std::chrono::nanoseconds requestedTriggerSpin {2'000'000};
    bool requestRealtime = true;
    int realtimePriority = 80;
};

// The engine's configuration for a rig, whatever its backend: trigger mode, the camera's frame period,
// the start→stop interval (the exposure), the generated pulse width (GS external trigger: exposure −
// 14.26 µs, else a short XVS pulse) and the per-LED safety limits, in the rig's LED order.
core::Result<StrobeEngineConfig> engineConfigFor(const core::acquisition::RigDescription &rig,
    const core::timing::SensorInfo &sensor, std::chrono::microseconds shutter,
    std::chrono::nanoseconds framePeriod, int pulsesPerFrame, bool requestRealtime);

// A rig's strobe engine with what feeds it: the camera's XVS edges (`xvs`, xvs-sink), frame starts
// predicted from the camera's timestamps (free-run: `predicted` is made here and must outlive the
// engine), or nothing when the engine drives `triggerOut` itself (xvs-source, external).
// How late the strobe thread's timed sleeps return: the worst of the last kSamples oversleeps, the
// margin the thread wakes early by (StrobeEngineConfig::maxWakeMargin). Engine thread only.
class WakeLatency {
public:
    static constexpr std::size_t kSamples = 64;
    // A timed sleep meant to end at `deadline` returned at `woke`; one that returned early (an edge, a
    // request) says nothing about the oversleep and is not counted.
    void record(MonoTime deadline, MonoTime woke);
    [[nodiscard]] std::chrono::nanoseconds worst() const { return m_worst; }

private:
    std::array<std::chrono::nanoseconds, kSamples> m_samples {};
    std::size_t m_next = 0;
    std::chrono::nanoseconds m_worst {0};
};

class StrobeEngine;
struct RigEngine {
    std::unique_ptr<PredictedFrameStarts> predicted;
    std::unique_ptr<StrobeEngine> engine;
};
core::Result<RigEngine> createRigEngine(const core::acquisition::RigDescription &rig,
    const core::timing::SensorInfo &sensor, std::chrono::microseconds shutter,
    std::chrono::nanoseconds framePeriod, int pulsesPerFrame, bool requestRealtime,
    core::acquisition::Camera &camera, OutputLines &leds, TriggerInput *xvs, OutputLines *triggerOut);

// One thread owns every output edge. In XVS-sink mode it waits for trigger edges and uses each edge's
// kernel timestamp as the origin; in XVS-source and external modes it drives the trigger itself and
// uses the measured time of that write. LED edges are placed with clock_nanosleep(TIMER_ABSTIME) and a
// busy-wait tail. The same code drives simulated and real lines.
class StrobeEngine final : public core::acquisition::StrobeController {
public:
    // `trigger` is read in XVS-sink mode, `triggerOut` (its line 0) driven in source/external modes.
    // Both are borrowed and must outlive the engine.
    StrobeEngine(
        StrobeEngineConfig config, OutputLines &leds, TriggerInput *trigger, OutputLines *triggerOut);
    ~StrobeEngine() override;

    StrobeEngine(const StrobeEngine &) = delete;
    StrobeEngine &operator=(const StrobeEngine &) = delete;

    core::Status start() override;
    void stop() override;
    void arm(core::acquisition::FrameJob job) override;
    bool disarm(quint64 jobId) override;
    std::optional<core::acquisition::StrobeEvent> waitEvent(
        quint64 jobId, std::chrono::milliseconds timeout) override;
    core::Status illuminate(const std::vector<core::acquisition::LedPulse> &leds) override;
    [[nodiscard]] core::acquisition::StrobeStats stats() const override;
    [[nodiscard]] QString fault() const override;
    [[nodiscard]] bool allLedsOff() const override;

    // Every edge driven since start (for the timing view and benchmarks); drains the record.
    std::vector<core::acquisition::DrivenEdge> takeEdgeLog() override;

    // Drives every LED line off from any thread; used by signal paths as a last resort.
    void forceAllOff();

    // Source/external modes: the trigger at `when` is placed with an absolute sleep and a busy tail
    // (requestedTriggerSpin with triggerOnRequest, else the LED edges' busyTail). With triggerOnRequest
    // it is a single trigger; otherwise the periodic stream is re-phased to start at `when`.
    void fireTriggerAt(MonoTime when) override;
    void setTriggerOnRequest(bool onRequest, std::chrono::nanoseconds spin) override
    {
        m_config.triggerOnRequest = onRequest;
        m_config.requestedTriggerSpin = spin;
    }
    // A request wakes the loop at once; kMaxIdle stays in the lead as margin for a thread woken late on a
    // busy machine, plus the time to arm a frame.
    [[nodiscard]] std::chrono::nanoseconds requestLead() const override { return kMaxIdle + kArmTime; }
    // The priority the thread got (0 when SCHED_FIFO was refused or not asked for).
    [[nodiscard]] int realtimePriority() const override
    {
        return stats().realtime ? m_config.realtimePriority : 0;
    }

    // The margin a request is given for a strobe thread woken late (requestLead).
    static constexpr std::chrono::nanoseconds kMaxIdle {5'000'000};
    // With nothing lit and nothing scheduled, the loop sleeps on its trigger source (or, driving the
    // trigger itself, on a condition variable) until an edge, a request, an illumination or stop() wakes
    // it, and at least this often.
    static constexpr std::chrono::nanoseconds kIdleBackstop {1'000'000'000};
    // Taking a request and arming a frame, with margin.
    static constexpr std::chrono::nanoseconds kArmTime {5'000'000};

private:
    struct Scheduled {
        MonoTime when {};
        int line = 0;  // LED index, or kTriggerLine
        bool active = false;
        quint64 jobId = 0;  // 0: not part of a frame job
        // On edges of a job whose LED was still lit by the previous job when the job began (jobs armed
        // back to back, the previous flash running past this frame's start): the LED's intensity, set
        // just before this edge so it does not change under the previous flash. -1: already set.
        int intensityPerMille = -1;
    };
    static constexpr int kTriggerLine = -1;
    // After a job's on edge measured late: its off edge moves later to keep the flash's length
    // (StrobeEngineConfig::lateOnSlack).
    void keepFlashLength(const Scheduled &on, MonoTime measured);
    // Moves a scheduled edge to `when`, keeping the schedule in time order.
    void reschedule(std::vector<Scheduled>::iterator edge, MonoTime when);

    void run();
    void loop();
    // Makes the loop's idle sleep return at once (requests, illumination, stop).
    void wakeLoop();
    // The loop's idle sleep when it has no trigger input to wait on; true when woken before `d` ended.
    bool sleepUnlessWoken(std::chrono::nanoseconds d);
    // Hands the next armed job to this frame; returns its id (0 when none was armed). `drivenTrigger`:
    // the trigger edge the engine drove to start the frame (XVS source, external trigger), which the
    // job's event records along with the release edge still to come.
    quint64 onFrameStart(MonoTime origin, const core::acquisition::DrivenEdge *drivenTrigger = nullptr);
    void schedule(const Scheduled &s);
    void drive(const Scheduled &s);
    void enforceSafetyLimits(MonoTime now);
    void applyPendingIllumination(MonoTime now);
    int ledIndex(const QString &name) const;
    void setFault(const QString &message);

    StrobeEngineConfig m_config;
    OutputLines &m_leds;
    TriggerInput *m_trigger;
    OutputLines *m_triggerOut;
    std::thread m_thread;
    std::atomic<bool> m_stop {false};
    std::mutex m_wakeMutex;  // guards m_wakeRequested
    std::condition_variable m_wakeCv;
    bool m_wakeRequested = false;
    std::atomic<bool> m_running {false};

    // Thread-local state of the engine thread (touched by nothing else while it runs).
    std::vector<Scheduled> m_schedule;  // sorted by `when`
    std::vector<MonoTime> m_onSince;  // per LED: when it went on, 0 when off
    std::vector<std::chrono::milliseconds> m_limit;  // per LED: the limit of the current on period
    std::optional<PulseClassifier> m_classifier;
    MonoTime m_nextGeneratedTrigger {};
    struct ActiveJob {
        core::acquisition::StrobeEvent event;
        int remainingEdges = 0;
    };
    std::vector<ActiveJob> m_active;  // jobs whose edges are still to come
    std::vector<bool> m_illuminated;  // per LED: on because of an illumination step
    WakeLatency m_wakeLatency;
    // How far before an edge the loop stops sleeping: `base` plus the learnt oversleep, capped.
    [[nodiscard]] std::chrono::nanoseconds wakeMargin(std::chrono::nanoseconds base) const;
    // A timed sleep of the loop meant to end at `deadline` has returned: learn its oversleep.
    void noteWake(MonoTime deadline);
    void finishJob(std::size_t index);
    void handleTriggerEdge(MonoTime timestamp);

    // Guards m_armed, m_events, m_illumination, m_illuminationChanged, m_stats, m_fault, m_edgeLog,
    // m_triggerRequests.
    // Held only for queue pushes and pops, never across a sleep or a line write.
    mutable std::mutex m_mutex;
    std::condition_variable m_eventReady;
    bool m_threadReady = false;  // guarded by m_mutex: the thread has finished its real-time set-up
    std::deque<core::acquisition::FrameJob> m_armed;
    std::deque<core::acquisition::StrobeEvent> m_events;
    std::vector<core::acquisition::LedPulse> m_illumination;
    bool m_illuminationChanged = false;
    core::acquisition::StrobeStats m_stats;
    QString m_fault;
    std::vector<core::acquisition::DrivenEdge> m_edgeLog;  // bounded by logEdge()
    void logEdge(const core::acquisition::DrivenEdge &edge);  // m_mutex held
    std::deque<MonoTime> m_triggerRequests;  // fireTriggerAt() times not yet taken by the loop
    void takeTriggerRequests();  // engine thread
};

}  // namespace scopesync::hal::strobe
