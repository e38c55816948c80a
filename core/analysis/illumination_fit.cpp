// IlluminationFit: fits the rolling-shutter banding shape (plateau with linear ramps) to a row profile.
#include "core/analysis/illumination_fit.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace scopesync::core::analysis {

namespace {

constexpr int kMaxBasis = 2;

// Rows (or bins of rows) the fit runs over: centre row, value.
struct Samples {
    std::vector<double> row;
    std::vector<double> value;
    std::vector<double> u;  // row / rows − 0.5, the polynomial's variable
};

Samples binned(const RowProfile &p, int bins)
{
    Samples s;
    const int n = p.rows();
    bins = std::clamp(bins, 1, n);
    for (int b = 0; b < bins; ++b) {
        const int a = int(std::llround(double(b) * n / bins));
        const int e = int(std::llround(double(b + 1) * n / bins));
        if (e <= a)
            continue;
        double sum = 0;
        for (int r = a; r < e; ++r)
            sum += p.at(r);
        const double centre = 0.5 * double(a + e - 1);
        s.row.push_back(centre);
        s.value.push_back(sum / double(e - a));
        s.u.push_back(centre / double(n) - 0.5);
    }
    return s;
}

struct Evaluation {
    double sse = std::numeric_limits<double>::infinity();
    std::array<double, kMaxBasis> coef {};
};

// The model of lightAt() for a finite ramp, inlined in the fit's inner loops: the same operations in the
// same order, so the same values.
inline double lightFinite(double row, double k0, double k1, double ramp)
{
    const double late = std::max(0.0, k0 - row) / ramp;
    const double early = std::max(0.0, row - k1) / ramp;
    return std::clamp(1.0 - late - early, 0.0, 1.0);
}

// Least squares of value ≈ light(row) · (c0 + c1·u²) for fixed knees: a linear problem in c. The
// background is even in u: vignetting is centred on the optical axis, and an odd term would let a
// tilted background pass for a band at one end.
Evaluation evaluate(const Samples &s, double k0, double k1, double ramp, int basis)
{
    std::array<std::array<double, kMaxBasis>, kMaxBasis> a {};
    std::array<double, kMaxBasis> rhs {};
    const std::size_t n = s.row.size();
    const bool finite = ramp > 0 && !std::isinf(ramp);
    const auto light = [&](std::size_t i) { return finite ? lightFinite(s.row[i], k0, k1, ramp) : 1.0; };
    // Called thousands of times per frame: no allocation, and the one- and two-term cases each in a loop
    // of their own (the sums are accumulated in the same order as the general form).
    if (basis == 1) {
        for (std::size_t i = 0; i < n; ++i) {
            const double f = light(i);
            rhs[0] += f * s.value[i];
            a[0][0] += f * f;
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            const double f = light(i);
            const double g1 = f * s.u[i] * s.u[i];
            rhs[0] += f * s.value[i];
            a[0][0] += f * f;
            a[0][1] += f * g1;
            rhs[1] += g1 * s.value[i];
            a[1][0] += g1 * f;
            a[1][1] += g1 * g1;
        }
    }
    // Gaussian elimination with partial pivoting on the ≤ 3×3 normal equations.
    Evaluation ev;
    std::array<double, kMaxBasis> c = rhs;
    for (int col = 0; col < basis; ++col) {
        int piv = col;
        for (int r = col + 1; r < basis; ++r)
            if (std::abs(a[std::size_t(r)][std::size_t(col)])
                > std::abs(a[std::size_t(piv)][std::size_t(col)]))
                piv = r;
        if (std::abs(a[std::size_t(piv)][std::size_t(col)]) < 1e-12)
            return ev;  // all rows dark for these knees: no fit
        std::swap(a[std::size_t(col)], a[std::size_t(piv)]);
        std::swap(c[std::size_t(col)], c[std::size_t(piv)]);
        for (int r = col + 1; r < basis; ++r) {
            const double m = a[std::size_t(r)][std::size_t(col)] / a[std::size_t(col)][std::size_t(col)];
            for (int k = col; k < basis; ++k)
                a[std::size_t(r)][std::size_t(k)] -= m * a[std::size_t(col)][std::size_t(k)];
            c[std::size_t(r)] -= m * c[std::size_t(col)];
        }
    }
    for (int r = basis - 1; r >= 0; --r) {
        double v = c[std::size_t(r)];
        for (int k = r + 1; k < basis; ++k)
            v -= a[std::size_t(r)][std::size_t(k)] * ev.coef[std::size_t(k)];
        ev.coef[std::size_t(r)] = v / a[std::size_t(r)][std::size_t(r)];
    }
    double sse = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double bg = ev.coef[0] + (basis > 1 ? ev.coef[1] * s.u[i] * s.u[i] : 0.0);
        const double d = s.value[i] - light(i) * bg;
        sse += d * d;
    }
    ev.sse = sse;
    return ev;
}

// Best knee along one axis over candidate positions, the other knee fixed.
template <typename Eval> double bestOf(const std::vector<double> &candidates, Eval eval)
{
    double best = candidates.front(), bestSse = std::numeric_limits<double>::infinity();
    for (double c : candidates) {
        const double sse = eval(c);
        if (sse < bestSse) {
            bestSse = sse;
            best = c;
        }
    }
    return best;
}

std::vector<double> range(double from, double to, double step)
{
    std::vector<double> v;
    for (double x = from; x <= to + 1e-9; x += step)
        v.push_back(x);
    return v;
}

}  // namespace

double IlluminationFit::lightAt(double row, double firstLitRow, double lastLitRow, double rampRows)
{
    if (!(rampRows > 0) || std::isinf(rampRows))
        return 1.0;
    const double late = std::max(0.0, firstLitRow - row) / rampRows;
    const double early = std::max(0.0, row - lastLitRow) / rampRows;
    return std::clamp(1.0 - late - early, 0.0, 1.0);
}

BandFit IlluminationFit::fit(const RowProfile &profile, double rampRows, int polyDegree)
{
    BandFit out;
    const int n = profile.rows();
    const int basis = polyDegree >= 2 ? 2 : 1;
    if (n == 0)
        return out;
    out.lastLitRow = n - 1;
    const double ramp = rampRows > 0 ? rampRows : std::numeric_limits<double>::infinity();

    // Coarse: knees on bin boundaries over ~256 bins, one knee at a time (the two ramps sit at
    // opposite ends and barely interact), twice round.
    const Samples coarse = binned(profile, 256);
    const double step = double(n) / double(coarse.row.size());
    const double maxOutside = std::min(double(n) / 2, std::isinf(ramp) ? 0.0 : ramp);
    std::vector<double> k1s = range(-maxOutside, double(n - 1), step);
    k1s.push_back(n - 1);
    std::vector<double> k0s = range(0, double(n - 1) + maxOutside, step);
    double k0 = 0, k1 = n - 1;
    if (!std::isinf(ramp)) {
        for (int pass = 0; pass < 2; ++pass) {
            k1 = bestOf(
                k1s, [&](double c) { return evaluate(coarse, k0, std::max(c, k0), ramp, basis).sse; });
            k0 = bestOf(
                k0s, [&](double c) { return evaluate(coarse, std::min(c, k1), k1, ramp, basis).sse; });
        }
        // Fine: quarter rows around each coarse knee, on every row.
        const Samples fine = binned(profile, n);
        const auto around = [&](double c, double lo, double hi) {
            return range(std::clamp(c - 1.5 * step, lo, hi), std::clamp(c + 1.5 * step, lo, hi), 0.25);
        };
        k1 = bestOf(around(k1, -maxOutside, double(n - 1)),
            [&](double c) { return evaluate(fine, k0, std::max(c, k0), ramp, basis).sse; });
        k0 = bestOf(around(k0, 0, double(n - 1) + maxOutside),
            [&](double c) { return evaluate(fine, std::min(c, k1), k1, ramp, basis).sse; });
    }
    const Samples all = binned(profile, n);
    const Evaluation ev = evaluate(all, k0, k1, ramp, basis);
    out.firstLitRow = k0;
    out.lastLitRow = k1;
    out.background = {ev.coef[0], 0.0, basis > 1 ? ev.coef[1] : 0.0};
    out.level = ev.coef[0];
    out.rmsResidual = std::isfinite(ev.sse) ? std::sqrt(ev.sse / double(n)) : 0.0;
    return out;
}

}  // namespace scopesync::core::analysis
