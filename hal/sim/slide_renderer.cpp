// Renders the synthetic slide (grid, fluorescent spots, vignetting, shot noise) under per-row light.
#include "hal/sim/slide_renderer.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace scopesync::hal::sim {

namespace {
constexpr std::size_t kNoiseTableSize = 1 << 16;
}

SlideRenderer::SlideRenderer(int width, int height, quint64 seed)
    : m_width(width), m_height(height), m_slide(std::size_t(width) * std::size_t(height)), m_rng(seed)
{
    // Background: weak autofluorescence with vignetting, brighter in the centre like a real field.
    const double cx = width / 2.0, cy = height / 2.0;
    const double r2max = cx * cx + cy * cy;
    for (int y = 0; y < height; ++y) {
        float *row = m_slide.data() + std::size_t(y) * std::size_t(width);
        for (int x = 0; x < width; ++x) {
            const double r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / r2max;
            row[x] = static_cast<float>(0.08 * (1.0 - 0.35 * r2));
        }
    }
    // A registration grid etched in the slide: brighter lines every 1/16 of the width.
    const int pitch = std::max(16, width / 16);
    const int lineWidth = std::max(1, width / 1000);
    for (int y = 0; y < height; ++y) {
        float *row = m_slide.data() + std::size_t(y) * std::size_t(width);
        const bool onRow = (y % pitch) < lineWidth;
        for (int x = 0; x < width; ++x)
            if (onRow || (x % pitch) < lineWidth)
                row[x] += 0.15f;
    }
    // Fluorescent spots (DNA clusters): Gaussian blobs of random brightness.
    std::uniform_real_distribution<double> ux(0, width), uy(0, height), ub(0.3, 1.0);
    const int spots = std::max(50, width * height / 6000);
    const double sigma = std::max(1.0, width / 1500.0);
    const int reach = int(std::ceil(3 * sigma));
    for (int i = 0; i < spots; ++i) {
        const double sx = ux(m_rng), sy = uy(m_rng), b = ub(m_rng);
        for (int y = std::max(0, int(sy) - reach); y <= std::min(height - 1, int(sy) + reach); ++y) {
            float *row = m_slide.data() + std::size_t(y) * std::size_t(width);
            for (int x = std::max(0, int(sx) - reach); x <= std::min(width - 1, int(sx) + reach); ++x) {
                const double d2 = (x - sx) * (x - sx) + (y - sy) * (y - sy);
                row[x] += static_cast<float>(b * std::exp(-d2 / (2 * sigma * sigma)));
            }
        }
    }
    std::normal_distribution<float> n01;
    m_noise.resize(kNoiseTableSize);
    for (auto &v : m_noise)
        v = n01(m_rng);
}

core::Image16 SlideRenderer::render(const std::vector<double> &rowExposure, double analogueGain, bool vflip,
    bool hflip, double defocusSigmaPx)
{
    // Sub-0.05 px changes of blur are invisible; rounding keeps the cache hit while the focus holds still.
    const double sigma = std::round(std::max(0.0, defocusSigmaPx) * 20.0) / 20.0;
    if (sigma > 0.0 && sigma != m_defocusSigmaPx) {
        m_defocused.resize(m_slide.size());
        const cv::Mat src(m_height, m_width, CV_32F, m_slide.data());
        cv::Mat dst(m_height, m_width, CV_32F, m_defocused.data());
        cv::GaussianBlur(src, dst, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT101);
        m_defocusSigmaPx = sigma;
    }
    const std::vector<float> &slide = sigma > 0.0 ? m_defocused : m_slide;
    core::Image16 img(m_width, m_height, 12);
    const double dnPerUs = kSpotDnPerUsAtGain1 * analogueGain;
    // Shot noise: variance in DN grows with the signal × gain (one DN ≈ `gain`/4 electrons here).
    for (int y = 0; y < m_height; ++y) {
        // A fresh random start and odd stride per row keep the cycled table free of visible patterns.
        const quint64 r = m_rng();
        std::size_t cursor = std::size_t(r) & (kNoiseTableSize - 1);
        const std::size_t stride = (std::size_t(r >> 20) & 0x3fff) * 2 + 1;
        const int sensorRow = vflip ? m_height - 1 - y : y;
        const double dose = sensorRow < int(rowExposure.size()) ? rowExposure[std::size_t(sensorRow)] : 0.0;
        const float scale = static_cast<float>(dose * dnPerUs);
        const float readNoise = 2.5f;
        const float *src = slide.data() + std::size_t(y) * std::size_t(m_width);
        quint16 *dst = img.row(y);
        for (int x = 0; x < m_width; ++x) {
            const float signal = src[hflip ? m_width - 1 - x : x] * scale;
            const float sd
                = std::sqrt(signal * static_cast<float>(analogueGain) * 0.25f + readNoise * readNoise);
            cursor = (cursor + stride) & (kNoiseTableSize - 1);
            const float v = static_cast<float>(kBlackLevel) + signal + sd * m_noise[cursor];
            dst[x] = static_cast<quint16>(std::clamp(v, 0.0f, static_cast<float>(kMaxValue)));
        }
    }
    return img;
}

}  // namespace scopesync::hal::sim
