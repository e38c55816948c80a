// The camera port on Qt Multimedia: a QCamera on its own thread, frames taken from a QVideoSink as their
// luminance, timestamps moved onto CLOCK_MONOTONIC.
#include "hal/qtcamera/qt_camera.h"

#include "hal/qtcamera/video_frame_luma.h"

#include <QCamera>
#include <QCameraDevice>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QThread>
#include <QVideoFrame>
#include <QVideoSink>

#include <algorithm>
#include <thread>

namespace scopesync::hal::qtcamera {

using core::acquisition::CapturedFrame;
using core::acquisition::MonoTime;

namespace {

QString cameraNames(const QList<QCameraDevice> &devices)
{
    QStringList names;
    for (const auto &d : devices)
        names << QStringLiteral("\"%1\"").arg(d.description());
    return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "));
}

// The format to ask for: the requested size (or the largest), in the pixel format cheapest to read,
// at its highest frame rate.
std::optional<QCameraFormat> chooseFormat(const QCameraDevice &device, QSize wanted)
{
    std::optional<QCameraFormat> best;
    const auto better = [&](const QCameraFormat &a, const QCameraFormat &b) {
        const qint64 areaA = qint64(a.resolution().width()) * a.resolution().height();
        const qint64 areaB = qint64(b.resolution().width()) * b.resolution().height();
        if (areaA != areaB)
            return areaA > areaB;
        if (lumaCost(a.pixelFormat()) != lumaCost(b.pixelFormat()))
            return lumaCost(a.pixelFormat()) < lumaCost(b.pixelFormat());
        return a.maxFrameRate() > b.maxFrameRate();
    };
    for (const QCameraFormat &f : device.videoFormats()) {
        if (lumaCost(f.pixelFormat()) < 0)
            continue;
        if (!wanted.isEmpty() && f.resolution() != wanted)
            continue;
        if (!best || better(f, *best))
            best = f;
    }
    return best;
}

// The sizes a camera offers (only in formats this backend reads, if asked), largest first, without repeats.
QList<QSize> sizesOf(const QCameraDevice &device, bool readableOnly)
{
    QList<QSize> sizes;
    for (const QCameraFormat &f : device.videoFormats())
        if ((!readableOnly || lumaCost(f.pixelFormat()) >= 0) && !sizes.contains(f.resolution()))
            sizes << f.resolution();
    std::sort(sizes.begin(), sizes.end(),
        [](QSize a, QSize b) { return qint64(a.width()) * a.height() > qint64(b.width()) * b.height(); });
    return sizes;
}

}  // namespace

QList<QtCameraInfo> listCameras()
{
    QList<QtCameraInfo> out;
    for (const QCameraDevice &d : QMediaDevices::videoInputs()) {
        QtCameraInfo info {QString::fromUtf8(d.id()), d.description(), d.isDefault(), sizesOf(d, false), {}};
        for (const QSize size : info.sizes) {
            const auto format = chooseFormat(d, size);
            info.maxFps << (format ? double(format->maxFrameRate()) : 0.0);
        }
        out << info;
    }
    return out;
}

// Lives on the camera's thread, where Qt Multimedia's objects must be made, used and destroyed.
class QtCamera::Session : public QObject {
public:
    explicit Session(QtCamera *owner) : m_owner(owner) { }

    core::Status build(const QtCameraConfig &config)
    {
        const QList<QCameraDevice> devices = QMediaDevices::videoInputs();
        std::optional<QCameraDevice> device;
        for (const QCameraDevice &d : devices)
            if (config.device.isEmpty()
                    ? d.isDefault()
                    : d.description() == config.device || QString::fromUtf8(d.id()) == config.device)
                device = d;
        if (!device && config.device.isEmpty() && !devices.isEmpty())
            device = devices.first();
        if (!device)
            return core::Error {config.device.isEmpty()
                    ? QStringLiteral(
                        "Qt Multimedia sees no camera; plug one in, or check that the user may open "
                        "/dev/video* (the 'video' group)")
                    : QStringLiteral(
                        "Qt Multimedia has no camera \"%1\"; it sees %2. Name one of these as the "
                        "camera's device")
                          .arg(config.device, cameraNames(devices)),
                QStringLiteral("camera.device")};
        const auto format = chooseFormat(*device, QSize(config.width, config.height));
        if (!format) {
            QStringList sizes;
            for (const QSize size : sizesOf(*device, true))
                sizes << QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
            return core::Error {config.width > 0
                    ? QStringLiteral("camera \"%1\" has no %2x%3 format this backend can read; use one of %4")
                          .arg(device->description())
                          .arg(config.width)
                          .arg(config.height)
                          .arg(sizes.isEmpty() ? QStringLiteral("(none)") : sizes.join(QStringLiteral(", ")))
                    : QStringLiteral("camera \"%1\" offers no pixel format this backend can read")
                          .arg(device->description()),
                QStringLiteral("camera.size")};
        }
        m_camera = std::make_unique<QCamera>(*device);
        m_sink = std::make_unique<QVideoSink>();
        m_capture = std::make_unique<QMediaCaptureSession>();
        // Format first, then the sink, then the camera: attaching the camera before its sink and format
        // has left Qt 6.4's GStreamer pipeline stuck after its first frame.
        m_camera->setCameraFormat(*format);
        m_capture->setVideoSink(m_sink.get());
        m_capture->setCamera(m_camera.get());
        QObject::connect(m_sink.get(), &QVideoSink::videoFrameChanged, this,
            [this](const QVideoFrame &frame) { onFrame(frame); });
        QObject::connect(
            m_camera.get(), &QCamera::errorOccurred, this, [this](QCamera::Error error, const QString &text) {
                if (error != QCamera::NoError)
                    m_owner->fail(QStringLiteral("camera \"%1\": %2").arg(m_owner->m_description, text));
            });

        m_owner->m_description = device->description();
        m_owner->m_size = format->resolution();
        m_owner->m_frameRate = double(format->maxFrameRate());
        QStringList &notes = m_owner->m_notes;
        notes << QStringLiteral("Qt Multimedia camera \"%1\": %2x%3, %4, up to %5 fps")
                     .arg(device->description())
                     .arg(format->resolution().width())
                     .arg(format->resolution().height())
                     .arg(pixelFormatName(format->pixelFormat()))
                     .arg(format->maxFrameRate(), 0, 'f', 1);
        notes << QStringLiteral(
            "free-running camera without a trigger wire: LED timing is predicted from frame timestamps, "
            "which Qt gives relative to its pipeline; they are moved onto CLOCK_MONOTONIC by the quickest "
            "delivery seen (late by at most that, never early)");
        if (config.exposure.count() > 0) {
            if (m_camera->isExposureModeSupported(QCamera::ExposureManual)
                && (m_camera->supportedFeatures() & QCamera::Feature::ManualExposureTime)) {
                m_camera->setExposureMode(QCamera::ExposureManual);
                m_camera->setManualExposureTime(float(double(config.exposure.count()) / 1e6));
                m_exposure = config.exposure;
                m_owner->m_exposureFixed = true;
                notes << QStringLiteral("exposure fixed at %1 ms")
                             .arg(double(config.exposure.count()) / 1000.0);
            } else {
                notes << QStringLiteral(
                    "exposure not fixed: the camera offers no manual exposure time through Qt "
                    "Multimedia, so it keeps its own (automatic) exposure");
            }
        }
        notes << QStringLiteral("no gain control through Qt Multimedia: the camera's own gain applies");
        m_converter = std::thread([this] { convertLoop(); });
        return core::Ok {};
    }

    core::Status start()
    {
        m_camera->start();
        if (m_camera->error() != QCamera::NoError)
            return core::Error {QStringLiteral("camera \"%1\" did not start: %2")
                                    .arg(m_owner->m_description, m_camera->errorString()),
                QStringLiteral("camera")};
        return core::Ok {};
    }

    void stop()
    {
        if (m_camera)
            m_camera->stop();
    }

    void teardown()
    {
        if (m_camera)
            m_camera->stop();
        if (m_converter.joinable()) {
            {
                std::lock_guard lock(m_pendingMutex);
                m_quit = true;
            }
            m_pendingCv.notify_all();
            m_converter.join();
        }
        m_pending.clear();  // their buffers go back to the pipeline before it is destroyed
        m_capture.reset();
        m_camera.reset();
        m_sink.reset();
    }

private:
    // On this thread, inside Qt 6.4's GStreamer renderer: its streaming thread waits at most 300 ms for
    // this to return and otherwise fails the pipeline for good (GST_FLOW_ERROR, no QCamera error), which
    // left the camera silent. So nothing slow happens here: the frame (a reference to its buffer) is
    // queued for the converter thread, and frames before start() are let go at once.
    void onFrame(const QVideoFrame &frame)
    {
        if (!frame.isValid())
            return;  // what the sink gets when the camera stops
        const MonoTime arrival = core::monotonicNow();
        {
            std::lock_guard lock(m_owner->m_mutex);
            if (!m_owner->m_running)
                return;
        }
        {
            std::lock_guard lock(m_pendingMutex);
            if (m_pending.size() >= kMaxPending) {
                m_pending.pop_front();
                std::lock_guard owner(m_owner->m_mutex);
                ++m_owner->m_dropped;
            }
            m_pending.push_back({frame, arrival});
        }
        m_pendingCv.notify_one();
    }

    // The converter thread: luminance of each queued frame, then on to waitFrame()'s queue.
    void convertLoop()
    {
        std::unique_lock lock(m_pendingMutex);
        while (true) {
            m_pendingCv.wait(lock, [this] { return m_quit || !m_pending.empty(); });
            if (m_quit)
                return;
            Pending next = std::move(m_pending.front());
            m_pending.pop_front();
            lock.unlock();
            std::optional<core::Image16> image = luminanceOf(next.frame);
            const qint64 startTimeUs = next.frame.startTime();
            next.frame = QVideoFrame();  // the buffer goes back to the pipeline now
            m_owner->deliverFrame(std::move(image), startTimeUs, next.arrival, m_exposure);
            lock.lock();
        }
    }

    struct Pending {
        QVideoFrame frame;
        MonoTime arrival {};
    };
    static constexpr std::size_t kMaxPending = 4;

    QtCamera *m_owner;
    std::unique_ptr<QCamera> m_camera;
    std::unique_ptr<QVideoSink> m_sink;
    std::unique_ptr<QMediaCaptureSession> m_capture;
    std::chrono::microseconds m_exposure {0};
    std::mutex m_pendingMutex;  // guards m_pending and m_quit
    std::condition_variable m_pendingCv;
    std::deque<Pending> m_pending;
    bool m_quit = false;
    std::thread m_converter;
};

core::Result<std::unique_ptr<QtCamera>> QtCamera::open(const QtCameraConfig &config)
{
    std::unique_ptr<QtCamera> cam(new QtCamera);
    cam->m_queueDepth = std::max(1, config.queueDepth);
    cam->m_firstFrameTimeout = config.firstFrameTimeout;
    cam->m_thread = std::make_unique<QThread>();
    cam->m_thread->setObjectName(QStringLiteral("qt-camera"));
    cam->m_thread->start();
    cam->m_session = new Session(cam.get());
    cam->m_session->moveToThread(cam->m_thread.get());
    core::Status built = core::Ok {};
    QMetaObject::invokeMethod(
        cam->m_session, [&] { built = cam->m_session->build(config); }, Qt::BlockingQueuedConnection);
    if (!built.ok())
        return built.error();
    return cam;
}

QtCamera::~QtCamera()
{
    if (m_session) {
        QMetaObject::invokeMethod(
            m_session, [this] { m_session->teardown(); }, Qt::BlockingQueuedConnection);
    }
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
    }
    delete m_session;  // its thread has finished: nothing of it runs any more
}

core::Status QtCamera::start()
{
    qint64 unreadableBefore = 0;
    {
        std::lock_guard lock(m_mutex);
        unreadableBefore = m_unreadable;
        m_frames.clear();
        m_error.clear();
        m_running = true;
        m_startedAt = core::monotonicNow();
        m_clock.restart();  // a restarted pipeline may restart its clock
    }
    core::Status s = core::Ok {};
    QMetaObject::invokeMethod(
        m_session, [&] { s = m_session->start(); }, Qt::BlockingQueuedConnection);
    if (!s.ok()) {
        std::lock_guard lock(m_mutex);
        m_running = false;
        return s;
    }
    // Streaming once a frame (even one this backend cannot read) has come, or an error has.
    std::unique_lock lock(m_mutex);
    const bool streaming = m_cv.wait_for(lock, m_firstFrameTimeout,
        [&] { return !m_frames.empty() || m_unreadable > unreadableBefore || !m_error.isEmpty(); });
    if (!m_error.isEmpty() || !streaming) {
        const QString why = !m_error.isEmpty()
            ? m_error
            : QStringLiteral("camera \"%1\" started but delivered no frame in %2 s")
                  .arg(m_description)
                  .arg(double(m_firstFrameTimeout.count()) / 1000.0);
        lock.unlock();
        stop();
        return core::Error {why, QStringLiteral("camera")};
    }
    return core::Ok {};
}

void QtCamera::stop()
{
    QMetaObject::invokeMethod(
        m_session, [this] { m_session->stop(); }, Qt::BlockingQueuedConnection);
    std::lock_guard lock(m_mutex);
    m_running = false;
    m_frames.clear();
    m_cv.notify_all();
}

std::optional<CapturedFrame> QtCamera::waitFrame(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, timeout, [this] { return !m_frames.empty() || !m_error.isEmpty() || !m_running; });
    if (m_frames.empty())
        return std::nullopt;
    CapturedFrame f = std::move(m_frames.front());
    m_frames.pop_front();
    return f;
}

qint64 QtCamera::droppedFrames() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

qint64 QtCamera::unreadableFrames() const
{
    std::lock_guard lock(m_mutex);
    return m_unreadable;
}

bool QtCamera::setFrameStartObserver(std::function<void(MonoTime exposureStart)> observer)
{
    std::lock_guard lock(m_mutex);
    m_frameStartObserver = std::move(observer);
    return true;
}

QStringList QtCamera::notes() const
{
    std::lock_guard lock(m_mutex);
    QStringList n = m_notes;
    if (!m_error.isEmpty())
        n << m_error;
    if (m_unreadable > 0)
        n << QStringLiteral("%1 frame(s) came in a pixel format this backend cannot read and were not used")
                 .arg(m_unreadable);
    return n;
}

QtCamera::TimestampEstimate QtCamera::timestampEstimate() const
{
    std::lock_guard lock(m_mutex);
    return {m_clock.offsetNs().value_or(0), m_clock.frames(), m_clock.clockJumps(), m_clock.heldBack(),
        m_clock.repeats()};
}

void QtCamera::fail(const QString &error)
{
    std::lock_guard lock(m_mutex);
    m_error = error;
    m_cv.notify_all();
}

void QtCamera::deliverFrame(std::optional<core::Image16> image, qint64 startTimeUs, MonoTime arrival,
    std::chrono::microseconds exposure)
{
    std::function<void(MonoTime)> observer;
    MonoTime stamp = arrival;
    {
        std::lock_guard lock(m_mutex);
        if (!m_running || arrival < m_startedAt)
            return;  // stopped, or converted from before the latest start()
        if (!image) {
            ++m_unreadable;
            m_cv.notify_all();  // start() waits for a first frame, readable or not
            return;
        }
        const auto stamped = m_clock.stamp(
            startTimeUs >= 0 ? std::optional<qint64>(startTimeUs * 1000) : std::nullopt, arrival);
        if (stamped.repeat)
            return;  // the frame before, given again (counted by the clock): not a new exposure
        stamp = stamped.time;
        CapturedFrame f;
        f.image = std::move(*image);
        f.sequence = m_sequence++;
        f.exposureStart = stamp;
        f.sensorTimestamp = stamp;
        f.exposure = exposure;  // 0 when the camera keeps its own exposure: recorded as unknown
        f.analogueGain = 0;  // Qt Multimedia has no gain control or report: recorded as unknown
        if (int(m_frames.size()) >= m_queueDepth) {
            m_frames.pop_front();
            ++m_dropped;
        }
        m_frames.push_back(std::move(f));
        observer = m_frameStartObserver;
    }
    m_cv.notify_all();
    if (observer)
        observer(stamp);
}

}  // namespace scopesync::hal::qtcamera
