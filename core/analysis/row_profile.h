// RowProfile: the mean signal above black of every sensor row of a frame, the input of uniformity scoring.
#pragma once

#include "core/common/image.h"

#include <vector>

namespace scopesync::core::analysis {

// Values are in sensor row order (row 0 = the first row to start exposing), whatever the flips: the
// rolling-shutter model speaks of sensor rows, the image of flipped ones. hflip does not change a row's
// mean, so only vflip matters here.
class RowProfile {
public:
    RowProfile() = default;
    explicit RowProfile(std::vector<double> values) : m_values(std::move(values)) { }

    // Sums each row exactly in integers, in one pass over the image's own buffer (no copy of the pixels).
    // `blackLevel` < 0: the Pi's raw black level (256 at 12 bits), scaled to the image's bit depth.
    static RowProfile measure(const Image16 &image, bool vflip, double blackLevel = -1);

    // The median of every row (of every 4th column: enough samples, a quarter of the work), robust to
    // bright spots; for scoring a frame with no reference. By histogram of each row, no copy; the same value
    // as sorting (the upper median of an even count).
    static RowProfile measureMedian(const Image16 &image, bool vflip, double blackLevel = -1);

    // Row-by-row ratio to a reference profile of the same sample fully lit: the sample's own
    // structure (grid, spots, vignetting) cancels and only the illumination remains.
    [[nodiscard]] RowProfile ratioTo(const RowProfile &reference) const;
    // Running median over `window` rows (odd): removes thin bright lines of the sample.
    [[nodiscard]] RowProfile runningMedian(int window) const;
    // Element-wise mean of profiles of equal length (an averaged reference).
    static RowProfile mean(const std::vector<const RowProfile *> &profiles);

    [[nodiscard]] const std::vector<double> &values() const { return m_values; }
    [[nodiscard]] int rows() const { return int(m_values.size()); }
    [[nodiscard]] bool isEmpty() const { return m_values.empty(); }
    [[nodiscard]] double at(int row) const { return m_values[std::size_t(row)]; }

    static double defaultBlackLevel(int bitDepth);

private:
    std::vector<double> m_values;
};

}  // namespace scopesync::core::analysis
