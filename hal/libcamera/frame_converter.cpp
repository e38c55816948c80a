// Converts a libcamera frame buffer (raw Bayer, packed or not, or 8-bit RGB) to an Image16.
#include "hal/libcamera/frame_converter.h"

#include "core/common/vector_state.h"

#include <libcamera/formats.h>

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <tmmintrin.h>
#endif

namespace scopesync::hal::libcamera {

namespace f = ::libcamera::formats;

namespace {
enum class Packing { Bytes, Le16, Csi2p10, Csi2p12, Rgb24, Bgr24, Xrgb32, Xbgr32, Luma8 };
struct FormatInfo {
    Packing packing;
    int bitDepth;
};

std::optional<FormatInfo> infoFor(const ::libcamera::PixelFormat &pf)
{
    const std::array<std::pair<::libcamera::PixelFormat, FormatInfo>, 35> table {{
        {f::SRGGB8, {Packing::Bytes, 8}},
        {f::SGRBG8, {Packing::Bytes, 8}},
        {f::SGBRG8, {Packing::Bytes, 8}},
        {f::SBGGR8, {Packing::Bytes, 8}},
        {f::SRGGB10, {Packing::Le16, 10}},
        {f::SGRBG10, {Packing::Le16, 10}},
        {f::SGBRG10, {Packing::Le16, 10}},
        {f::SBGGR10, {Packing::Le16, 10}},
        {f::SRGGB12, {Packing::Le16, 12}},
        {f::SGRBG12, {Packing::Le16, 12}},
        {f::SGBRG12, {Packing::Le16, 12}},
        {f::SBGGR12, {Packing::Le16, 12}},
        {f::SRGGB16, {Packing::Le16, 16}},
        {f::SGRBG16, {Packing::Le16, 16}},
        {f::SGBRG16, {Packing::Le16, 16}},
        {f::SBGGR16, {Packing::Le16, 16}},
        {f::SRGGB10_CSI2P, {Packing::Csi2p10, 10}},
        {f::SGRBG10_CSI2P, {Packing::Csi2p10, 10}},
        {f::SGBRG10_CSI2P, {Packing::Csi2p10, 10}},
        {f::SBGGR10_CSI2P, {Packing::Csi2p10, 10}},
        {f::SRGGB12_CSI2P, {Packing::Csi2p12, 12}},
        {f::SGRBG12_CSI2P, {Packing::Csi2p12, 12}},
        {f::SGBRG12_CSI2P, {Packing::Csi2p12, 12}},
        {f::SBGGR12_CSI2P, {Packing::Csi2p12, 12}},
        // DRM names are little-endian words: RGB888 is B, G, R in memory.
        {f::RGB888, {Packing::Bgr24, 8}},
        {f::BGR888, {Packing::Rgb24, 8}},
        {f::XRGB8888, {Packing::Xrgb32, 8}},
        {f::ARGB8888, {Packing::Xrgb32, 8}},
        {f::XBGR8888, {Packing::Xbgr32, 8}},
        {f::ABGR8888, {Packing::Xbgr32, 8}},
        // YUV: the first plane is the luminance, one byte per pixel.
        {f::YUV420, {Packing::Luma8, 8}},
        {f::YVU420, {Packing::Luma8, 8}},
        {f::NV12, {Packing::Luma8, 8}},
        {f::NV21, {Packing::Luma8, 8}},
        {f::R8, {Packing::Luma8, 8}},
    }};
    for (const auto &[format, info] : table)
        if (format == pf)
            return info;
    return std::nullopt;
}

quint16 luma(int r, int g, int b)
{
    return static_cast<quint16>((299 * r + 587 * g + 114 * b + 500) / 1000);
}

int minStride(Packing p, int width)
{
    switch (p) {
    case Packing::Bytes:
    case Packing::Luma8: return width;
    case Packing::Le16: return width * 2;
    // A partial last group still carries its byte of low bits at the group's end.
    case Packing::Csi2p10: return (width + 3) / 4 * 5;
    case Packing::Csi2p12: return (width + 1) / 2 * 3;
    case Packing::Rgb24:
    case Packing::Bgr24: return width * 3;
    case Packing::Xrgb32:
    case Packing::Xbgr32: return width * 4;
    }
    return width;
}
// Whole rows in tight loops, one per packing: no per-sample division, branch or call, so the compiler can
// vectorise them (on aarch64 the 3- and 5-byte groups map onto structure loads).
void unpackBytes(const std::uint8_t *s, quint16 *d, int w)
{
    for (int x = 0; x < w; ++x)
        d[x] = s[x];
}

void unpackLe16(const std::uint8_t *s, quint16 *d, int w)
{
    if constexpr (Q_BYTE_ORDER == Q_LITTLE_ENDIAN) {
        std::memcpy(d, s, std::size_t(w) * 2);
    } else {
        for (int x = 0; x < w; ++x)
            d[x] = static_cast<quint16>(s[2 * x] | (s[2 * x + 1] << 8));
    }
}

// Four samples in five bytes: the high 8 bits of each, then a byte of the four low pairs. On x86-64 an
// SSSE3 version (pshufb) is chosen at run time; compilers leave this loop scalar (4× a memcpy).
inline __attribute__((always_inline)) void unpackCsi2p10Body(const std::uint8_t *s, quint16 *d, int w)
{
    const int groups = w / 4;
    for (int g = 0; g < groups; ++g) {
        const std::uint8_t *q = s + 5 * g;
        const unsigned low = q[4];
        d[4 * g] = static_cast<quint16>((q[0] << 2) | (low & 0x3));
        d[4 * g + 1] = static_cast<quint16>((q[1] << 2) | ((low >> 2) & 0x3));
        d[4 * g + 2] = static_cast<quint16>((q[2] << 2) | ((low >> 4) & 0x3));
        d[4 * g + 3] = static_cast<quint16>((q[3] << 2) | (low >> 6));
    }
    const std::uint8_t *q = s + 5 * groups;
    for (int i = 0; i < w - 4 * groups; ++i)
        d[4 * groups + i] = static_cast<quint16>((q[i] << 2) | ((q[4] >> (2 * i)) & 0x3));
}

#if defined(__x86_64__)
// CSI-2 packings with SSSE3: 8 samples per step (`StepBytes` of a 16-byte load, which must stay inside the
// row). Each sample's high byte and the byte holding its low bits are shuffled into 16-bit lanes; a
// per-lane multiply brings that sample's `LowBits` low bits to the top of the lane's low byte, where one
// shift and a mask take them. `Tail` unpacks the samples after the last whole step.
template <int LowBits, int StepBytes, void (*Tail)(const std::uint8_t *, quint16 *, int)>
__attribute__((target("ssse3"))) void unpackCsi2Ssse3(const std::uint8_t *s, quint16 *d, int w, int rowBytes,
    __m128i highBytes, __m128i lowBytes, __m128i toTop)
{
    const __m128i mask = _mm_set1_epi16((1 << LowBits) - 1);
    int x = 0;
    int j = 0;
    for (; x + 8 <= w && StepBytes * j + 16 <= rowBytes; x += 8, ++j) {
        __m128i v;
        std::memcpy(&v, s + StepBytes * j, sizeof v);
        const __m128i high = _mm_slli_epi16(_mm_shuffle_epi8(v, highBytes), LowBits);
        const __m128i low = _mm_and_si128(
            _mm_srli_epi16(_mm_mullo_epi16(_mm_shuffle_epi8(v, lowBytes), toTop), 8 - LowBits), mask);
        const __m128i out = _mm_or_si128(high, low);
        std::memcpy(d + x, &out, sizeof out);
    }
    // The rest (x is a whole number of groups): one sample at a time.
    Tail(s + StepBytes * j, d + x, w - x);
}

// Two groups (8 samples, 10 bytes) per step; sample i's low pair sits at bits 2i of its group's fifth byte.
__attribute__((target("ssse3"))) void unpackCsi2p10Ssse3(const std::uint8_t *s, quint16 *d, int w)
{
    unpackCsi2Ssse3<2, 10, unpackCsi2p10Body>(s, d, w, (w + 3) / 4 * 5,
        _mm_setr_epi8(0, -1, 1, -1, 2, -1, 3, -1, 5, -1, 6, -1, 7, -1, 8, -1),
        _mm_setr_epi8(4, -1, 4, -1, 4, -1, 4, -1, 9, -1, 9, -1, 9, -1, 9, -1),
        _mm_setr_epi16(64, 16, 4, 1, 64, 16, 4, 1));
}
#endif

void unpackCsi2p10(const std::uint8_t *s, quint16 *d, int w)
{
#if defined(__x86_64__)
    static const bool ssse3 = __builtin_cpu_supports("ssse3");
    if (ssse3) {
        unpackCsi2p10Ssse3(s, d, w);
        return;
    }
#endif
    unpackCsi2p10Body(s, d, w);
}

// Two samples in three bytes: the high 8 bits of each, then a byte of the two low nibbles. The reference
// rig's format: aarch64 vectorises this loop with structure loads (ld3); x86-64's baseline (SSE2) has no
// byte shuffle and leaves it scalar, 4× a memcpy, so an SSSE3 version (pshufb, every x86-64 CPU since
// 2006) is chosen at run time where the CPU has it.
inline __attribute__((always_inline)) void unpackCsi2p12Body(const std::uint8_t *s, quint16 *d, int w)
{
    const int pairs = w / 2;
    for (int g = 0; g < pairs; ++g) {
        const std::uint8_t *q = s + 3 * g;
        const unsigned low = q[2];
        d[2 * g] = static_cast<quint16>((q[0] << 4) | (low & 0xf));
        d[2 * g + 1] = static_cast<quint16>((q[1] << 4) | (low >> 4));
    }
    if (w % 2 != 0) {
        const std::uint8_t *q = s + 3 * pairs;
        d[w - 1] = static_cast<quint16>((q[0] << 4) | (q[2] & 0xf));
    }
}

#if defined(__x86_64__)
// Four pairs (8 samples, 12 bytes) per step: even samples take their pair's low nibble, odd ones its high.
__attribute__((target("ssse3"))) void unpackCsi2p12Ssse3(const std::uint8_t *s, quint16 *d, int w)
{
    unpackCsi2Ssse3<4, 12, unpackCsi2p12Body>(s, d, w, (w + 1) / 2 * 3,
        _mm_setr_epi8(0, -1, 1, -1, 3, -1, 4, -1, 6, -1, 7, -1, 9, -1, 10, -1),
        _mm_setr_epi8(2, -1, 2, -1, 5, -1, 5, -1, 8, -1, 8, -1, 11, -1, 11, -1),
        _mm_setr_epi16(16, 1, 16, 1, 16, 1, 16, 1));
}
#endif

void unpackCsi2p12(const std::uint8_t *s, quint16 *d, int w)
{
#if defined(__x86_64__)
    static const bool ssse3 = __builtin_cpu_supports("ssse3");
    if (ssse3) {
        unpackCsi2p12Ssse3(s, d, w);
        return;
    }
#endif
    unpackCsi2p12Body(s, d, w);
}

void lumaRgb(const std::uint8_t *s, quint16 *d, int w, int step, int r, int g, int b)
{
    for (int x = 0; x < w; ++x)
        d[x] = luma(s[step * x + r], s[step * x + g], s[step * x + b]);
}
}  // namespace

bool isConvertible(const ::libcamera::PixelFormat &format)
{
    return infoFor(format).has_value();
}

bool isRawBayer(const ::libcamera::PixelFormat &format)
{
    const auto info = infoFor(format);
    return info && info->packing != Packing::Rgb24 && info->packing != Packing::Bgr24
        && info->packing != Packing::Xrgb32 && info->packing != Packing::Xbgr32
        && info->packing != Packing::Luma8;
}

core::Result<core::Image16> convertFrame(
    const FrameLayout &layout, const std::uint8_t *data, std::size_t bytes)
{
    core::clearUpperVectorState();
    const auto info = infoFor(layout.format);
    if (!info)
        return core::Error {QStringLiteral("pixel format %1 cannot be converted; use a raw Bayer stream, "
                                           "RGB888/BGR888/XRGB8888 or YUV420/NV12")
                                .arg(QString::fromStdString(layout.format.toString())),
            QStringLiteral("camera")};
    if (layout.width <= 0 || layout.height <= 0)
        return core::Error {QStringLiteral("frame size %1x%2 is empty").arg(layout.width).arg(layout.height),
            QStringLiteral("camera")};
    const int stride = layout.strideBytes > 0 ? layout.strideBytes : minStride(info->packing, layout.width);
    if (stride < minStride(info->packing, layout.width)
        || bytes < std::size_t(stride) * std::size_t(layout.height - 1)
                + std::size_t(minStride(info->packing, layout.width)))
        return core::Error {QStringLiteral("frame buffer of %1 bytes is too small for %2 %3x%4 (stride %5)")
                                .arg(bytes)
                                .arg(QString::fromStdString(layout.format.toString()))
                                .arg(layout.width)
                                .arg(layout.height)
                                .arg(stride),
            QStringLiteral("camera")};

    core::Image16 img(layout.width, layout.height, info->bitDepth);
    const int w = layout.width;
    const auto eachRow = [&](auto unpackRow) {
        for (int y = 0; y < layout.height; ++y)
            unpackRow(data + std::size_t(y) * std::size_t(stride), img.row(y));
    };
    switch (info->packing) {
    case Packing::Bytes:
    case Packing::Luma8: eachRow([w](const std::uint8_t *s, quint16 *d) { unpackBytes(s, d, w); }); break;
    case Packing::Le16: eachRow([w](const std::uint8_t *s, quint16 *d) { unpackLe16(s, d, w); }); break;
    case Packing::Csi2p10: eachRow([w](const std::uint8_t *s, quint16 *d) { unpackCsi2p10(s, d, w); }); break;
    case Packing::Csi2p12: eachRow([w](const std::uint8_t *s, quint16 *d) { unpackCsi2p12(s, d, w); }); break;
    case Packing::Rgb24:
        eachRow([w](const std::uint8_t *s, quint16 *d) { lumaRgb(s, d, w, 3, 0, 1, 2); });
        break;
    case Packing::Bgr24:
        eachRow([w](const std::uint8_t *s, quint16 *d) { lumaRgb(s, d, w, 3, 2, 1, 0); });
        break;
    case Packing::Xrgb32:
        eachRow([w](const std::uint8_t *s, quint16 *d) { lumaRgb(s, d, w, 4, 2, 1, 0); });
        break;
    case Packing::Xbgr32:
        eachRow([w](const std::uint8_t *s, quint16 *d) { lumaRgb(s, d, w, 4, 0, 1, 2); });
        break;
    }
    return img;
}

}  // namespace scopesync::hal::libcamera
