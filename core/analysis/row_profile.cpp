// RowProfile: the mean signal above black of every sensor row of a frame, the input of uniformity scoring.
#include "core/analysis/row_profile.h"

#include <opencv2/core.hpp>

#include <algorithm>

namespace scopesync::core::analysis {

double RowProfile::defaultBlackLevel(int bitDepth)
{
    // 256 DN at 12 bits (the Pi's raw black level), scaled when samples carry more or fewer bits.
    const int shift = std::clamp(bitDepth, 8, 16) - 12;
    return shift >= 0 ? 256.0 * double(1 << shift) : 256.0 / double(1 << -shift);
}

RowProfile RowProfile::measure(const Image16 &image, bool vflip, double blackLevel)
{
    if (image.isEmpty() || image.width <= 0 || image.height <= 0)
        return {};
    const double black = blackLevel < 0 ? defaultBlackLevel(image.bitDepth) : blackLevel;
    // cv::Mat needs a non-const pointer but only reads here.
    const cv::Mat pixels(
        image.height, image.width, CV_16UC1, const_cast<quint16 *>(image.pixels.data()));  // NOLINT
    cv::Mat sums;
    cv::reduce(pixels, sums, 1, cv::REDUCE_SUM, CV_64F);
    std::vector<double> values(std::size_t(image.height));
    const double inv = 1.0 / double(image.width);
    for (int y = 0; y < image.height; ++y) {
        const int sensorRow = vflip ? image.height - 1 - y : y;
        values[std::size_t(sensorRow)] = sums.at<double>(y, 0) * inv - black;
    }
    return RowProfile(std::move(values));
}

RowProfile RowProfile::measureMedian(const Image16 &image, bool vflip, double blackLevel)
{
    if (image.isEmpty() || image.width <= 0 || image.height <= 0)
        return {};
    const double black = blackLevel < 0 ? defaultBlackLevel(image.bitDepth) : blackLevel;
    const int stride = image.width >= 64 ? 4 : 1;
    std::vector<quint16> buf;
    std::vector<double> values(std::size_t(image.height));
    for (int y = 0; y < image.height; ++y) {
        const quint16 *row = image.row(y);
        buf.clear();
        for (int x = 0; x < image.width; x += stride)
            buf.push_back(row[x]);
        auto mid = buf.begin() + std::ptrdiff_t(buf.size() / 2);
        std::nth_element(buf.begin(), mid, buf.end());
        const int sensorRow = vflip ? image.height - 1 - y : y;
        values[std::size_t(sensorRow)] = double(*mid) - black;
    }
    return RowProfile(std::move(values));
}

RowProfile RowProfile::ratioTo(const RowProfile &reference) const
{
    std::vector<double> out(m_values.size(), 0.0);
    for (std::size_t i = 0; i < m_values.size() && i < reference.m_values.size(); ++i) {
        // A reference row with no signal carries no information about the light: count it as lit.
        const double ref = reference.m_values[i];
        out[i] = ref > 1e-3 ? std::clamp(m_values[i] / ref, -1.0, 3.0) : 1.0;
    }
    return RowProfile(std::move(out));
}

RowProfile RowProfile::runningMedian(int window) const
{
    const int n = rows();
    const int half = std::max(0, window / 2);
    std::vector<double> out(m_values.size());
    std::vector<double> buf;
    for (int i = 0; i < n; ++i) {
        // The window slides inward at the ends rather than shrinking, so a bright line on the first or
        // last rows is still outvoted.
        const int a = std::clamp(i - half, 0, std::max(0, n - 1 - 2 * half));
        const int b = std::min(n - 1, a + 2 * half);
        buf.assign(m_values.begin() + a, m_values.begin() + b + 1);
        auto mid = buf.begin() + std::ptrdiff_t(buf.size() / 2);
        std::nth_element(buf.begin(), mid, buf.end());
        out[std::size_t(i)] = *mid;
    }
    return RowProfile(std::move(out));
}

RowProfile RowProfile::mean(const std::vector<const RowProfile *> &profiles)
{
    if (profiles.empty())
        return {};
    std::vector<double> out(profiles.front()->m_values.size(), 0.0);
    for (const RowProfile *p : profiles)
        for (std::size_t i = 0; i < out.size() && i < p->m_values.size(); ++i)
            out[i] += p->m_values[i];
    for (auto &v : out)
        v /= double(profiles.size());
    return RowProfile(std::move(out));
}

}  // namespace scopesync::core::analysis
