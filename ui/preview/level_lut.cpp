// LevelLut: maps 12-bit samples to screen colours through black/white levels, grey or false colour.
#include "ui/preview/level_lut.h"

#include <QColor>

#include <cmath>

namespace scopesync::ui {

namespace {

// A perceptually ordered blue → green → yellow ramp (hue sweep at rising lightness), so faint signal
// stays distinguishable; it avoids pure red, which is kept for overexposure.
QRgb falseColourAt(double t)
{
    const double hue = 0.70 - 0.55 * t;  // 252° (blue) down to 54° (yellow)
    const double light = 0.08 + 0.80 * t;
    return QColor::fromHslF(float(hue), 0.9f, float(light)).rgb();
}

}  // namespace

void LevelLut::setLevels(int black, int white)
{
    black = std::clamp(black, 0, kLevels - 2);
    white = std::clamp(white, black + 1, kLevels - 1);
    if (black == m_black && white == m_white)
        return;
    m_black = black;
    m_white = white;
    rebuild();
}

void LevelLut::setFalseColour(bool on)
{
    if (on == m_falseColour)
        return;
    m_falseColour = on;
    rebuild();
}

void LevelLut::rebuild()
{
    const double span = double(m_white - m_black);
    for (int v = 0; v < kLevels; ++v) {
        const double t = std::clamp(double(v - m_black) / span, 0.0, 1.0);
        if (m_falseColour) {
            m_table[std::size_t(v)] = falseColourAt(t);
        } else {
            const int g = int(std::lround(t * 255.0));
            m_table[std::size_t(v)] = qRgb(g, g, g);
        }
    }
}

QImage LevelLut::render(
    const core::Image16 &image, const std::vector<quint8> *saturated, bool markOverexposed) const
{
    QImage out(image.width, image.height, QImage::Format_RGB32);
    const bool mark = markOverexposed && saturated && saturated->size() == image.pixels.size();
    const int shift = std::max(0, image.bitDepth - 12);
    for (int y = 0; y < image.height; ++y) {
        const quint16 *src = image.row(y);
        auto *dst = reinterpret_cast<QRgb *>(out.scanLine(y));
        const quint8 *sat = mark ? saturated->data() + std::size_t(y) * std::size_t(image.width) : nullptr;
        for (int x = 0; x < image.width; ++x)
            dst[x] = m_table[std::min(std::size_t(src[x] >> shift), std::size_t(kLevels - 1))];
        if (sat)  // few pixels are marked: a second, branch-light pass over one byte per pixel
            for (int x = 0; x < image.width; ++x)
                if (sat[x])
                    dst[x] = kOverexposed;
    }
    return out;
}

std::pair<int, int> LevelLut::autoLevels(const std::array<quint32, kLevels> &histogram)
{
    quint64 total = 0;
    for (auto c : histogram)
        total += c;
    if (total == 0)
        return {0, kLevels - 1};
    const quint64 lowCount = total / 1000;
    const quint64 highCount = total - total / 1000;
    quint64 acc = 0;
    int black = 0;
    int white = kLevels - 1;
    bool haveBlack = false;
    for (int v = 0; v < kLevels; ++v) {
        acc += histogram[std::size_t(v)];
        if (!haveBlack && acc > lowCount) {
            black = v;
            haveBlack = true;
        }
        if (acc >= highCount) {
            white = v;
            break;
        }
    }
    if (white <= black)
        white = std::min(kLevels - 1, black + 1);
    return {black, white};
}

}  // namespace scopesync::ui
