// frameThumbnail: a binned, stretched 8-bit view of a raw frame.
#include "ui/calibration/frame_thumbnail.h"

#include "core/analysis/row_profile.h"

#include <algorithm>
#include <vector>

namespace scopesync::ui {

QImage frameThumbnail(const core::Image16 &img, int maxSide)
{
    if (img.isEmpty() || maxSide <= 0)
        return {};
    const int step = std::max(1, (std::max(img.width, img.height) + maxSide - 1) / maxSide);
    const int w = img.width / step;
    const int h = img.height / step;
    if (w <= 0 || h <= 0)
        return {};
    std::vector<quint16> samples;
    samples.reserve(std::size_t(w) * std::size_t(h));
    for (int y = 0; y < h; ++y) {
        const quint16 *src = img.row(y * step);
        for (int x = 0; x < w; ++x)
            samples.push_back(src[x * step]);
    }
    const double black = core::analysis::RowProfile::defaultBlackLevel(img.bitDepth);
    std::vector<quint16> sorted(samples);
    const auto k = sorted.begin() + std::ptrdiff_t(double(sorted.size() - 1) * 0.995);
    std::nth_element(sorted.begin(), k, sorted.end());
    // At least 16 DN of range, so a dark frame stays dark instead of showing its noise at full contrast.
    const double top = std::max(double(*k), black + 16.0 * double(1 << std::max(0, img.bitDepth - 12)));
    const double scale = 255.0 / (top - black);
    QImage out(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
        uchar *dst = out.scanLine(y);
        const quint16 *src = samples.data() + std::size_t(y) * std::size_t(w);
        for (int x = 0; x < w; ++x)
            dst[x] = uchar(std::clamp((double(src[x]) - black) * scale, 0.0, 255.0));
    }
    return out;
}

}  // namespace scopesync::ui
