// ImageWriter: saves images into a RunFolder on its own thread, in order, behind a bounded queue.
#pragma once

#include "core/common/image.h"
#include "core/common/result.h"
#include "core/storage/image_record.h"
#include "core/storage/run_folder.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace scopesync::core::storage {

// The camera hands over an image every frame period while encoding, writing and fsyncing it takes
// about as long: a writer thread lets the next frame be captured meanwhile. The queue is bounded in
// bytes so a disk slower than the camera holds memory, not the run: submit() then waits for room. It
// never drops an image. RunFolder's durability contract is unchanged: images are added one at a time,
// in submission order, each manifest line after its file is durable. The first write error stops the
// writer: what was durable stays listed, nothing queued after it is written, and every later call
// returns that error.
class ImageWriter {
public:
    // `maxQueuedBytes`: pixel bytes the queue may hold (an image is always accepted into an empty
    // queue, whatever its size). The folder must outlive the writer and is used only by its thread
    // until drain() returns.
    ImageWriter(RunFolder &folder, qint64 maxQueuedBytes);
    // Writes what is queued (as drain()) and stops the thread.
    ~ImageWriter();
    ImageWriter(const ImageWriter &) = delete;
    ImageWriter &operator=(const ImageWriter &) = delete;

    // The default bound for frames of this size: 256 MiB, at least two frames, so the camera can run
    // on while one image is written and another waits.
    static qint64 queueBytesFor(int width, int height);

    // Queues one image. While the queue is full it waits, calling `onWait` once when the wait begins
    // and polling `stopRequested` (an empty string means go on) so a stop is honoured while waiting.
    // With `reservedBytes` (from reserve() or tryReserve()) it takes that room and never waits.
    // Returns the writer's error, if it has one, or the stop reason.
    Status submit(Image16 image, ImageRecord record, const std::function<QString()> &stopRequested = {},
        const std::function<void()> &onWait = {}, qint64 reservedBytes = 0);
    // Room for an image not taken yet (a capture armed ahead): once reserved, its submit() cannot wait,
    // so a frame already lit is never left in the camera while the disk catches up. reserve() waits
    // like submit(); tryReserve() does not wait and says whether it got the room.
    Status reserve(qint64 bytes, const std::function<QString()> &stopRequested = {},
        const std::function<void()> &onWait = {});
    bool tryReserve(qint64 bytes);
    // Gives back room reserved for an image that will not come (a capture taken back).
    void release(qint64 bytes);
    // Waits until every queued image is durable (or the writer has failed) and returns its status.
    Status drain();

    // Records of images made durable since the last call, in order (for callers that report each
    // saved image on their own thread).
    std::vector<ImageRecord> takeSaved();
    // The first write error, if any; the frame index it names is failedFrame().
    [[nodiscard]] Status status() const;
    [[nodiscard]] qint64 failedFrame() const;

    // Bench and test seam: every image takes at least this long to write, as on a slow disk.
    void setDelayPerImage(std::chrono::milliseconds delay);

    struct Stats {
        qint64 imagesWritten = 0;
        qint64 maxQueuedBytes = 0;  // the bound
        qint64 highWaterBytes = 0;  // most pixel bytes waiting (or reserved for frames to come) at once
        qint64 highWaterImages = 0;  // most images waiting at once (the one being written included)
        qint64 waits = 0;  // submissions that had to wait for room
        std::chrono::nanoseconds waited {0};  // total time submissions waited for room
    };
    [[nodiscard]] Stats stats() const;

private:
    struct Pending {
        Image16 image;
        ImageRecord record;
    };
    void run();

    RunFolder &m_folder;
    const qint64 m_maxBytes;

    // Guards everything below.
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Pending> m_queue;  // the front is being written while m_writing
    qint64 m_queuedBytes = 0;
    qint64 m_reservedBytes = 0;
    // Whether `bytes` more fit now (m_mutex held); an empty queue takes any one image.
    [[nodiscard]] bool hasRoom(qint64 bytes) const;
    // Waits until hasRoom(bytes) or a stop or error (m_mutex held through `lock`).
    Status waitForRoom(std::unique_lock<std::mutex> &lock, qint64 bytes,
        const std::function<QString()> &stopRequested, const std::function<void()> &onWait);
    bool m_stop = false;
    Status m_status = Ok {};
    qint64 m_failedFrame = -1;
    std::vector<ImageRecord> m_saved;
    std::chrono::milliseconds m_delay {0};
    Stats m_stats;

    std::thread m_thread;  // last: started once everything above exists
};

}  // namespace scopesync::core::storage
