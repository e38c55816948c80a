// The camera port on libcamera: fixed controls, one raw or processed stream, frames with sensor metadata.
#include "hal/libcamera/libcamera_camera.h"

#include "hal/libcamera/camera_manager_access.h"
#include "hal/libcamera/frame_converter.h"

#include <libcamera/camera.h>
#include <libcamera/camera_manager.h>
#include <libcamera/control_ids.h>
#include <libcamera/formats.h>
#include <libcamera/framebuffer_allocator.h>
#include <libcamera/property_ids.h>
#include <libcamera/request.h>
#include <libcamera/version.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <sys/mman.h>

namespace scopesync::hal::libcamera {

namespace lc = ::libcamera;
namespace ctl = ::libcamera::controls;

struct LibcameraCamera::Controls {
    lc::ControlList list {ctl::controls};
    lc::PixelFormat format;
    lc::PixelFormat previewFormat;
};

core::Result<std::unique_ptr<LibcameraCamera>> LibcameraCamera::open(
    const LibcameraCameraConfig &config, const core::camera::CameraSettings &settings)
{
    auto manager = sharedCameraManager();
    if (!manager.ok())
        return manager.error();
    std::unique_ptr<LibcameraCamera> c(new LibcameraCamera);
    c->m_manager = manager.value();
    c->m_controls = std::make_unique<Controls>();
    c->m_queueDepth = std::max(1, config.queueDepth);

    const auto cameras = c->m_manager->cameras();
    if (cameras.empty())
        return core::Error {
            QStringLiteral("libcamera finds no camera; check the ribbon cable, the "
                           "'dtoverlay=%1' line in /boot/firmware/config.txt and 'rpicam-hello "
                           "--list-cameras'")
                .arg(config.sensor.isEmpty() ? QStringLiteral("imx477") : config.sensor),
            QStringLiteral("camera")};
    QStringList seen;
    for (const auto &cam : cameras) {
        const QString id = QString::fromStdString(cam->id());
        const auto model = cam->properties().get(lc::properties::Model);
        const QString modelName = model ? QString::fromStdString(*model) : QString();
        seen << QStringLiteral("%1 (%2)").arg(id, modelName);
        if (!config.cameraId.isEmpty()
                ? id == config.cameraId
                : (config.sensor.isEmpty() || modelName.compare(config.sensor, Qt::CaseInsensitive) == 0)) {
            c->m_camera = cam;
            c->m_model = modelName;
            break;
        }
    }
    if (!c->m_camera) {
        if (!config.cameraId.isEmpty())
            return core::Error {QStringLiteral("no camera '%1'; libcamera sees %2")
                                    .arg(config.cameraId, seen.join(QStringLiteral(", "))),
                QStringLiteral("camera")};
        // No sensor of the rig's kind: take the first camera and say so.
        c->m_camera = cameras.front();
        const auto model = c->m_camera->properties().get(lc::properties::Model);
        c->m_model = model ? QString::fromStdString(*model) : QString();
        c->m_notes << QStringLiteral("no %1 camera; using %2").arg(config.sensor, seen.constFirst());
    }
    if (c->m_camera->acquire() != 0)
        return core::Error {QStringLiteral("camera %1 is in use by another program; close it (rpicam-*, "
                                           "another scopesync) and retry")
                                .arg(QString::fromStdString(c->m_camera->id())),
            QStringLiteral("camera")};

    // One stream: raw Bayer when the run keeps raw samples, else the ISP's processed output; with a
    // preview, a second downscaled processed stream. A configuration is built, adjusted and validated by
    // `build`; when the preview makes it fail, or comes back unusable, it is built again without.
    const bool wantPreview = config.previewWidth > 0 && config.previewHeight > 0;
    QStringList buildNotes;
    bool refused = false;  // the last build was generated but failed validation
    const auto build = [&](bool raw, bool preview) -> std::unique_ptr<lc::CameraConfiguration> {
        buildNotes.clear();
        refused = false;
        std::vector<lc::StreamRole> roles {raw ? lc::StreamRole::Raw : lc::StreamRole::StillCapture};
        if (preview)
            roles.push_back(lc::StreamRole::Viewfinder);
        std::unique_ptr<lc::CameraConfiguration> cc = c->m_camera->generateConfiguration(roles);
        if (!cc || cc->empty())
            return nullptr;
        lc::StreamConfiguration &sc = cc->at(0);
        if (config.width > 0 && config.height > 0)
            sc.size
                = lc::Size(static_cast<unsigned int>(config.width), static_cast<unsigned int>(config.height));
        sc.bufferCount = static_cast<unsigned int>(std::max(2, config.bufferCount));
        if (!isConvertible(sc.pixelFormat)) {
            for (const lc::PixelFormat &pf : sc.formats().pixelformats()) {
                if (isConvertible(pf)) {
                    sc.pixelFormat = pf;
                    break;
                }
            }
        }
        if (preview && cc->size() > 1) {
            lc::StreamConfiguration &vf = cc->at(1);
            vf.size = lc::Size(static_cast<unsigned int>(config.previewWidth),
                static_cast<unsigned int>(config.previewHeight));
            vf.bufferCount = sc.bufferCount;
            // Luminance straight from a YUV plane is the cheapest; any processed format converts.
            const auto offered = vf.formats().pixelformats();
            const std::array preferred {lc::formats::YUV420, lc::formats::NV12, lc::formats::R8};
            const auto it = std::find_if(preferred.begin(), preferred.end(), [&](const lc::PixelFormat &pf) {
                return std::find(offered.begin(), offered.end(), pf) != offered.end();
            });
            if (it != preferred.end())
                vf.pixelFormat = *it;
            else if (!isConvertible(vf.pixelFormat) || isRawBayer(vf.pixelFormat))
                for (const lc::PixelFormat &pf : offered)
                    if (isConvertible(pf) && !isRawBayer(pf)) {
                        vf.pixelFormat = pf;
                        break;
                    }
        }
#if LIBCAMERA_VERSION_MAJOR > 0 || LIBCAMERA_VERSION_MINOR >= 2
        // Pin the sensor mode explicitly. SensorConfiguration is upstream v0.2.0; the fork's v0.1.0+rpt
        // backport cannot be told apart through version.h, so it goes unused there.
        if (raw && config.width > 0) {
            lc::SensorConfiguration sensorConfig;
            sensorConfig.bitDepth = 12;
            sensorConfig.outputSize = sc.size;
            cc->sensorConfig = sensorConfig;
        }
#endif
        auto status = cc->validate();
#if LIBCAMERA_VERSION_MAJOR > 0 || LIBCAMERA_VERSION_MINOR >= 2
        // The pinned 12-bit mode does not exist on every sensor or size (IMX296, IMX477 1332x990 are
        // 10-bit): the Pi pipeline then says Invalid, not Adjusted. Let it choose the mode from the raw
        // format and size.
        if (status == lc::CameraConfiguration::Invalid && cc->sensorConfig) {
            cc->sensorConfig.reset();
            status = cc->validate();
            buildNotes << QStringLiteral("no 12-bit sensor mode at %1x%2: the pipeline chose the mode")
                              .arg(config.width)
                              .arg(config.height);
        }
#endif
        if (status == lc::CameraConfiguration::Invalid) {
            refused = true;
            return nullptr;
        }
        if (status == lc::CameraConfiguration::Adjusted)
            buildNotes << QStringLiteral("the camera adjusted the stream to %1")
                              .arg(QString::fromStdString(cc->at(0).toString()));
        return cc;
    };
    // The preview stream is usable when it survived validation, converts to luminance and is the main
    // stream's size divided by a whole number (display pixels map onto sensor pixels by that bin).
    const auto previewProblem = [](const lc::CameraConfiguration &cc) -> QString {
        if (cc.size() < 2)
            return QStringLiteral("the camera offers no second stream");
        const lc::StreamConfiguration &sc = cc.at(0);
        const lc::StreamConfiguration &vf = cc.at(1);
        if (!isConvertible(vf.pixelFormat) || isRawBayer(vf.pixelFormat))
            return QStringLiteral("its preview stream is %1, not a processed format read here")
                .arg(QString::fromStdString(vf.pixelFormat.toString()));
        const unsigned bin = vf.size.width > 0 ? sc.size.width / vf.size.width : 0;
        if (bin < 1 || vf.size.width * bin != sc.size.width || vf.size.height * bin != sc.size.height)
            return QStringLiteral("its preview stream came out %1, not a whole fraction of %2")
                .arg(QString::fromStdString(vf.size.toString()), QString::fromStdString(sc.size.toString()));
        return {};
    };

    // With the preview when it is asked for and usable, else without it (and why in `noPreview`).
    QString noPreview;
    const auto buildWithPreview = [&](bool raw) {
        std::unique_ptr<lc::CameraConfiguration> built = build(raw, wantPreview);
        if (wantPreview && (!built || !previewProblem(*built).isEmpty())) {
            noPreview = built ? previewProblem(*built) : QStringLiteral("the camera refuses a second stream");
            built = build(raw, false);
        }
        return built;
    };
    std::unique_ptr<lc::CameraConfiguration> cc = buildWithPreview(config.raw);
    const auto refusal = [&] {
        return core::Error {
            QStringLiteral("the camera refuses a %1x%2 stream").arg(config.width).arg(config.height),
            QStringLiteral("camera")};
    };
    if (!cc && refused)
        return refusal();
    if (!cc) {
        if (!config.raw)
            return core::Error {
                QStringLiteral("the camera offers no processed stream"), QStringLiteral("camera")};
        // Pipelines without a raw stream (vimc): fall back to processed and say so.
        c->m_notes << QStringLiteral(
            "this camera has no raw stream; using the processed stream (luminance, 8 bit)");
        cc = buildWithPreview(false);
        if (!cc && refused)
            return refusal();
        if (!cc)
            return core::Error {QStringLiteral("the camera offers no stream"), QStringLiteral("camera")};
    }
    c->m_notes << buildNotes;
    if (!noPreview.isEmpty())
        c->m_notes << QStringLiteral(
            "no preview stream (%1): the live preview bins the full frame in software")
                          .arg(noPreview);
    lc::StreamConfiguration &sc = cc->at(0);
    if (c->m_camera->configure(cc.get()) != 0)
        return core::Error {
            QStringLiteral("configuring the camera (%1) failed").arg(QString::fromStdString(sc.toString())),
            QStringLiteral("camera")};
    if (!isConvertible(sc.pixelFormat))
        return core::Error {
            QStringLiteral("the camera delivers %1, which cannot be converted to an image here")
                .arg(QString::fromStdString(sc.pixelFormat.toString())),
            QStringLiteral("camera")};
    c->m_stream = sc.stream();
    c->m_controls->format = sc.pixelFormat;
    c->m_width = static_cast<int>(sc.size.width);
    c->m_height = static_cast<int>(sc.size.height);
    c->m_strideBytes = static_cast<int>(sc.stride);
    c->m_formatName = QString::fromStdString(sc.pixelFormat.toString());
    c->m_notes << QStringLiteral("stream %1 %2x%3%4")
                      .arg(c->m_formatName)
                      .arg(c->m_width)
                      .arg(c->m_height)
                      .arg(isRawBayer(sc.pixelFormat) ? QStringLiteral(" (raw)")
                                                      : QStringLiteral(" (processed, kept as luminance)"));
    if (cc->size() > 1) {
        const lc::StreamConfiguration &vf = cc->at(1);
        c->m_previewStream = vf.stream();
        c->m_controls->previewFormat = vf.pixelFormat;
        c->m_preview = {
            static_cast<int>(vf.size.width), static_cast<int>(vf.size.height), static_cast<int>(vf.stride)};
        c->m_notes << QStringLiteral(
            "preview stream %1 %2x%3 (1/%4 of the frame, processed, for the live preview)")
                          .arg(QString::fromStdString(vf.pixelFormat.toString()))
                          .arg(c->m_preview.width)
                          .arg(c->m_preview.height)
                          .arg(c->m_width / std::max(1, c->m_preview.width));
    }

    // Fixed controls, only those the camera has; the others are named.
    const lc::ControlInfoMap &available = c->m_camera->controls();
    const auto has = [&](const lc::ControlId &id) { return available.find(id.id()) != available.end(); };
    lc::ControlList &cl = c->m_controls->list;
    QStringList missing;
    if (has(ctl::AeEnable))
        cl.set(ctl::AeEnable, false);
    else
        missing << QStringLiteral("AeEnable");
    c->m_requestedExposure = settings.shutter.value_or(std::chrono::microseconds(0));
    c->m_requestedGain = settings.analogueGain.value_or(1.0);
    if (settings.shutter) {
        if (has(ctl::ExposureTime))
            cl.set(ctl::ExposureTime, static_cast<std::int32_t>(settings.shutter->count()));
        else
            missing << QStringLiteral("ExposureTime");
    }
    if (settings.analogueGain) {
        if (has(ctl::AnalogueGain))
            cl.set(ctl::AnalogueGain, static_cast<float>(*settings.analogueGain));
        else
            missing << QStringLiteral("AnalogueGain");
    }
    if (settings.awbGains) {
        if (has(ctl::AwbEnable))
            cl.set(ctl::AwbEnable, false);
        if (has(ctl::ColourGains))
            cl.set(ctl::ColourGains,
                lc::Span<const float, 2>({static_cast<float>(settings.awbGains->red),
                    static_cast<float>(settings.awbGains->blue)}));
        else
            missing << QStringLiteral("ColourGains");
    }
    if (config.frameDuration.count() > 0) {
        const auto us = static_cast<std::int64_t>(config.frameDuration.count() / 1000);
        if (has(ctl::FrameDurationLimits))
            cl.set(ctl::FrameDurationLimits, lc::Span<const std::int64_t, 2>({us, us}));
        else
            missing << QStringLiteral("FrameDurationLimits");
    }
    if (config.cameraSync != core::acquisition::CameraSync::Off) {
#ifdef LIBCAMERA_HAS_RPI_VENDOR_CONTROLS_SYNC_MODE
        if (!has(lc::controls::rpi::SyncMode))
            return core::Error {
                QStringLiteral("this camera's pipeline has no rpi::SyncMode control; camera "
                               "sync needs a Raspberry Pi camera on Raspberry Pi's libcamera"),
                QStringLiteral("camera_sync")};
        cl.set(lc::controls::rpi::SyncMode,
            config.cameraSync == core::acquisition::CameraSync::Server ? lc::controls::rpi::SyncModeServer
                                                                       : lc::controls::rpi::SyncModeClient);
        c->m_cameraSync = true;
#else
        return core::Error {QStringLiteral("this build's libcamera has no rpi::SyncMode (it is in Raspberry "
                                           "Pi's libcamera from v0.4.0+rpt, not in Debian's); build against "
                                           "it, or wire the trigger and use xvs-source or external"),
            QStringLiteral("camera_sync")};
#endif
    }
    if (!missing.isEmpty())
        c->m_notes << QStringLiteral("this camera has no %1 control%2: those settings are not applied; frame "
                                     "metadata without ExposureTime uses the requested shutter")
                          .arg(missing.join(QStringLiteral(", ")),
                              missing.size() > 1 ? QStringLiteral("s") : QString());

    // Buffers, mapped once, and one request per buffer (per pair of buffers with a preview stream).
    c->m_allocator = std::make_unique<lc::FrameBufferAllocator>(c->m_camera);
    if (c->m_allocator->allocate(c->m_stream) < 0
        || (c->m_previewStream && c->m_allocator->allocate(c->m_previewStream) < 0))
        return core::Error {QStringLiteral("allocating camera buffers failed (out of CMA memory? raise "
                                           "'dtoverlay=vc4-kms-v3d,cma-512' in config.txt)"),
            QStringLiteral("camera")};
    const auto map = [&](const lc::FrameBuffer &buffer) -> core::Status {
        const auto &planes = buffer.planes();
        // Every plane of a frame lies in one dmabuf here; map it whole and address the first plane.
        const int fd = planes[0].fd.get();
        std::size_t total = 0;
        for (const auto &p : planes)
            if (p.fd.get() == fd)
                total = std::max<std::size_t>(total, std::size_t(p.offset) + p.length);
        void *base = ::mmap(nullptr, total, PROT_READ, MAP_SHARED, fd, 0);
        if (base == MAP_FAILED)
            return core::Error {QStringLiteral("mapping a camera buffer failed: %1")
                                    .arg(QString::fromLocal8Bit(std::strerror(errno))),
                QStringLiteral("camera")};
        c->m_mappings[&buffer]
            = {static_cast<const std::uint8_t *>(base) + planes[0].offset, planes[0].length, base, total};
        return core::Ok {};
    };
    const auto &buffers = c->m_allocator->buffers(c->m_stream);
    for (std::size_t i = 0; i < buffers.size(); ++i) {
        const lc::FrameBuffer *preview = nullptr;
        if (c->m_previewStream) {
            const auto &previews = c->m_allocator->buffers(c->m_previewStream);
            if (i >= previews.size())
                break;
            preview = previews[i].get();
        }
        if (auto mapped = map(*buffers[i]); !mapped.ok())
            return mapped.error();
        if (preview)
            if (auto mapped = map(*preview); !mapped.ok())
                return mapped.error();
        std::unique_ptr<lc::Request> request = c->m_camera->createRequest();
        if (!request || request->addBuffer(c->m_stream, buffers[i].get()) != 0
            || (preview
                && request->addBuffer(c->m_previewStream, const_cast<lc::FrameBuffer *>(preview)) != 0))
            return core::Error {QStringLiteral("creating a camera request failed"), QStringLiteral("camera")};
        c->m_requests.push_back(std::move(request));
    }
    // Each completed frame kept holds a buffer: leave one for the consumer and one for the camera.
    c->m_queueDepth = std::max(1, std::min(c->m_queueDepth, int(c->m_requests.size()) - 2));
    c->m_camera->requestCompleted.connect(c.get(), &LibcameraCamera::onRequestCompleted);
    return c;
}

LibcameraCamera::~LibcameraCamera()
{
    stop();
    if (m_camera) {
        m_camera->requestCompleted.disconnect(this);
        m_completed.clear();
        m_requests.clear();
        for (const auto &[buffer, m] : m_mappings)
            ::munmap(m.base, m.mappedLength);
        m_allocator.reset();
        m_camera->release();
        m_camera.reset();
    }
}

core::Status LibcameraCamera::start()
{
    if (m_running)
        return core::Ok {};
    {
        const std::lock_guard lock(m_mutex);
        m_completed.clear();  // every request is queued below
        m_fault.clear();
        m_dropped = 0;
    }
    if (m_camera->start(&m_controls->list) != 0)
        return core::Error {QStringLiteral("the camera did not start streaming"), QStringLiteral("camera")};
    {
        const std::lock_guard lock(m_mutex);
        m_running = true;
    }
    for (auto &request : m_requests) {
        request->reuse(lc::Request::ReuseBuffers);
        if (m_camera->queueRequest(request.get()) != 0) {
            stop();
            return core::Error {QStringLiteral("queueing a camera request failed"), QStringLiteral("camera")};
        }
    }
    return core::Ok {};
}

void LibcameraCamera::stop()
{
    if (!m_running)
        return;
    {
        const std::lock_guard lock(m_mutex);
        m_running = false;
    }
    // Cancels every queued request; their completions arrive with RequestCancelled.
    m_camera->stop();
    m_frameReady.notify_all();
}

std::size_t LibcameraCamera::bytesUsed(const lc::FrameBuffer &buffer) const
{
    const auto &planes = buffer.metadata().planes();
    return planes.empty() ? m_mappings.at(&buffer).length : std::size_t(planes[0].bytesused);
}

void LibcameraCamera::onRequestCompleted(lc::Request *request)
{
    if (request->status() == lc::Request::RequestCancelled)
        return;
    // We are in libcamera's thread: read the metadata and hand the request over; no pixel is touched.
    Completed done;
    done.request = request;
    lc::FrameBuffer *buffer = request->findBuffer(m_stream);
    const auto &md = request->metadata();
    if (buffer) {
        core::acquisition::CapturedFrame &frame = done.frame;
        done.buffer = buffer;
        done.bytesUsed = bytesUsed(*buffer);
        frame.sequence = buffer->metadata().sequence;
        if (m_previewStream) {
            lc::FrameBuffer *preview = request->findBuffer(m_previewStream);
            if (preview && preview->metadata().status == lc::FrameMetadata::FrameSuccess) {
                done.previewBuffer = preview;
                done.previewBytesUsed = bytesUsed(*preview);
            }
        }
        const auto ts = md.get(ctl::SensorTimestamp);
        frame.sensorTimestamp
            = core::monoFromNs(ts ? *ts : static_cast<std::int64_t>(buffer->metadata().timestamp));
        const auto exposure = md.get(ctl::ExposureTime);
        frame.exposure = exposure ? std::chrono::microseconds(*exposure) : m_requestedExposure;
        const auto gain = md.get(ctl::AnalogueGain);
        frame.analogueGain = gain ? double(*gain) : m_requestedGain;
        // SensorTimestamp marks the start of the first row's readout, one exposure after its start.
        frame.exposureStart
            = frame.sensorTimestamp - std::chrono::duration_cast<std::chrono::nanoseconds>(frame.exposure);
#ifdef LIBCAMERA_HAS_RPI_VENDOR_CONTROLS_SYNC_READY
        if (m_cameraSync) {
            const auto ready = md.get(lc::controls::rpi::SyncReady);
            frame.syncReady = ready ? *ready : false;
        }
#endif
        if (m_frameStartObserver && request->status() == lc::Request::RequestComplete)
            m_frameStartObserver(frame.exposureStart);
    }
    lc::Request *back = nullptr;  // the request to give back to the camera, if any
    {
        const std::lock_guard lock(m_mutex);
        if (request->status() == lc::Request::RequestComplete && buffer) {
            m_completed.push_back(std::move(done));
            // One in, at most one out: the oldest frame nobody took is dropped and its buffer reused.
            if (int(m_completed.size()) > m_queueDepth) {
                back = m_completed.front().request;
                m_completed.pop_front();
                ++m_dropped;
            }
        } else {
            back = request;
        }
    }
    m_frameReady.notify_all();
    if (back)
        requeue(back);
}

void LibcameraCamera::requeue(lc::Request *request)
{
    {
        const std::lock_guard lock(m_mutex);
        if (!m_running)
            return;  // start() queues every request again
    }
    request->reuse(lc::Request::ReuseBuffers);
    m_camera->queueRequest(request);
}

std::optional<core::acquisition::CapturedFrame> LibcameraCamera::waitFrame(std::chrono::milliseconds timeout)
{
    Completed done;
    {
        std::unique_lock lock(m_mutex);
        if (!m_frameReady.wait_for(lock, timeout, [&] { return !m_completed.empty() || !m_running; })
            || m_completed.empty())
            return std::nullopt;
        done = std::move(m_completed.front());
        m_completed.pop_front();
    }
    // The buffer is ours until its request is queued again: convert it here, on the caller's thread.
    const Mapping &mapping = m_mappings.at(done.buffer);
    auto image = convertFrame({m_controls->format, m_width, m_height, m_strideBytes}, mapping.data,
        std::min(done.bytesUsed, mapping.length));
    if (image.ok())
        done.frame.image = std::move(image).value();
    if (done.previewBuffer && image.ok()) {
        // A preview that does not convert leaves the frame without one: the display then bins the image.
        const Mapping &pm = m_mappings.at(done.previewBuffer);
        auto preview = convertFrame(
            {m_controls->previewFormat, m_preview.width, m_preview.height, m_preview.strideBytes}, pm.data,
            std::min(done.previewBytesUsed, pm.length));
        if (preview.ok())
            done.frame.preview = std::move(preview).value();
    }
    requeue(done.request);
    return std::move(done.frame);
}

qint64 LibcameraCamera::droppedFrames() const
{
    const std::lock_guard lock(m_mutex);
    return m_dropped;
}

}  // namespace scopesync::hal::libcamera
