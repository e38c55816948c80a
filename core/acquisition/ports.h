// The ports the acquisition drives: a camera that delivers frames and a strobe controller that fires LEDs.
#pragma once

#include "core/common/clocks.h"
#include "core/common/image.h"
#include "core/common/result.h"

#include <QString>

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

namespace scopesync::core::acquisition {

using core::MonoTime;

// One LED pulse relative to the frame's trigger edge.
struct LedPulse {
    QString led;
    std::chrono::microseconds delay {0};  // from the trigger edge to LED on
    std::chrono::microseconds duration {0};  // on time
    int intensityPerMille = 1000;
};

// The light wanted on the next frame the strobe engine sees.
struct FrameJob {
    quint64 id = 0;
    std::vector<LedPulse> pulses;
    // The job waits for the first frame that starts at or after this time (0: the next frame). A fleet
    // follower on a synchronised free-running camera uses it to flash the frame nearest its T.
    MonoTime notBefore {};
};

// An LED or trigger edge the engine drove, with the time it meant and the time it measured after the
// write returned.
struct DrivenEdge {
    QString line;  // LED name, or "trigger"
    bool active = false;
    MonoTime intended {};
    MonoTime measured {};  // read after the write returned
    // Read just before the write: the edge happened between `issued` and `measured`. A write the thread
    // was stalled in (a hypervisor, an interrupt storm) leaves a wide gap, and the light's true start or end
    // is known only to within it.
    MonoTime issued {};
};

// What happened on the frame that carried a job.
struct StrobeEvent {
    quint64 jobId = 0;
    qint64 triggerSequence = 0;  // count of frame-start triggers since the engine started
    MonoTime triggerTime {};  // the trigger edge's timestamp (kernel's, or the one the engine drove)
    std::vector<DrivenEdge> edges;  // the LED edges
    // The trigger pulse the engine drove for this frame (start and release; XVS source, external
    // trigger). Empty in XVS-sink mode, where triggerTime is the kernel's timestamp of the camera's edge.
    std::vector<DrivenEdge> triggerEdges;
    bool clipped = false;  // an on time was cut to the rig's LED safety limit
};

struct StrobeStats {
    qint64 triggers = 0;  // frame-start triggers accepted (or generated)
    qint64 stopPulses = 0;  // exposure-stop pulses recognised (two pulses per frame)
    qint64 missed = 0;  // frame-start pulses inferred missing from the interval pattern
    qint64 rejected = 0;  // edges rejected as glitches
    qint64 lateEdges = 0;  // LED edges driven more than 1 ms after their deadline
    // The latest a timed sleep of the strobe thread returned after its deadline (the machine's wake-up
    // latency as the thread saw it; the thread wakes that much early, up to a limit, and spins).
    std::chrono::nanoseconds worstOversleep {0};
    bool realtime = false;  // SCHED_FIFO granted
    bool memoryLocked = false;
    QString realtimeNote;  // why not, when not
};

class StrobeController {
public:
    virtual ~StrobeController() = default;
    virtual Status start() = 0;
    // Stops the thread and turns every LED off; safe to call more than once.
    virtual void stop() = 0;
    // The next frame-start trigger takes this job.
    virtual void arm(FrameJob job) = 0;
    // Takes back a job no frame has taken yet (a capture that gave up); false if it already ran.
    virtual bool disarm(quint64 jobId) = 0;
    // Waits for the event of a job; nullopt on timeout.
    virtual std::optional<StrobeEvent> waitEvent(quint64 jobId, std::chrono::milliseconds timeout) = 0;

    // Trigger at a given time, for rigs that drive the camera's trigger (xvs-source, external). With
    // `onRequest` the controller fires a trigger only when fireTriggerAt() asks, instead of a periodic
    // stream, and stops sleeping `spin` before each requested edge. Only while stopped (before start()).
    virtual void setTriggerOnRequest(bool onRequest, std::chrono::nanoseconds spin) = 0;
    // The next frame-start trigger is driven at `when` (CLOCK_MONOTONIC); its event's triggerTime is the
    // measured edge. Thread-safe; ignored when the camera drives its own trigger (xvs-sink, free-run).
    virtual void fireTriggerAt(MonoTime when) = 0;
    // How long before a requested trigger (or a job's notBefore) the request must reach the controller:
    // its thread's longest idle sleep plus the time to arm a frame.
    [[nodiscard]] virtual std::chrono::nanoseconds requestLead() const = 0;
    // The controller thread's SCHED_FIFO priority (0 when it runs without one): a caller that raises
    // its own thread to hand over a request stays below it.
    [[nodiscard]] virtual int realtimePriority() const = 0;

    // Holds LEDs on (illumination steps) until illuminate({}) or stop(); bounded by the rig's limits.
    virtual Status illuminate(const std::vector<LedPulse> &leds) = 0;
    [[nodiscard]] virtual StrobeStats stats() const = 0;
    // A fault the thread hit (line write failed…), empty when none.
    [[nodiscard]] virtual QString fault() const = 0;
    // True when every LED line is off right now.
    [[nodiscard]] virtual bool allLedsOff() const = 0;
    // The edges driven (and, in XVS-sink mode, the trigger edges caught) since the last call, oldest
    // first; a bounded record, for the timing view.
    virtual std::vector<DrivenEdge> takeEdgeLog() = 0;
};

struct CapturedFrame {
    Image16 image;
    // The camera's own downscaled processed stream of the same frame (the Pi ISP's viewfinder output, 8-bit
    // luminance, `image` size / an integer), when it has one: the live preview shows it instead of binning
    // `image` in software. Never saved; empty on cameras without a second stream.
    Image16 preview;
    qint64 sequence = 0;
    MonoTime exposureStart {};  // start of row 0's exposure (SensorTimestamp − ExposureTime on a Pi)
    MonoTime sensorTimestamp {};
    std::chrono::microseconds exposure {0};
    double analogueGain = 1.0;  // 0: not known (a camera that keeps its own gain)
    // With camera sync: whether the camera says its frames are on the server's timing yet (libcamera
    // rpi::SyncReady); unset without camera sync.
    std::optional<bool> syncReady;
};

class Camera {
public:
    virtual ~Camera() = default;
    virtual Status start() = 0;
    virtual void stop() = 0;
    // The next frame, waiting until `timeout`; nullopt when none came (a stalled camera).
    virtual std::optional<CapturedFrame> waitFrame(std::chrono::milliseconds timeout) = 0;
    // Frames the camera had to drop because nobody took them in time.
    [[nodiscard]] virtual qint64 droppedFrames() const = 0;
    // Whether frames are exposed for the time the settings ask (false: the camera keeps its own, automatic
    // exposure, so nothing can be timed against the shutter).
    [[nodiscard]] virtual bool exposureFixed() const { return true; }
    // Called on the camera's own thread with each frame's exposure start (row 0) as soon as the frame
    // is complete, whether or not anyone takes it: a rig without a trigger wire predicts LED timing
    // from it. Must be set before start(). False when this camera cannot report frame starts.
    virtual bool setFrameStartObserver(std::function<void(MonoTime exposureStart)> observer)
    {
        (void)observer;
        return false;
    }
};

}  // namespace scopesync::core::acquisition
