// SharpnessScorer: variance of the Laplacian of a centred region of a 16-bit frame.
#include "core/analysis/sharpness_scorer.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

namespace scopesync::core::analysis {

Result<double> SharpnessScorer::score(const Image16 &image) const
{
    if (!(m_roiFraction > 0.0 && m_roiFraction <= 1.0))
        return Error {QStringLiteral("the region fraction %1 is outside (0, 1]: use 1 for the whole frame")
                          .arg(m_roiFraction),
            QStringLiteral("sharpness")};
    if (image.isEmpty() || image.width <= 0 || image.height <= 0)
        return Error {QStringLiteral("no image to score"), QStringLiteral("sharpness")};
    const int w = std::max(1, int(std::lround(image.width * m_roiFraction)));
    const int h = std::max(1, int(std::lround(image.height * m_roiFraction)));
    if (w < 8 || h < 8)
        return Error {
            QStringLiteral("the scored region is %1×%2 pixels, under 8×8: raise the region fraction")
                .arg(w)
                .arg(h),
            QStringLiteral("sharpness")};
    // OpenCV only reads the frame: the header borrows the pixels without copying.
    const cv::Mat whole(image.height, image.width, CV_16UC1, const_cast<quint16 *>(image.pixels.data()));
    const cv::Mat roi = whole(cv::Rect((image.width - w) / 2, (image.height - h) / 2, w, h));
    const int bits = image.bitDepth > 0 && image.bitDepth <= 16 ? image.bitDepth : 16;
    cv::Mat scaled;
    roi.convertTo(scaled, CV_32F, 1.0 / double((1 << bits) - 1));
    cv::Mat laplacian;
    cv::Laplacian(scaled, laplacian, CV_32F, 1, 1.0, 0.0, cv::BORDER_REFLECT101);
    cv::Scalar mean;
    cv::Scalar stddev;
    cv::meanStdDev(laplacian, mean, stddev);
    return stddev[0] * stddev[0];
}

}  // namespace scopesync::core::analysis
