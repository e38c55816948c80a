// The camera port on libcamera: fixed controls, one raw or processed stream (and optionally a downscaled
// preview stream), frames with sensor metadata.
#pragma once

#include "core/acquisition/ports.h"
#include "core/acquisition/rig_description.h"
#include "core/camera/camera_settings.h"

#include <QStringList>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

namespace libcamera {
class Camera;
class CameraManager;
class FrameBuffer;
class FrameBufferAllocator;
class Request;
class Stream;
}  // namespace libcamera

namespace scopesync::hal::libcamera {

struct LibcameraCameraConfig {
    QString cameraId;  // empty: the first camera whose model matches `sensor`, else the first camera
    QString sensor;  // "imx477"; only used to choose the camera
    int width = 0;  // the sensor mode (raw) or the output size (processed); 0: the pipeline's default
    int height = 0;
    bool raw = true;  // raw Bayer stream; false: the ISP's processed stream (luminance)
    std::chrono::nanoseconds frameDuration {0};  // fixed frame duration; 0: leave to the pipeline
    // Raspberry Pi software camera sync (rpi::SyncMode); anything but Off needs Raspberry Pi's libcamera.
    core::acquisition::CameraSync cameraSync = core::acquisition::CameraSync::Off;
    // A second, downscaled processed stream for the live preview (StreamRole::Viewfinder; on a Pi the ISP
    // scales it): its size, a whole fraction of the stream's. 0: none. A camera without a second stream
    // says so in notes() and delivers frames without a preview.
    int previewWidth = 0;
    int previewHeight = 0;
    int bufferCount = 4;
    // Completed frames kept for waitFrame(); older ones are dropped and counted. Each holds a buffer, so
    // at most the buffers less two are kept: one may be with the consumer and one is always with the camera.
    int queueDepth = 4;
};

class LibcameraCamera final : public core::acquisition::Camera {
public:
    // Acquires and configures the camera. The settings' shutter, gain and colour gains become fixed
    // controls (AeEnable and AwbEnable false); controls the camera lacks are listed in notes().
    static core::Result<std::unique_ptr<LibcameraCamera>> open(
        const LibcameraCameraConfig &config, const core::camera::CameraSettings &settings);
    ~LibcameraCamera() override;

    LibcameraCamera(const LibcameraCamera &) = delete;
    LibcameraCamera &operator=(const LibcameraCamera &) = delete;

    core::Status start() override;
    void stop() override;
    std::optional<core::acquisition::CapturedFrame> waitFrame(std::chrono::milliseconds timeout) override;
    [[nodiscard]] qint64 droppedFrames() const override;
    bool setFrameStartObserver(std::function<void(core::acquisition::MonoTime)> observer) override
    {
        m_frameStartObserver = std::move(observer);
        return true;
    }

    // What was configured and what could not be: "stream SRGGB12_CSI2P 4056x3040", "no ExposureTime
    // control on this camera: exposure start estimated from the requested shutter".
    [[nodiscard]] QStringList notes() const { return m_notes; }
    [[nodiscard]] QString model() const { return m_model; }
    [[nodiscard]] int width() const { return m_width; }
    [[nodiscard]] int height() const { return m_height; }

private:
    // A request the camera has completed, handed over as it is: its buffer is converted in waitFrame()
    // on the consumer's thread, and the request goes back to the camera once that is done.
    struct Completed {
        ::libcamera::Request *request = nullptr;
        const ::libcamera::FrameBuffer *buffer = nullptr;
        std::size_t bytesUsed = 0;
        const ::libcamera::FrameBuffer *previewBuffer = nullptr;  // the preview stream's, when it has one
        std::size_t previewBytesUsed = 0;
        core::acquisition::CapturedFrame frame;  // metadata read in the callback; no image yet
    };

    LibcameraCamera() = default;
    // libcamera's thread: reads the metadata, tells the frame-start observer, queues the request.
    void onRequestCompleted(::libcamera::Request *request);
    // The valid bytes of a completed buffer's first plane (its whole mapping when the pipeline says none).
    std::size_t bytesUsed(const ::libcamera::FrameBuffer &buffer) const;
    // Gives a request back to the camera while it runs (from either thread).
    void requeue(::libcamera::Request *request);

    std::function<void(core::acquisition::MonoTime)> m_frameStartObserver;  // set before start()
    std::shared_ptr<::libcamera::CameraManager> m_manager;
    std::shared_ptr<::libcamera::Camera> m_camera;
    std::unique_ptr<::libcamera::FrameBufferAllocator> m_allocator;
    std::vector<std::unique_ptr<::libcamera::Request>> m_requests;
    ::libcamera::Stream *m_stream = nullptr;
    ::libcamera::Stream *m_previewStream = nullptr;  // null: no preview stream
    struct Mapping {
        const std::uint8_t *data = nullptr;
        std::size_t length = 0;
        void *base = nullptr;
        std::size_t mappedLength = 0;
    };
    std::map<const void *, Mapping> m_mappings;  // FrameBuffer → its mapped first plane
    struct Controls;
    std::unique_ptr<Controls> m_controls;
    QStringList m_notes;
    QString m_model;
    QString m_formatName;
    int m_width = 0;
    int m_height = 0;
    int m_strideBytes = 0;
    struct PreviewLayout {
        int width = 0;
        int height = 0;
        int strideBytes = 0;
    } m_preview;
    std::chrono::microseconds m_requestedExposure {0};
    double m_requestedGain = 1.0;
    [[maybe_unused]] bool m_cameraSync = false;  // rpi::SyncMode was set: report SyncReady per frame
    int m_queueDepth = 4;  // completed requests kept at most (see LibcameraCameraConfig::queueDepth)
    bool m_running = false;

    // Guards m_running, m_completed, m_dropped and m_fault. m_running is written only on the consumer's
    // thread (start/stop) and read under the lock on libcamera's.
    mutable std::mutex m_mutex;
    std::condition_variable m_frameReady;
    std::deque<Completed> m_completed;  // oldest first; their requests are not with the camera
    qint64 m_dropped = 0;
    QString m_fault;
};

}  // namespace scopesync::hal::libcamera
