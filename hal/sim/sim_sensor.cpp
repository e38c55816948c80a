// The virtual sensor: a rolling/global-shutter camera that emits XVS, obeys triggers and renders frames.
#include "hal/sim/sim_sensor.h"

#include "core/common/clocks.h"
#include "hal/strobe/precise_clock.h"

#include <algorithm>
#include <functional>

namespace scopesync::hal::sim {

using core::acquisition::TriggerMode;
using namespace std::chrono_literals;

namespace {
constexpr std::size_t kFrameQueueDepth = 4;  // frames nobody took are dropped (and counted) beyond this
constexpr std::size_t kRenderQueueDepth = 3;
std::chrono::steady_clock::time_point asSteady(MonoTime t)
{
    // libstdc++'s steady_clock is CLOCK_MONOTONIC.
    return std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(t.time_since_epoch()));
}
}  // namespace

SimSensor::SimSensor(SimSensorConfig config, SimLedBank &leds, SimXvsInput *xvs)
    : m_config(std::move(config)),
      m_leds(leds),
      m_xvs(xvs),
      m_renderer(m_config.mode.width, m_config.mode.height, m_config.sim.seed),
      m_rng(m_config.sim.seed ^ 0x5eed)
{
}

SimSensor::~SimSensor()
{
    stop();
}

std::chrono::nanoseconds SimSensor::readout() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(m_config.mode.readout());
}

core::Status SimSensor::start()
{
    if (m_timeline.joinable())
        return core::Ok {};
    if (m_config.trigger == TriggerMode::XvsSink && !m_xvs)
        return core::Error {QStringLiteral("XVS-sink rig without an XVS wire"), QStringLiteral("sim")};
    m_stop = false;
    if (m_config.trigger == TriggerMode::XvsSink || m_config.trigger == TriggerMode::FreeRun) {
        const std::lock_guard lock(m_mutex);
        // First frame a little ahead so the strobe engine is listening.
        MonoTime first = strobe::monotonicNow() + 50ms;
        if (m_config.alignToRealtimeGrid) {
            const auto p = m_config.framePeriod.count();
            const auto real = core::toNs(core::realtimeNow()) + 50'000'000;
            first = core::realtimeToMonotonic(core::wallFromNs((real / p + 1) * p));
        }
        scheduleFreeRunningFrame(first + m_config.sim.xvsOffset);
    }
    m_timeline = std::thread([this] { timelineThread(); });
    m_render = std::thread([this] { renderThread(); });
    return core::Ok {};
}

void SimSensor::stop()
{
    m_stop = true;
    m_eventsChanged.notify_all();
    m_renderReady.notify_all();
    m_frameReady.notify_all();
    if (m_timeline.joinable())
        m_timeline.join();
    if (m_render.joinable())
        m_render.join();
}

void SimSensor::push(const Event &e)
{
    m_events.push_back(e);
    std::push_heap(m_events.begin(), m_events.end(), std::greater<>());
}

void SimSensor::scheduleFreeRunningFrame(MonoTime t0)
{
    const auto &sim = m_config.sim;
    const auto offset = std::chrono::duration_cast<std::chrono::nanoseconds>(sim.xvsOffset);
    const auto exposure = std::chrono::duration_cast<std::chrono::nanoseconds>(m_config.exposure);
    std::uniform_real_distribution<double> u01(0, 1);
    const MonoTime edge = t0 - offset;
    if (u01(m_rng) >= sim.missedPulseRate)
        push({edge, EventKind::XvsEdge, {}, {}});
    if (sim.pulsesPerFrame == 2 && u01(m_rng) >= sim.missedPulseRate)
        push({edge + exposure, EventKind::XvsEdge, {}, {}});
    // Glitches: spurious edges at random moments of the frame (Poisson-distributed count).
    std::poisson_distribution<int> glitches(sim.glitchRate);
    for (int i = glitches(m_rng); i > 0; --i) {
        const auto at = std::chrono::nanoseconds(
            static_cast<qint64>(u01(m_rng) * static_cast<double>(m_config.framePeriod.count())));
        push({edge + at, EventKind::XvsEdge, {}, {}});
    }
    push({t0 + exposure + readout(), EventKind::FrameDone, t0, exposure});
    m_nextFrameT0 = t0 + m_config.framePeriod;
}

void SimSensor::onTrigger(bool active, MonoTime when)
{
    const std::lock_guard lock(m_mutex);
    const auto offset = std::chrono::duration_cast<std::chrono::nanoseconds>(m_config.sim.xvsOffset);
    if (m_config.trigger == TriggerMode::XvsSource) {
        if (!active)
            return;
        const MonoTime t0 = when + offset;
        const auto exposure = std::chrono::duration_cast<std::chrono::nanoseconds>(m_config.exposure);
        push({t0 + exposure + readout(), EventKind::FrameDone, t0, exposure});
    } else if (m_config.trigger == TriggerMode::External) {
        // The GS sensor exposes while XTR is low: the pulse width sets the exposure.
        if (active) {
            m_triggerActiveSince = when;
            return;
        }
        if (m_triggerActiveSince == MonoTime {})
            return;
        const MonoTime t0 = m_triggerActiveSince + offset;
        const auto exposure = (when - m_triggerActiveSince) + m_config.externalExposureOffset;
        m_triggerActiveSince = MonoTime {};
        push({t0 + exposure + readout(), EventKind::FrameDone, t0, exposure});
    } else {
        return;
    }
    m_eventsChanged.notify_all();
}

void SimSensor::timelineThread()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        // A free-running sensor keeps at least the next frame scheduled, whatever its XVS offset and
        // whether or not its edges were missed.
        if (m_config.trigger == TriggerMode::XvsSink || m_config.trigger == TriggerMode::FreeRun) {
            const auto offset = std::chrono::duration_cast<std::chrono::nanoseconds>(m_config.sim.xvsOffset);
            while (m_nextFrameT0 - offset < strobe::monotonicNow() + m_config.framePeriod)
                scheduleFreeRunningFrame(m_nextFrameT0);
        }
        if (m_events.empty()) {
            m_eventsChanged.wait_for(lock, 20ms);
            continue;
        }
        const Event next = m_events.front();
        if (strobe::monotonicNow() < next.when) {
            m_eventsChanged.wait_until(lock, asSteady(next.when));
            continue;
        }
        std::pop_heap(m_events.begin(), m_events.end(), std::greater<>());
        m_events.pop_back();
        if (next.kind == EventKind::XvsEdge) {
            // Stamped with the moment the edge happened, as the kernel's hard-IRQ timestamp is.
            if (m_xvs)
                m_xvs->push(next.when);
            continue;
        }
        // The moment a real camera completes the frame: its start is known from then on.
        if (m_frameStartObserver)
            m_frameStartObserver(next.t0);
        {
            const std::lock_guard rl(m_renderMutex);
            if (m_renderQueue.size() >= kRenderQueueDepth) {
                m_renderQueue.pop_front();
                ++m_dropped;
            }
            m_renderQueue.push_back({m_sequence++, next.t0, next.exposure});
        }
        m_renderReady.notify_one();
    }
}

void SimSensor::renderThread()
{
    const int rows = m_config.mode.height;
    const bool global = m_config.shutter == core::timing::ShutterType::Global;
    const auto line = m_config.mode.lineTime;
    std::vector<double> dose(std::size_t(rows), 0.0);
    while (true) {
        RenderJob job;
        {
            std::unique_lock lock(m_renderMutex);
            m_renderReady.wait(lock, [&] { return m_stop || !m_renderQueue.empty(); });
            if (m_stop)
                return;
            job = m_renderQueue.front();
            m_renderQueue.pop_front();
        }
        const MonoTime frameEnd = job.t0 + job.exposure + (global ? 0ns : readout());
        const auto light = m_leds.lightBetween(job.t0, frameEnd);
        std::fill(dose.begin(), dose.end(), 0.0);
        for (const auto &iv : light) {
            // The filter is sampled where the light starts to count: a wheel does not move mid-exposure
            // in a run (moves finish before the trigger), and a frame taken while it moves is dark.
            const double through = m_transmission ? m_transmission(iv.led, std::max(iv.on, job.t0)) : 1.0;
            if (through <= 0.0)
                continue;
            for (int r = 0; r < rows; ++r) {
                const double rowStart = static_cast<double>(core::toNs(job.t0))
                    + (global ? 0.0 : line.count() * static_cast<double>(r));
                const double rowEnd = rowStart + static_cast<double>(job.exposure.count());
                const double a = std::max(rowStart, static_cast<double>(core::toNs(iv.on)));
                const double b = std::min(rowEnd, static_cast<double>(core::toNs(iv.off)));
                if (b > a)
                    dose[std::size_t(r)]
                        += (b - a) / 1000.0 * iv.intensity * through;  // µs of full-duty light
            }
        }
        m_leds.prune(job.t0 - 10s);
        if (m_stalled)
            continue;
        if (m_dropCount.load() > 0 && core::toNs(job.t0) >= m_dropFromNs.load()) {
            --m_dropCount;
            ++m_dropped;
            continue;
        }
        core::acquisition::CapturedFrame frame;
        const double blurPx = m_defocus ? m_defocus(job.t0) : 0.0;
        frame.image
            = m_renderer.render(dose, m_config.analogueGain, m_config.sim.vflip, m_config.sim.hflip, blurPx);
        frame.sequence = job.sequence;
        frame.exposureStart = job.t0;
        frame.exposure = std::chrono::duration_cast<std::chrono::microseconds>(job.exposure);
        frame.sensorTimestamp = job.t0 + job.exposure;
        frame.analogueGain = m_config.analogueGain;
        {
            const std::lock_guard lock(m_framesMutex);
            if (m_frames.size() >= kFrameQueueDepth) {
                m_frames.pop_front();
                ++m_dropped;
            }
            m_frames.push_back(std::move(frame));
        }
        m_frameReady.notify_all();
    }
}

std::optional<core::acquisition::CapturedFrame> SimSensor::waitFrame(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_framesMutex);
    if (!m_frameReady.wait_for(lock, timeout, [&] { return m_stop || !m_frames.empty(); })
        || m_frames.empty())
        return std::nullopt;
    auto f = std::move(m_frames.front());
    m_frames.pop_front();
    return f;
}

}  // namespace scopesync::hal::sim
