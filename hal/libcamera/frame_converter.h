// Converts a libcamera frame buffer (raw Bayer, packed or not, 8-bit RGB or YUV luminance) to an Image16.
#pragma once

#include "core/common/image.h"
#include "core/common/result.h"

#include <QString>

#include <libcamera/pixel_format.h>

#include <cstddef>
#include <cstdint>

namespace scopesync::hal::libcamera {

struct FrameLayout {
    ::libcamera::PixelFormat format;
    int width = 0;
    int height = 0;
    int strideBytes = 0;
};

// Raw Bayer (8, 10, 12, 16 bits, unpacked or MIPI CSI-2 packed) keeps every sample, bitDepth = the
// format's; 24/32-bit RGB becomes luminance (Rec. 601 weights, bitDepth 8), since a processed stream
// has no raw samples left; YUV (YUV420, YVU420, NV12, NV21) and R8 give their luminance plane, 8 bits.
// `data` is the first plane. Other formats are refused with their name.
core::Result<core::Image16> convertFrame(
    const FrameLayout &layout, const std::uint8_t *data, std::size_t bytes);

// True when convertFrame() takes this format.
bool isConvertible(const ::libcamera::PixelFormat &format);
// True for Bayer formats (the raw stream).
bool isRawBayer(const ::libcamera::PixelFormat &format);

}  // namespace scopesync::hal::libcamera
