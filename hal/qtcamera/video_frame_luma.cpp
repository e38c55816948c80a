// A QVideoFrame's luminance as an Image16.
#include "hal/qtcamera/video_frame_luma.h"

#include <QImage>
#include <QVideoFrame>

namespace scopesync::hal::qtcamera {

using PF = QVideoFrameFormat::PixelFormat;

namespace {

// Byte offsets of R, G and B in a 4-byte pixel; the format names give the byte order in memory.
struct RgbOffsets {
    int r, g, b;
};

std::optional<RgbOffsets> rgbOffsets(PF format)
{
    switch (format) {
    case PF::Format_ARGB8888:
    case PF::Format_ARGB8888_Premultiplied:
    case PF::Format_XRGB8888: return RgbOffsets {1, 2, 3};
    case PF::Format_BGRA8888:
    case PF::Format_BGRA8888_Premultiplied:
    case PF::Format_BGRX8888: return RgbOffsets {2, 1, 0};
    case PF::Format_ABGR8888:
    case PF::Format_XBGR8888: return RgbOffsets {3, 2, 1};
    case PF::Format_RGBA8888:
    case PF::Format_RGBX8888: return RgbOffsets {0, 1, 2};
    default: return std::nullopt;
    }
}

// Formats whose first plane is 8-bit luminance, one byte per pixel.
bool yPlane8(PF format)
{
    switch (format) {
    case PF::Format_YUV420P:
    case PF::Format_YUV422P:
    case PF::Format_YV12:
    case PF::Format_NV12:
    case PF::Format_NV21:
    case PF::Format_IMC1:
    case PF::Format_IMC2:
    case PF::Format_IMC3:
    case PF::Format_IMC4:
    case PF::Format_Y8: return true;
    default: return false;
    }
}

}  // namespace

int lumaCost(PF format)
{
    if (yPlane8(format) || format == PF::Format_Y16 || format == PF::Format_P010 || format == PF::Format_P016)
        return 0;
    if (format == PF::Format_YUYV || format == PF::Format_UYVY)
        return 1;
    if (rgbOffsets(format))
        return 2;
    if (format == PF::Format_Jpeg)
        return 3;
    return -1;
}

QString pixelFormatName(PF format)
{
    QString name = QVideoFrameFormat::pixelFormatToString(format);
    if (name.startsWith(QLatin1String("Format_")))
        name.remove(0, 7);
    return name;
}

std::optional<core::Image16> luminanceOf(const QVideoFrame &frame)
{
    const PF format = frame.pixelFormat();
    const int w = frame.width();
    const int h = frame.height();
    if (w <= 0 || h <= 0 || lumaCost(format) < 0)
        return std::nullopt;
    if (format == PF::Format_Jpeg) {
        const QImage grey = frame.toImage().convertToFormat(QImage::Format_Grayscale8);
        if (grey.isNull())
            return std::nullopt;
        core::Image16 out(grey.width(), grey.height(), 8);
        for (int y = 0; y < out.height; ++y) {
            const uchar *src = grey.constScanLine(y);
            std::copy(src, src + out.width, out.row(y));
        }
        return out;
    }
    QVideoFrame mapped = frame;  // shares the buffer; mapping does not change the caller's frame
    if (!mapped.map(QVideoFrame::ReadOnly))
        return std::nullopt;
    const uchar *bits = mapped.bits(0);
    const int stride = mapped.bytesPerLine(0);
    std::optional<core::Image16> out;
    if (yPlane8(format)) {
        out.emplace(w, h, 8);
        for (int y = 0; y < h; ++y)
            std::copy(bits + std::size_t(y) * std::size_t(stride),
                bits + std::size_t(y) * std::size_t(stride) + w, out->row(y));
    } else if (format == PF::Format_Y16 || format == PF::Format_P010 || format == PF::Format_P016) {
        // P010 keeps its 10 bits at the top of each 16-bit sample.
        const int shift = format == PF::Format_P010 ? 6 : 0;
        out.emplace(w, h, format == PF::Format_P010 ? 10 : 16);
        for (int y = 0; y < h; ++y) {
            const auto *src = reinterpret_cast<const quint16 *>(bits + std::size_t(y) * std::size_t(stride));
            quint16 *dst = out->row(y);
            for (int x = 0; x < w; ++x)
                dst[x] = quint16(src[x] >> shift);
        }
    } else if (format == PF::Format_YUYV || format == PF::Format_UYVY) {
        const int first = format == PF::Format_YUYV ? 0 : 1;
        out.emplace(w, h, 8);
        for (int y = 0; y < h; ++y) {
            const uchar *src = bits + std::size_t(y) * std::size_t(stride) + first;
            quint16 *dst = out->row(y);
            for (int x = 0; x < w; ++x)
                dst[x] = src[2 * x];
        }
    } else if (const auto rgb = rgbOffsets(format)) {
        // BT.601 luma, weights in 1/256: 77 R + 150 G + 29 B, rounded.
        out.emplace(w, h, 8);
        for (int y = 0; y < h; ++y) {
            const uchar *src = bits + std::size_t(y) * std::size_t(stride);
            quint16 *dst = out->row(y);
            for (int x = 0; x < w; ++x) {
                const uchar *p = src + 4 * x;
                dst[x] = quint16((77 * p[rgb->r] + 150 * p[rgb->g] + 29 * p[rgb->b] + 128) >> 8);
            }
        }
    }
    mapped.unmap();
    return out;
}

}  // namespace scopesync::hal::qtcamera
