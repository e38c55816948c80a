// LevelLut: maps 12-bit samples to screen colours through black/white levels, grey or false colour.
#pragma once

#include "core/common/image.h"

#include <QImage>
#include <QRgb>

#include <algorithm>
#include <array>
#include <vector>

namespace scopesync::ui {

class LevelLut {
public:
    static constexpr int kLevels = 4096;
    static constexpr QRgb kOverexposed = 0xffff2020;  // pure-ish red, not produced by either palette

    LevelLut() { rebuild(); }

    // Levels are 12-bit values; white is kept above black.
    void setLevels(int black, int white);
    void setFalseColour(bool on);
    [[nodiscard]] int black() const { return m_black; }
    [[nodiscard]] int white() const { return m_white; }
    [[nodiscard]] bool falseColour() const { return m_falseColour; }
    [[nodiscard]] QRgb colour(int value12) const
    {
        return m_table[std::size_t(std::clamp(value12, 0, kLevels - 1))];
    }

    // One lookup per pixel; `saturated` (one byte per pixel, may be null) paints kOverexposed when marking.
    [[nodiscard]] QImage render(
        const core::Image16 &image, const std::vector<quint8> *saturated, bool markOverexposed) const;
    // The same at `target` pixels: the 12-bit values are resampled (bilinear, weights in 16ths) before the
    // lookup, in the same pass, so a widget can blit the result without a scaled paint. Overexposure marks
    // are never lost: a pixel is marked when its nearest source pixel is, or, along an axis the image is
    // shrunk on, either of its two. `target` smaller than half the image (marks could fall between
    // samples) or equal to it: render() at the image's size. `recycle`, an earlier result of the same size
    // held nowhere else, is written over instead of allocating.
    [[nodiscard]] QImage render(const core::Image16 &image, const std::vector<quint8> *saturated,
        bool markOverexposed, QSize target, QImage recycle = {}) const;

    // Levels that put the 0.1 % and 99.9 % points of a histogram at black and white.
    static std::pair<int, int> autoLevels(const std::array<quint32, kLevels> &histogram);

private:
    void rebuild();

    int m_black = 0;
    int m_white = kLevels - 1;
    bool m_falseColour = false;
    std::array<QRgb, kLevels> m_table {};
};

}  // namespace scopesync::ui
