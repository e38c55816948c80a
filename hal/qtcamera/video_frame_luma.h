// A QVideoFrame's luminance as an Image16: the Y plane of YUV formats, BT.601 luma of RGB ones, 16-bit grey
// as it is. 8-bit sources keep their values (bitDepth 8): widened to 16-bit samples, never rescaled.
#pragma once

#include "core/common/image.h"

#include <QString>
#include <QVideoFrameFormat>

#include <optional>

class QVideoFrame;

namespace scopesync::hal::qtcamera {

// What reading a format's luminance costs, for choosing among a camera's formats: 0 a plane as it is, 1
// every other byte, 2 a weighted sum per pixel, 3 a JPEG decode; −1 a format this backend cannot read.
int lumaCost(QVideoFrameFormat::PixelFormat format);

// "YUYV", "NV12", "XRGB8888", …
QString pixelFormatName(QVideoFrameFormat::PixelFormat format);

// nullopt for a format lumaCost() calls unreadable, or a frame that cannot be mapped.
std::optional<core::Image16> luminanceOf(const QVideoFrame &frame);

}  // namespace scopesync::hal::qtcamera
