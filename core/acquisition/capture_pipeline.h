// CapturePipeline: back-to-back strobed images, armed ahead so each takes the next frame, saved by a writer.
#pragma once

#include "core/acquisition/image_record_builder.h"
#include "core/acquisition/strobed_capture.h"
#include "core/storage/image_writer.h"

#include <algorithm>
#include <deque>
#include <functional>

namespace scopesync::core::acquisition {

// Arming a strobed image only after the previous one is saved costs a frame or two per image. Here
// up to `depth` images are armed with the strobe controller at once (one per trigger, in order), so
// image N+1's flash is set up while frame N exposes and reads out. Each frame is matched to its
// strobe event by StrobedCapture::collect, then handed to the image writer. Room in the writer's
// queue is reserved before a capture is armed: when the disk falls behind, the pipeline collects what
// is armed and waits for room with nothing armed, so no lit frame is left in the camera to be dropped
// and no image is lost.
//
// Only consecutive strobed images belong here: before anything else happens between images (a wait,
// light held on, a temperature or filter change) the caller flushes the pipeline.
class CapturePipeline {
public:
    // Builds an image's record from its intent and shot (the caller adds run-wide fields).
    using RecordMaker = std::function<storage::ImageRecord(const ImageIntent &, const Shot &)>;

    // `imageBytes`: the size of one frame's pixels, reserved in the writer's queue before its capture is
    // armed. `depth`: captures armed at once. A frame reaches the caller its exposure, its rolling
    // readout and its conversion after its trigger — more than two frame periods at 4056×3040 with a
    // short shutter — and the job for frame N+depth is armed only once frame N is collected, so two
    // would leave every third frame dark there; three keep every frame lit.
    CapturePipeline(Rig &rig, StrobedCapture &capture, storage::ImageWriter &writer, RecordMaker makeRecord,
        qint64 imageBytes, int depth = 3);
    // Takes back every job still armed, so no flash fires for an image nobody collects.
    ~CapturePipeline();
    CapturePipeline(const CapturePipeline &) = delete;
    CapturePipeline &operator=(const CapturePipeline &) = delete;

    // Arms a strobed image; once `depth` are armed, first collects the oldest and queues it for writing.
    Status push(ImageIntent intent);
    // Collects every armed image and queues it for writing (it does not wait for the disk).
    Status flush();
    // Takes back the jobs still armed (after an error or a stop).
    void abandon();

    // An image whose measured light differs from its plan (ImageRecord::doseProblems) is kept, flagged,
    // and taken again on a following frame, up to `retakes` times (0: never).
    void setMaxRetakes(int retakes) { m_maxRetakes = std::max(0, retakes); }
    // An image whose lit frame the camera dropped (its queue full on a busy machine) left no image to
    // flag: it is taken again on a following frame, whatever `retakes` says, up to this many times in a
    // row before the run stops (a camera that drops that often is not keeping up at all).
    static constexpr int kMaxDroppedFrameRetakes = 8;

    // Called when a shot must wait for room in the writer's queue (the disk is slower than the camera).
    void setWaitCallback(std::function<void()> onWait) { m_onWait = std::move(onWait); }
    // The run's stop flag, polled while waiting for room.
    void setStopCheck(std::function<QString()> stopRequested) { m_stopRequested = std::move(stopRequested); }

    [[nodiscard]] int armed() const { return int(m_armed.size()); }
    // Images taken again because the camera dropped their lit frame (each at most `retakes` times).
    [[nodiscard]] int droppedRetaken() const { return m_droppedRetaken; }
    // The frame index of the image whose collection failed, or -1.
    [[nodiscard]] qint64 failedFrame() const { return m_failedFrame; }

private:
    struct Armed {
        ImageIntent intent;
        ArmedCapture job;
        qint64 reserved = 0;  // room held in the writer's queue
    };
    Status collectOldest();
    Status arm(ImageIntent intent);  // with room reserved in the writer's queue
    Status armRetakes();  // the retakes waiting, as far as the depth allows

    Rig &m_rig;
    StrobedCapture &m_capture;
    storage::ImageWriter &m_writer;
    RecordMaker m_makeRecord;
    qint64 m_imageBytes;
    int m_depth;
    std::deque<Armed> m_armed;
    std::deque<ImageIntent> m_retakes;  // to be armed before the next new image
    int m_maxRetakes = 0;
    int m_droppedRetaken = 0;
    std::function<void()> m_onWait;
    std::function<QString()> m_stopRequested;
    qint64 m_failedFrame = -1;
};

}  // namespace scopesync::core::acquisition
