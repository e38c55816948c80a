// SharpnessScorer: how sharp a frame is, as the variance of its Laplacian (OpenCV), on a centred region.
#pragma once

#include "core/common/image.h"
#include "core/common/result.h"

namespace scopesync::core::analysis {

class SharpnessScorer {
public:
    // `roiFraction` (0–1]: the centred part of width and height that is scored (1: the whole frame).
    explicit SharpnessScorer(double roiFraction = 1.0) : m_roiFraction(roiFraction) { }

    // The variance of the Laplacian of the region, on samples scaled to 0–1 by the image's bit depth, so
    // scores of 12- and 16-bit frames of the same scene compare. Higher is sharper; an error for an empty
    // image, a region under 8×8 pixels or a fraction outside (0, 1].
    [[nodiscard]] Result<double> score(const Image16 &image) const;
    [[nodiscard]] double roiFraction() const { return m_roiFraction; }

private:
    double m_roiFraction;
};

}  // namespace scopesync::core::analysis
