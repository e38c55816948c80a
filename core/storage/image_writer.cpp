// ImageWriter: saves images into a RunFolder on its own thread, in order, behind a bounded queue.
#include "core/storage/image_writer.h"

#include <algorithm>
#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>

namespace scopesync::core::storage {

using namespace std::chrono_literals;

ImageWriter::ImageWriter(RunFolder &folder, qint64 maxQueuedBytes)
    : m_folder(folder), m_maxBytes(std::max<qint64>(1, maxQueuedBytes))
{
    m_stats.maxQueuedBytes = m_maxBytes;
    m_thread = std::thread([this] { run(); });
}

ImageWriter::~ImageWriter()
{
    (void)drain();
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

qint64 ImageWriter::queueBytesFor(int width, int height)
{
    constexpr qint64 kBudget = qint64(256) << 20;
    const qint64 frame = qint64(std::max(width, 1)) * qint64(std::max(height, 1)) * qint64(sizeof(quint16));
    return std::max(kBudget, 2 * frame);
}

bool ImageWriter::hasRoom(qint64 bytes) const
{
    return (m_queue.empty() && m_reservedBytes == 0) || m_queuedBytes + m_reservedBytes + bytes <= m_maxBytes;
}

Status ImageWriter::waitForRoom(std::unique_lock<std::mutex> &lock, qint64 bytes,
    const std::function<QString()> &stopRequested, const std::function<void()> &onWait)
{
    const auto ready = [&] { return !m_status.ok() || hasRoom(bytes); };
    if (ready())
        return m_status;
    ++m_stats.waits;
    const auto began = std::chrono::steady_clock::now();
    lock.unlock();
    if (onWait)
        onWait();
    lock.lock();
    // Woken by the writer as each image completes; the slice bounds how late a stop is seen.
    while (!m_changed.wait_for(lock, 50ms, ready)) {
        if (!stopRequested)
            continue;
        lock.unlock();
        const QString why = stopRequested();
        lock.lock();
        if (!why.isEmpty()) {
            m_stats.waited += std::chrono::steady_clock::now() - began;
            return Error {why, QString()};
        }
    }
    m_stats.waited += std::chrono::steady_clock::now() - began;
    return m_status;
}

Status ImageWriter::submit(Image16 image, ImageRecord record, const std::function<QString()> &stopRequested,
    const std::function<void()> &onWait, qint64 reservedBytes)
{
    const auto bytes = qint64(image.byteSize());
    std::unique_lock lock(m_mutex);
    if (reservedBytes > 0) {
        m_reservedBytes = std::max<qint64>(0, m_reservedBytes - reservedBytes);
    } else if (auto s = waitForRoom(lock, bytes, stopRequested, onWait); !s.ok()) {
        return s;
    }
    if (!m_status.ok())
        return m_status;
    m_queuedBytes += bytes;
    m_queue.push_back({std::move(image), std::move(record)});
    m_stats.highWaterBytes = std::max(m_stats.highWaterBytes, m_queuedBytes + m_reservedBytes);
    m_stats.highWaterImages = std::max(m_stats.highWaterImages, qint64(m_queue.size()));
    lock.unlock();
    m_changed.notify_all();
    return Ok {};
}

Status ImageWriter::reserve(
    qint64 bytes, const std::function<QString()> &stopRequested, const std::function<void()> &onWait)
{
    std::unique_lock lock(m_mutex);
    if (auto s = waitForRoom(lock, bytes, stopRequested, onWait); !s.ok())
        return s;
    m_reservedBytes += bytes;
    m_stats.highWaterBytes = std::max(m_stats.highWaterBytes, m_queuedBytes + m_reservedBytes);
    return Ok {};
}

bool ImageWriter::tryReserve(qint64 bytes)
{
    const std::lock_guard lock(m_mutex);
    if (!m_status.ok() || !hasRoom(bytes))
        return false;
    m_reservedBytes += bytes;
    m_stats.highWaterBytes = std::max(m_stats.highWaterBytes, m_queuedBytes + m_reservedBytes);
    return true;
}

void ImageWriter::release(qint64 bytes)
{
    {
        const std::lock_guard lock(m_mutex);
        m_reservedBytes = std::max<qint64>(0, m_reservedBytes - bytes);
    }
    m_changed.notify_all();
}

Status ImageWriter::drain()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_queue.empty() || !m_status.ok(); });
    return m_status;
}

std::vector<ImageRecord> ImageWriter::takeSaved()
{
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_saved, {});
}

Status ImageWriter::status() const
{
    const std::lock_guard lock(m_mutex);
    return m_status;
}

qint64 ImageWriter::failedFrame() const
{
    const std::lock_guard lock(m_mutex);
    return m_failedFrame;
}

void ImageWriter::setDelayPerImage(std::chrono::milliseconds delay)
{
    const std::lock_guard lock(m_mutex);
    m_delay = delay;
}

ImageWriter::Stats ImageWriter::stats() const
{
    const std::lock_guard lock(m_mutex);
    return m_stats;
}

void ImageWriter::run()
{
    // Encoding and checksumming a frame costs about as much CPU as the camera's own work on it: on a
    // machine with few cores the capture must win, or the camera drops lit frames. The queue absorbs
    // the writer's lag and back-pressure bounds it, so this thread yields (a niceness 10 above the
    // process's; refused silently where not permitted, which only costs that precedence).
    errno = 0;
    const int base = getpriority(PRIO_PROCESS, 0);
    if (errno == 0)
        (void)setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), std::min(base + 10, 19));
    std::unique_lock lock(m_mutex);
    while (true) {
        m_changed.wait(lock, [&] { return m_stop || (!m_queue.empty() && m_status.ok()); });
        if (m_stop)
            return;
        // The image stays at the queue's front (and in its byte count) until it is durable.
        Pending &p = m_queue.front();
        const auto delay = m_delay;
        lock.unlock();
        const auto began = std::chrono::steady_clock::now();
        Status s = m_folder.addImage(p.image, p.record);
        if (s.ok() && delay > 0ms)
            std::this_thread::sleep_until(began + delay);
        lock.lock();
        if (s.ok()) {
            ++m_stats.imagesWritten;
            m_saved.push_back(std::move(p.record));
            m_queuedBytes -= qint64(p.image.byteSize());
            m_queue.pop_front();
        } else {
            // Nothing queued after a failed image may be written: the manifest must stay in order.
            m_status = s;
            m_failedFrame = p.record.frameIndex;
            m_queue.clear();
            m_queuedBytes = 0;
        }
        m_changed.notify_all();
    }
}

}  // namespace scopesync::core::storage
