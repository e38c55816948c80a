// RowProfile: the mean signal above black of every sensor row of a frame, the input of uniformity scoring.
#include "core/analysis/row_profile.h"

#include "core/common/vector_state.h"

#include <algorithm>
#include <array>
#include <optional>

namespace scopesync::core::analysis {

double RowProfile::defaultBlackLevel(int bitDepth)
{
    // 256 DN at 12 bits (the Pi's raw black level), scaled when samples carry more or fewer bits.
    const int shift = std::clamp(bitDepth, 8, 16) - 12;
    return shift >= 0 ? 256.0 * double(1 << shift) : 256.0 / double(1 << -shift);
}

namespace {

// Sum of a row's samples, exact: 32-bit lanes (the compiler vectorises the widening add) emptied into a
// 64-bit total every 65536 samples, before 65535 × 65537 could overflow them.
quint64 rowSum(const quint16 *row, int width)
{
    quint64 total = 0;
    for (int x0 = 0; x0 < width; x0 += 65536) {
        const int x1 = std::min(width, x0 + 65536);
        quint32 acc = 0;
        for (int x = x0; x < x1; ++x)
            acc += row[x];
        total += acc;
    }
    return total;
}

// Counts row[0], row[step], … (n samples) into four interleaved histograms by bin(sample), so that runs
// of equal bins (a row is mostly one level) do not wait on one counter.
template <typename Histograms, typename Bin>
void countInto(Histograms &hist, const quint16 *row, int n, int step, Bin bin)
{
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        ++hist[0][bin(row[std::size_t(i) * step])];
        ++hist[1][bin(row[std::size_t(i + 1) * step])];
        ++hist[2][bin(row[std::size_t(i + 2) * step])];
        ++hist[3][bin(row[std::size_t(i + 3) * step])];
    }
    for (; i < n; ++i)
        ++hist[0][bin(row[std::size_t(i) * step])];
}

// The k-th smallest (0-based) of row[0], row[step], row[2·step], … (n samples): the value nth_element
// would place at k, found with two histograms instead of partitioning a copy: one of v >> shift (256
// bins; shift = bit depth − 8 spreads the image's own range over them), then one of the low `shift` bits
// within the chosen bin, each four interleaved histograms. A sample above the bit depth lands in the top
// bin; when the k-th falls there, the search starts again with shift 8, which takes any 16-bit value.
quint16 rowKth(const quint16 *row, int n, int step, int k, int shift)
{
    std::array<std::array<quint32, 256>, 4> hist {};
    const auto bin = [shift](quint16 v) { return std::min<unsigned>(unsigned(v) >> shift, 255u); };
    countInto(hist, row, n, step, bin);
    unsigned high = 0;
    quint32 below = 0;
    for (;; ++high) {
        const quint32 c = hist[0][high] + hist[1][high] + hist[2][high] + hist[3][high];
        if (below + c > quint32(k))
            break;
        below += c;
    }
    if (high == 255 && shift < 8)
        return rowKth(row, n, step, k, 8);
    // The low bits of the samples in bin `high`; the others add 0 to some counter.
    const unsigned lowBins = 1u << shift;
    const unsigned mask = lowBins - 1;
    const unsigned base = high << shift;
    for (auto &h : hist)
        std::fill_n(h.begin(), lowBins, 0u);
    const auto inBin = [&](quint16 v) { return quint32(bin(v) == high); };
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        const quint16 a = row[std::size_t(i) * step], b = row[std::size_t(i + 1) * step];
        const quint16 c = row[std::size_t(i + 2) * step], d = row[std::size_t(i + 3) * step];
        hist[0][(a - base) & mask] += inBin(a);
        hist[1][(b - base) & mask] += inBin(b);
        hist[2][(c - base) & mask] += inBin(c);
        hist[3][(d - base) & mask] += inBin(d);
    }
    for (; i < n; ++i) {
        const quint16 v = row[std::size_t(i) * step];
        hist[0][(v - base) & mask] += inBin(v);
    }
    unsigned low = 0;
    for (;; ++low) {
        below += hist[0][low] + hist[1][low] + hist[2][low] + hist[3][low];
        if (below > quint32(k))
            break;
    }
    return quint16(base + low);
}

// The same k-th in one pass when it lies within 128 of `guess` (the row before's, which it nearly always
// is): samples are counted below and above a 256-value window around the guess and binned by value inside
// it. Nothing when the k-th is outside the window; the caller then takes the two passes.
// 16-bit counters (half the memory to clear per row): none counts more than n / 4 + 3 samples.
std::optional<quint16> rowKthNear(const quint16 *row, int n, int step, int k, quint16 guess)
{
    static constexpr unsigned kWidth = 256, kAbove = kWidth, kBelow = kWidth + 1;
    if (n > 4 * 65532)
        return std::nullopt;
    const unsigned lo = guess > kWidth / 2 ? guess - kWidth / 2 : 0u;
    std::array<std::array<quint16, kWidth + 2>, 4> hist {};
    const auto bin = [lo](quint16 v) { return v < lo ? kBelow : std::min(unsigned(v) - lo, kAbove); };
    countInto(hist, row, n, step, bin);
    quint32 below = quint32(hist[0][kBelow]) + hist[1][kBelow] + hist[2][kBelow] + hist[3][kBelow];
    if (below > quint32(k))
        return std::nullopt;
    for (unsigned b = 0; b < kWidth; ++b) {
        below += quint32(hist[0][b]) + hist[1][b] + hist[2][b] + hist[3][b];
        if (below > quint32(k))
            return quint16(lo + b);
    }
    return std::nullopt;
}

}  // namespace

RowProfile RowProfile::measure(const Image16 &image, bool vflip, double blackLevel)
{
    core::clearUpperVectorState();
    if (image.isEmpty() || image.width <= 0 || image.height <= 0)
        return {};
    const double black = blackLevel < 0 ? defaultBlackLevel(image.bitDepth) : blackLevel;
    std::vector<double> values(std::size_t(image.height));
    const double inv = 1.0 / double(image.width);
    for (int y = 0; y < image.height; ++y) {
        const int sensorRow = vflip ? image.height - 1 - y : y;
        // An integer sum below 2^53 converts to double exactly: the value a double accumulator gives.
        values[std::size_t(sensorRow)] = double(rowSum(image.row(y), image.width)) * inv - black;
    }
    return RowProfile(std::move(values));
}

RowProfile RowProfile::measureMedian(const Image16 &image, bool vflip, double blackLevel)
{
    core::clearUpperVectorState();
    if (image.isEmpty() || image.width <= 0 || image.height <= 0)
        return {};
    const double black = blackLevel < 0 ? defaultBlackLevel(image.bitDepth) : blackLevel;
    const int step = image.width >= 64 ? 4 : 1;
    const int n = (image.width + step - 1) / step;
    const int shift = std::clamp(image.bitDepth, 8, 16) - 8;
    std::vector<double> values(std::size_t(image.height));
    std::optional<quint16> last;
    for (int y = 0; y < image.height; ++y) {
        const int sensorRow = vflip ? image.height - 1 - y : y;
        // The upper median of an even count, as before.
        const quint16 *row = image.row(y);
        auto median = last ? rowKthNear(row, n, step, n / 2, *last) : std::nullopt;
        if (!median)
            median = rowKth(row, n, step, n / 2, shift);
        last = median;
        values[std::size_t(sensorRow)] = double(*median) - black;
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
