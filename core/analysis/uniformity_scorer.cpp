// UniformityScorer: how evenly one frame was lit by a flash, and which edge is dark (too early / too late).
#include "core/analysis/uniformity_scorer.h"

#include <algorithm>
#include <cmath>

namespace scopesync::core::analysis {

QString flashTimingName(FlashTiming t)
{
    switch (t) {
    case FlashTiming::Inside: return QStringLiteral("inside");
    case FlashTiming::TooEarly: return QStringLiteral("too-early");
    case FlashTiming::TooLate: return QStringLiteral("too-late");
    case FlashTiming::Both: return QStringLiteral("both");
    case FlashTiming::Dimmed: return QStringLiteral("dimmed");
    }
    return {};
}

QString imageEdgeName(ImageEdge e)
{
    switch (e) {
    case ImageEdge::None: return QStringLiteral("none");
    case ImageEdge::Top: return QStringLiteral("top");
    case ImageEdge::Bottom: return QStringLiteral("bottom");
    case ImageEdge::Both: return QStringLiteral("both");
    }
    return {};
}

namespace {

bool isGlobal(double rampRows)
{
    return !(rampRows > 0) || std::isinf(rampRows);
}

// Darkest over brightest of 32 horizontal bands of a light-only profile (values ≈ 1 when lit).
double bandUniformity(const std::vector<double> &light)
{
    const int n = int(light.size());
    const int bands = std::min(32, n);
    if (bands == 0)
        return 0;
    double lo = 1e300, hi = -1e300;
    for (int b = 0; b < bands; ++b) {
        const int a = b * n / bands, e = (b + 1) * n / bands;
        double s = 0;
        for (int r = a; r < e; ++r)
            s += light[std::size_t(r)];
        const double m = s / double(std::max(1, e - a));
        lo = std::min(lo, m);
        hi = std::max(hi, m);
    }
    return hi > 0 ? std::clamp(lo / hi, 0.0, 1.0) : 0.0;
}

}  // namespace

RowProfile UniformityScorer::profileOf(const Image16 &image) const
{
    return RowProfile::measure(image, m_geometry.vflip, m_geometry.blackLevel);
}

UniformityScore UniformityScorer::score(const Image16 &image) const
{
    // Row medians: a row mean swings by several per cent with the bright spots it crosses, more than a
    // short band; a median ignores them.
    return scoreProfile(RowProfile::measureMedian(image, m_geometry.vflip, m_geometry.blackLevel), nullptr);
}

UniformityScore UniformityScorer::score(const Image16 &image, const RowProfile &reference) const
{
    return scoreProfile(profileOf(image), &reference);
}

UniformityScore UniformityScorer::scoreProfile(const RowProfile &profile, const RowProfile *reference) const
{
    UniformityScore s;
    const int n = profile.rows();
    if (n == 0)
        return s;
    s.referenced = reference && reference->rows() == n;
    const RowProfile target = s.referenced
        ? profile.ratioTo(*reference)
        // Grid lines a few rows thick would look like bands of light: a running median removes them.
        : profile.runningMedian(std::max(5, (n / 300) | 1));
    const double ramp = m_geometry.rampRows;
    s.fit = IlluminationFit::fit(target, ramp, s.referenced ? 0 : 2);
    s.level = s.fit.level;

    // Light only: the target divided by its fitted background.
    std::vector<double> light(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
        double bg = 0;
        const double u = double(r) / double(n) - 0.5;
        for (auto it = s.fit.background.rbegin(); it != s.fit.background.rend(); ++it)
            bg = bg * u + *it;
        light[std::size_t(r)] = bg > 1e-9 ? target.at(r) / bg : 0.0;
    }
    s.uniformity = bandUniformity(light);

    if (isGlobal(ramp)) {
        // Every row shares one window: a flash partly outside it dims the whole frame evenly, which only
        // a reference can reveal.
        s.litFraction = 1.0;
        if (s.referenced && s.level < 1.0 - m_geometry.levelTolerance) {
            s.timing = FlashTiming::Dimmed;
            s.litFraction = 0.0;
        }
        s.uniformity = s.referenced ? std::clamp(s.level, 0.0, 1.0) : s.uniformity;
        return s;
    }

    // A knee counts only when the noise cannot fake it. A fit without reference is good to a few bins only.
    // Over the first k rows a knee removes about k²/(2·ramp) of light against a noise of σ·√k per row
    // sum: it is real (4 σ) beyond k = (8·ramp·σ)^(2/3), σ being the fit's residual per row.
    const double sigma = s.fit.rmsResidual / std::max(1e-9, std::abs(s.level));
    const double tolRef = std::max(m_geometry.toleranceRows, std::cbrt(std::pow(8 * ramp * sigma, 2.0)));
    const double tol = s.referenced ? tolRef : std::max(tolRef, n / 100.0);
    s.rowsMissedLate = std::max(0.0, s.fit.firstLitRow);
    s.rowsMissedEarly = std::max(0.0, double(n - 1) - s.fit.lastLitRow);
    const bool early = s.rowsMissedEarly > tol;
    const bool late = s.rowsMissedLate > tol;
    s.timing = early && late ? FlashTiming::Both
        : early              ? FlashTiming::TooEarly
        : late               ? FlashTiming::TooLate
                             : FlashTiming::Inside;
    // Knees within the tolerance are noise: those ends count as lit.
    const double firstLit = late ? std::clamp(std::ceil(s.fit.firstLitRow - 1e-9), 0.0, double(n)) : 0.0;
    const double lastLit
        = early ? std::clamp(std::floor(s.fit.lastLitRow + 1e-9), -1.0, double(n - 1)) : double(n - 1);
    s.litFraction = std::clamp((lastLit - firstLit + 1) / double(n), 0.0, 1.0);
    if (s.timing == FlashTiming::Inside)
        s.litFraction = 1.0;
    // Too early darkens the last sensor rows: the image bottom, or its top when vflip puts them there.
    const ImageEdge lastRowsEdge = m_geometry.vflip ? ImageEdge::Top : ImageEdge::Bottom;
    const ImageEdge firstRowsEdge = m_geometry.vflip ? ImageEdge::Bottom : ImageEdge::Top;
    s.darkEdge = early && late ? ImageEdge::Both
        : early                ? lastRowsEdge
        : late                 ? firstRowsEdge
                               : ImageEdge::None;
    return s;
}

}  // namespace scopesync::core::analysis
