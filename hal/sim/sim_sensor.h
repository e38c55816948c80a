// The virtual sensor: a rolling/global-shutter camera that emits XVS, obeys triggers and renders frames.
#pragma once

#include "core/acquisition/ports.h"
#include "core/acquisition/rig_description.h"
#include "core/timing/sensor_catalog.h"
#include "hal/sim/sim_lines.h"
#include "hal/sim/slide_renderer.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

namespace scopesync::hal::sim {

struct SimSensorConfig {
    core::timing::ShutterType shutter = core::timing::ShutterType::Rolling;
    core::timing::SensorMode mode;
    std::chrono::microseconds exposure {250'000};
    std::chrono::nanoseconds framePeriod {250'000'000};  // free-running frame period (XVS-sink rigs)
    double analogueGain = 8.0;
    core::acquisition::TriggerMode trigger = core::acquisition::TriggerMode::XvsSink;
    core::acquisition::SimParameters sim;
    // GS external trigger: exposure = low pulse width + this (IMX296, Raspberry Pi documentation).
    std::chrono::nanoseconds externalExposureOffset {14'260};
    // Camera sync (rpi::SyncMode) once converged: every synchronised camera starts its frames at the
    // same wall-clock phase. Modelled as frame starts on whole multiples of the frame period since the
    // Unix epoch (CLOCK_REALTIME), so simulated rigs sharing a clock share their frame timing; how a
    // real fleet converges to it (the server's broadcasts, SyncFrames) is not modelled.
    bool alignToRealtimeGrid = false;
};

// Times follow the physics of DOMAIN.md §3: row r integrates [t0 + r·L, t0 + r·L + E]; the XVS edge
// the Pi sees is `xvs_offset_us` before t0. Each frame's image is rendered from the LED intervals
// the simulated GPIO recorded, so a wrong delay or a late strobe shows up as banding.
class SimSensor final : public core::acquisition::Camera {
public:
    // `xvs` receives the XVS edges in XVS-sink mode (may be null otherwise). Borrowed.
    SimSensor(SimSensorConfig config, SimLedBank &leds, SimXvsInput *xvs);
    ~SimSensor() override;

    core::Status start() override;
    void stop() override;
    std::optional<core::acquisition::CapturedFrame> waitFrame(std::chrono::milliseconds timeout) override;
    [[nodiscard]] qint64 droppedFrames() const override { return m_dropped; }
    bool setFrameStartObserver(std::function<void(MonoTime exposureStart)> observer) override
    {
        m_frameStartObserver = std::move(observer);
        return true;
    }

    // The Pi's trigger output (XVS source, external trigger) calls this at each edge.
    void onTrigger(bool active, MonoTime when);

    // The fraction of LED `led`'s light that reaches the sensor at `at` (the emission filter in place);
    // unset: all of it. Set before start().
    void setTransmission(std::function<double(int led, MonoTime at)> transmission)
    {
        m_transmission = std::move(transmission);
    }

    // The defocus blur (Gaussian σ in pixels) of a frame exposed from `at`; unset: in focus. Set before
    // start().
    void setDefocus(std::function<double(MonoTime at)> blurPx) { m_defocus = std::move(blurPx); }

    // Test seam: stop delivering frames (a stalled camera) while edges keep coming.
    void stallFrames(bool stalled) { m_stalled = stalled; }
    // Test seam: the next `count` frames whose exposure starts from now on are dropped and counted, as a
    // camera drops frames nobody took in time.
    void dropFrames(int count)
    {
        m_dropFromNs = core::toNs(core::monotonicNow());
        m_dropCount = count;
    }

    [[nodiscard]] const SimSensorConfig &config() const { return m_config; }

private:
    enum class EventKind { XvsEdge, FrameDone };
    struct Event {
        MonoTime when {};
        EventKind kind = EventKind::XvsEdge;
        MonoTime t0 {};  // FrameDone: row 0 exposure start
        std::chrono::nanoseconds exposure {0};
        bool operator>(const Event &o) const { return when > o.when; }
    };
    struct RenderJob {
        qint64 sequence = 0;
        MonoTime t0 {};
        std::chrono::nanoseconds exposure {0};
    };

    void timelineThread();
    void renderThread();
    void scheduleFreeRunningFrame(MonoTime t0);
    void push(const Event &e);  // m_mutex held
    std::chrono::nanoseconds readout() const;

    SimSensorConfig m_config;
    SimLedBank &m_leds;
    std::function<double(int, MonoTime)> m_transmission;
    std::function<double(MonoTime)> m_defocus;
    SimXvsInput *m_xvs;
    SlideRenderer m_renderer;
    std::atomic<bool> m_stop {false};
    std::atomic<bool> m_stalled {false};
    std::atomic<qint64> m_dropFromNs {0};
    std::atomic<int> m_dropCount {0};
    std::atomic<qint64> m_dropped {0};
    std::function<void(MonoTime)> m_frameStartObserver;  // set before start(), called on the timeline thread
    std::thread m_timeline;
    std::thread m_render;

    // Guards m_events, m_rng, m_triggerActiveSince, m_nextFrameT0.
    std::mutex m_mutex;
    std::condition_variable m_eventsChanged;
    std::vector<Event> m_events;  // a min-heap on `when`
    std::mt19937_64 m_rng;
    MonoTime m_triggerActiveSince {};
    MonoTime m_nextFrameT0 {};

    // Guards m_renderQueue.
    std::mutex m_renderMutex;
    std::condition_variable m_renderReady;
    std::deque<RenderJob> m_renderQueue;
    qint64 m_sequence = 0;  // timeline thread only

    // Guards m_frames.
    std::mutex m_framesMutex;
    std::condition_variable m_frameReady;
    std::deque<core::acquisition::CapturedFrame> m_frames;
};

}  // namespace scopesync::hal::sim
