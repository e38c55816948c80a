// bench_frame_converter: libcamera raw frame -> Image16 conversion time against memcpy of the output size.
//
// Run:  build/bench/bench_frame_converter [runs=30]
// For each format and size (the IMX477's full 4056x3040 and binned 2028x1520 modes), fills a buffer of
// random bytes laid out as libcamera hands it over (stride rounded up to 32 bytes), then alternates
// convertFrame() with a memcpy of width x height x 2 bytes into a buffer kept between runs, and prints
// medians, p90 and the ratio time(convertFrame)/time(memcpy).
#include "hal/libcamera/frame_converter.h"

#include <libcamera/formats.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

using namespace scopesync;
using Clock = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    const double pos = p * double(v.size() - 1);
    const auto lo = std::size_t(pos);
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

struct Case {
    const char *name;
    ::libcamera::PixelFormat format;
    int width;
    int height;
    int bitsPerSample;  // in the buffer: 10 or 12 packed, 16 unpacked
};

}  // namespace

int main(int argc, char **argv)
{
    const int runs = argc > 1 ? std::max(5, std::atoi(argv[1])) : 30;
    namespace f = ::libcamera::formats;
    const Case cases[] = {
        {"SRGGB12_CSI2P", f::SRGGB12_CSI2P, 4056, 3040, 12},
        {"SRGGB12_CSI2P", f::SRGGB12_CSI2P, 2028, 1520, 12},
        {"SRGGB10_CSI2P", f::SRGGB10_CSI2P, 4056, 3040, 10},
        {"SRGGB10_CSI2P", f::SRGGB10_CSI2P, 2028, 1520, 10},
        {"SRGGB16", f::SRGGB16, 4056, 3040, 16},
        {"SRGGB12 (unpacked)", f::SRGGB12, 2028, 1520, 16},
    };
    std::printf(
        "bench_frame_converter: convertFrame() against memcpy of the output (w x h x 2 bytes), %d runs "
        "each; ratio = time(convert)/time(memcpy), the goal is <= ~2\n\n",
        runs);
    std::mt19937 rng(1234);
    volatile unsigned sink = 0;
    for (const Case &c : cases) {
        const int rowBytes = (c.width * c.bitsPerSample + 7) / 8;
        const int stride = (rowBytes + 31) / 32 * 32;
        std::vector<std::uint8_t> input(std::size_t(stride) * std::size_t(c.height));
        for (auto &b : input)
            b = std::uint8_t(rng());
        const std::size_t outBytes = std::size_t(c.width) * std::size_t(c.height) * 2;
        std::vector<std::uint8_t> copySrc(outBytes, 1), copyDst(outBytes);
        const hal::libcamera::FrameLayout layout {c.format, c.width, c.height, stride};
        std::vector<double> convMs, copyMs, ratios;
        for (int i = 0; i < runs; ++i) {
            auto t0 = Clock::now();
            auto img = hal::libcamera::convertFrame(layout, input.data(), input.size());
            const double conv = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            if (!img.ok()) {
                std::fprintf(stderr, "convertFrame failed: %s\n", qPrintable(img.error().message));
                return 1;
            }
            sink = sink + img.value().pixels[std::size_t(i)];
            t0 = Clock::now();
            std::memcpy(copyDst.data(), copySrc.data(), outBytes);
            const double copy = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            sink = sink + copyDst[std::size_t(i)];
            convMs.push_back(conv);
            copyMs.push_back(copy);
            ratios.push_back(conv / copy);
        }
        std::printf(
            "%-18s %4dx%-4d stride %5d: convert median %6.2f ms (p90 %6.2f)   memcpy %5.2f ms (p90 %5.2f)"
            "   ratio median %5.2f (p90 %5.2f)\n",
            c.name, c.width, c.height, stride, percentile(convMs, 0.5), percentile(convMs, 0.9),
            percentile(copyMs, 0.5), percentile(copyMs, 0.9), percentile(ratios, 0.5),
            percentile(ratios, 0.9));
    }
    return 0;
}
