// The camera port on Qt Multimedia (QCamera → QMediaCaptureSession → QVideoSink): any camera Qt lists,
// USB (UVC) and other V4L2 cameras among them. It free-runs (no trigger wire), so LED timing on such a rig
// is only as good as its frame timestamps; see QtCamera::notes().
#pragma once

#include "core/acquisition/ports.h"
#include "core/timing/stream_clock.h"

#include <QSize>
#include <QStringList>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

class QThread;

namespace scopesync::hal::qtcamera {

struct QtCameraInfo {
    QString id;  // Qt's id (the GStreamer backend numbers its devices: not stable across boots)
    QString description;  // what the camera calls itself, "vivid" or "HD USB Camera": use this in rig files
    bool isDefault = false;
    QList<QSize> sizes;  // the resolutions it offers, largest first, without repeats
    // The highest frame rate at each of `sizes` in a format this backend reads; 0 where it reads none.
    QList<double> maxFps;
};

// The cameras Qt Multimedia sees. Needs a QCoreApplication; may take seconds (the media backend starts).
QList<QtCameraInfo> listCameras();

struct QtCameraConfig {
    QString device;  // the description (or id) of the camera; empty: Qt's default camera
    int width = 0;  // 0: the camera's largest size
    int height = 0;
    std::chrono::microseconds exposure {0};  // > 0: a fixed exposure, where the camera allows one
    int queueDepth = 4;  // frames kept for waitFrame(); older ones are dropped and counted
    // start() returns once the first frame has come (a media pipeline takes a while to start, longer than
    // a run waits between frames), or fails after this long without one.
    std::chrono::milliseconds firstFrameTimeout {30'000};
};

class QtCamera final : public core::acquisition::Camera {
public:
    // Finds the camera and picks its format. Errors name the cameras Qt does see.
    static core::Result<std::unique_ptr<QtCamera>> open(const QtCameraConfig &config);
    ~QtCamera() override;

    QtCamera(const QtCamera &) = delete;
    QtCamera &operator=(const QtCamera &) = delete;

    core::Status start() override;
    void stop() override;
    std::optional<core::acquisition::CapturedFrame> waitFrame(std::chrono::milliseconds timeout) override;
    [[nodiscard]] qint64 droppedFrames() const override;
    bool setFrameStartObserver(
        std::function<void(core::acquisition::MonoTime exposureStart)> observer) override;

    [[nodiscard]] QString description() const { return m_description; }
    [[nodiscard]] int width() const { return m_size.width(); }
    [[nodiscard]] int height() const { return m_size.height(); }
    // The frame rate of the format chosen (the highest the camera offers at that size and pixel format).
    [[nodiscard]] double frameRate() const { return m_frameRate; }
    // Whether the exposure was fixed as asked (the camera offers a manual exposure time).
    [[nodiscard]] bool exposureFixed() const override { return m_exposureFixed; }
    // What the camera could not do as asked (controls it ignores, how timestamps are made).
    [[nodiscard]] QStringList notes() const;
    // Frames Qt delivered in a pixel format this backend cannot read (counted, never passed on as images).
    [[nodiscard]] qint64 unreadableFrames() const;

    // Qt gives a frame's start time relative to the start of its pipeline; core::timing::StreamClock moves
    // it onto CLOCK_MONOTONIC (late by at most the quickest delivery, never early, always increasing).
    struct TimestampEstimate {
        qint64 offsetNs = 0;  // monotonic − start time
        qint64 frames = 0;  // frames that went into the estimate since the last start() or clock jump
        qint64 clockJumps = 0;  // times Qt's start times went back, each starting a new estimate
        qint64 heldBack = 0;  // stamps put just after the one before, to keep them increasing
        qint64 repeats = 0;  // frames with the start time of the one before: given again, not delivered
    };
    [[nodiscard]] TimestampEstimate timestampEstimate() const;

    // The QCamera and its session, living on the camera's own thread, and the thread that converts frames.
    class Session;

private:
    QtCamera() = default;
    // Called on the camera's thread.
    void fail(const QString &error);
    void deliverFrame(std::optional<core::Image16> image, qint64 startTimeUs,
        core::acquisition::MonoTime arrival, std::chrono::microseconds exposure);
    friend class Session;

    QString m_description;
    QSize m_size;
    double m_frameRate = 0;
    bool m_exposureFixed = false;
    QStringList m_notes;
    int m_queueDepth = 4;
    std::chrono::milliseconds m_firstFrameTimeout {30'000};
    std::unique_ptr<QThread> m_thread;
    Session *m_session = nullptr;  // owned by m_thread's event loop, deleted there

    mutable std::mutex m_mutex;  // guards everything below
    std::condition_variable m_cv;
    std::deque<core::acquisition::CapturedFrame> m_frames;
    bool m_running = false;
    core::acquisition::MonoTime m_startedAt {};  // frames that arrived before it are not delivered
    QString m_error;  // the camera's last error, reported by waitFrame's caller through notes()
    qint64 m_dropped = 0;
    qint64 m_unreadable = 0;
    qint64 m_sequence = 0;
    core::timing::StreamClock m_clock;
    std::function<void(core::acquisition::MonoTime)> m_frameStartObserver;
};

}  // namespace scopesync::hal::qtcamera
