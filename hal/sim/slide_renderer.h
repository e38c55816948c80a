// Renders the synthetic slide (grid, fluorescent spots, vignetting, shot noise) under per-row light.
#pragma once

#include "core/common/image.h"

#include <QtGlobal>

#include <random>
#include <vector>

namespace scopesync::hal::sim {

class SlideRenderer {
public:
    SlideRenderer(int width, int height, quint64 seed);

    // `rowExposure[r]` is the light dose sensor row r received (LED-on µs × duty). `vflip`/`hflip`
    // map sensor rows/columns to image rows/columns as the camera's flips do. 12-bit samples.
    // `defocusSigmaPx`: the optical image is out of focus, blurred by a Gaussian of this width (pixels);
    // the sensor's noise stays sharp.
    core::Image16 render(const std::vector<double> &rowExposure, double analogueGain, bool vflip, bool hflip,
        double defocusSigmaPx = 0.0);

    // Signal in DN per µs of full-duty light at gain 1, for the brightest spot centre (for tests).
    static constexpr double kSpotDnPerUsAtGain1 = 0.0025;
    static constexpr int kBlackLevel = 256;  // the Pi's 12-bit raw black level
    static constexpr int kMaxValue = 4095;

    [[nodiscard]] int width() const { return m_width; }
    [[nodiscard]] int height() const { return m_height; }

private:
    int m_width;
    int m_height;
    std::vector<float> m_slide;  // relative fluorescence, 0–1, image orientation before flips
    std::vector<float> m_defocused;  // m_slide blurred by m_defocusSigmaPx (cached: focus rarely moves)
    double m_defocusSigmaPx = 0.0;
    std::vector<float> m_noise;  // standard normal samples, cycled with a random stride
    std::mt19937_64 m_rng;
};

}  // namespace scopesync::hal::sim
