// CapturePipeline: back-to-back strobed images, armed ahead so each takes the next frame, saved by a writer.
#include "core/acquisition/capture_pipeline.h"

#include <algorithm>

namespace scopesync::core::acquisition {

CapturePipeline::CapturePipeline(Rig &rig, StrobedCapture &capture, storage::ImageWriter &writer,
    RecordMaker makeRecord, qint64 imageBytes, int depth)
    : m_rig(rig),
      m_capture(capture),
      m_writer(writer),
      m_makeRecord(std::move(makeRecord)),
      m_imageBytes(std::max<qint64>(1, imageBytes)),
      m_depth(std::max(1, depth))
{
}

CapturePipeline::~CapturePipeline()
{
    abandon();
}

Status CapturePipeline::push(ImageIntent intent)
{
    // A writer that failed stops the run before another flash is armed.
    if (auto s = m_writer.status(); !s.ok()) {
        abandon();
        return s;
    }
    if (auto s = armRetakes(); !s.ok())
        return s;
    while (int(m_armed.size()) >= m_depth) {
        if (auto s = collectOldest(); !s.ok())
            return s;
        if (auto s = armRetakes(); !s.ok())
            return s;
    }
    return arm(std::move(intent));
}

Status CapturePipeline::armRetakes()
{
    while (!m_retakes.empty() && int(m_armed.size()) < m_depth) {
        ImageIntent retake = std::move(m_retakes.front());
        m_retakes.pop_front();
        if (auto s = arm(std::move(retake)); !s.ok())
            return s;
    }
    return Ok {};
}

Status CapturePipeline::arm(ImageIntent intent)
{
    if (!m_writer.tryReserve(m_imageBytes)) {
        // The disk is behind: take what is armed (its room is held), then wait with nothing armed.
        while (!m_armed.empty())
            if (auto s = collectOldest(); !s.ok())
                return s;
        if (auto s = m_writer.reserve(m_imageBytes, m_stopRequested, m_onWait); !s.ok())
            return s;
    }
    ArmedCapture job = m_capture.arm(intent.lights);
    m_armed.push_back({std::move(intent), job, m_imageBytes});
    return Ok {};
}

Status CapturePipeline::flush()
{
    while (!m_armed.empty() || !m_retakes.empty()) {
        if (m_armed.empty()) {
            if (auto s = armRetakes(); !s.ok())
                return s;
            continue;
        }
        if (auto s = collectOldest(); !s.ok())
            return s;
    }
    return Ok {};
}

void CapturePipeline::abandon()
{
    for (const Armed &a : m_armed) {
        (void)m_rig.strobe().disarm(a.job.jobId);
        m_writer.release(a.reserved);
    }
    m_armed.clear();
    m_retakes.clear();
}

Status CapturePipeline::collectOldest()
{
    Armed a = std::move(m_armed.front());
    m_armed.pop_front();
    auto shot = m_capture.collect(a.job);
    if (!shot.ok() && m_capture.lastFrameDropped() && a.intent.framesDropped < kMaxDroppedFrameRetakes) {
        // The camera's queue overflowed (a busy machine): the light was given to a frame nobody kept.
        // Take the image again on a following frame rather than stop the run.
        ImageIntent again = std::move(a.intent);
        ++again.framesDropped;
        m_writer.release(a.reserved);
        m_retakes.push_back(std::move(again));
        ++m_droppedRetaken;
        return Ok {};
    }
    if (!shot.ok()) {
        m_failedFrame = a.intent.frameIndex;
        m_writer.release(a.reserved);
        abandon();
        return shot.error();
    }
    storage::ImageRecord rec = m_makeRecord(a.intent, *shot);
    if (!rec.doseProblems.isEmpty() && a.intent.retake < m_maxRetakes) {
        ImageIntent again = a.intent;
        ++again.retake;
        m_retakes.push_back(std::move(again));
    }
    if (auto s = m_writer.submit(
            std::move(shot->frame.image), std::move(rec), m_stopRequested, m_onWait, a.reserved);
        !s.ok()) {
        abandon();
        return s;
    }
    return Ok {};
}

}  // namespace scopesync::core::acquisition
