// LevelLut: maps 12-bit samples to screen colours through black/white levels, grey or false colour.
#include "ui/preview/level_lut.h"

#include "core/common/vector_state.h"

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
    core::clearUpperVectorState();
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

namespace {

// Where output pixel i of `out` samples an axis of `in` pixels: the two source pixels around its centre
// and the second one's weight in 16ths.
struct Tap {
    int a = 0;
    int b = 0;
    int w = 0;
};

std::vector<Tap> tapsFor(int in, int out)
{
    std::vector<Tap> taps(std::size_t(std::max(out, 0)));
    const double scale = double(in) / double(out);
    for (int i = 0; i < out; ++i) {
        const double s = std::clamp((i + 0.5) * scale - 0.5, 0.0, double(in - 1));
        Tap &t = taps[std::size_t(i)];
        t.a = std::min(int(s), in - 1);
        t.b = std::min(t.a + 1, in - 1);
        t.w = int(std::lround((s - t.a) * 16.0));
        if (t.w == 16) {
            t.a = t.b;
            t.w = 0;
        }
    }
    return taps;
}

// The source pixels whose overexposure marks an output pixel: the nearest, or both when the axis shrinks
// (then every source pixel is one of some output pixel's two, down to half the size).
std::pair<int, int> markedBy(const Tap &t, bool shrinks)
{
    if (shrinks)
        return {t.a, t.b};
    const int nearest = t.w >= 8 ? t.b : t.a;
    return {nearest, nearest};
}

}  // namespace

QImage LevelLut::render(const core::Image16 &image, const std::vector<quint8> *saturated,
    bool markOverexposed, QSize target, QImage recycle) const
{
    core::clearUpperVectorState();
    const int sw = image.width;
    const int sh = image.height;
    if (target.isEmpty() || sw <= 0 || sh <= 0 || target == QSize(sw, sh) || target.width() * 2 < sw
        || target.height() * 2 < sh)
        return render(image, saturated, markOverexposed);
    const int tw = target.width();
    const int th = target.height();
    // A fresh image of this size costs page faults on every frame: the previous one is written over
    // when it is the size wanted and no one else holds it.
    QImage out = recycle.size() == target && recycle.format() == QImage::Format_RGB32 && recycle.isDetached()
        ? std::move(recycle)
        : QImage(tw, th, QImage::Format_RGB32);
    out.setDevicePixelRatio(1.0);
    const bool mark = markOverexposed && saturated && saturated->size() == image.pixels.size();
    const int shift = std::max(0, image.bitDepth - 12);
    const std::vector<Tap> xs = tapsFor(sw, tw);
    const std::vector<Tap> ys = tapsFor(sh, th);
    const bool shrinksX = tw < sw;
    const bool shrinksY = th < sh;
    // Which source rows hold a mark (few do): an OR over each row, which vectorises.
    std::vector<quint8> rowMarked(mark ? std::size_t(sh) : 0);
    for (int y = 0; mark && y < sh; ++y) {
        const quint8 *row = saturated->data() + std::size_t(y) * std::size_t(sw);
        quint8 any = 0;
        for (int x = 0; x < sw; ++x)
            any |= row[x];
        rowMarked[std::size_t(y)] = any;
    }
    // The row blended vertically, 16 × the 12-bit value, and one more column repeating the last, so that
    // every output pixel reads columns a and a + 1.
    std::vector<quint16> column(static_cast<std::size_t>(sw) + 1);
    std::vector<int> xa(std::size_t(tw), 0);
    std::vector<quint16> xwa(std::size_t(tw), 0);
    std::vector<quint16> xwb(std::size_t(tw), 0);
    for (int x = 0; x < tw; ++x) {
        const Tap &t = xs[std::size_t(x)];
        xa[std::size_t(x)] = t.a;
        xwa[std::size_t(x)] = quint16(16 - t.w);
        xwb[std::size_t(x)] = quint16(t.w);  // 0 wherever b would be past the last column
    }
    for (int y = 0; y < th; ++y) {
        const Tap &ty = ys[std::size_t(y)];
        const quint16 *top = image.row(ty.a);
        const quint16 *bottom = image.row(ty.b);
        const auto wt = quint16(16 - ty.w);
        const auto wb = quint16(ty.w);
        quint16 *__restrict c = column.data();
        if (shift == 0) {  // the preview's display images: a constant shift, which vectorises in 16 bits
            for (int x = 0; x < sw; ++x) {
                const quint16 a = top[x] < kLevels ? top[x] : quint16(kLevels - 1);
                const quint16 b = bottom[x] < kLevels ? bottom[x] : quint16(kLevels - 1);
                c[x] = quint16(a * wt + b * wb);  // at most 16 × 4095: fits 16 bits
            }
        } else {
            for (int x = 0; x < sw; ++x) {
                const auto a = quint16(std::min(quint16(top[x] >> shift), quint16(kLevels - 1)));
                const auto b = quint16(std::min(quint16(bottom[x] >> shift), quint16(kLevels - 1)));
                c[x] = quint16(a * wt + b * wb);
            }
        }
        c[sw] = c[sw - 1];
        auto *__restrict dst = reinterpret_cast<QRgb *>(out.scanLine(y));
        const int *__restrict ia = xa.data();
        const quint16 *__restrict wa = xwa.data();
        const quint16 *__restrict wb2 = xwb.data();
        for (int x = 0; x < tw; ++x) {
            const int i = ia[x];
            // At most (16 × 16 × 4095 + 128) / 256: within the table.
            const quint32 v = (quint32(c[i]) * wa[x] + quint32(c[i + 1]) * wb2[x] + 128) >> 8;
            dst[x] = m_table[v];
        }
        if (!mark)
            continue;
        const auto [ra, rb] = markedBy(ty, shrinksY);
        if (!rowMarked[std::size_t(ra)] && !rowMarked[std::size_t(rb)])
            continue;
        const quint8 *sa = saturated->data() + std::size_t(ra) * std::size_t(sw);
        const quint8 *sb = saturated->data() + std::size_t(rb) * std::size_t(sw);
        for (int x = 0; x < tw; ++x) {
            const auto [ca, cb] = markedBy(xs[std::size_t(x)], shrinksX);
            if (sa[ca] | sa[cb] | sb[ca] | sb[cb])
                dst[x] = kOverexposed;
        }
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
