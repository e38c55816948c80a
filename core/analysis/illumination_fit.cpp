// IlluminationFit: fits the rolling-shutter banding shape (plateau with linear ramps) to a row profile.
#include "core/analysis/illumination_fit.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

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

using Normal = std::array<std::array<double, kMaxBasis>, kMaxBasis>;

// Gaussian elimination with partial pivoting on the ≤ 2×2 normal equations. False when a pivot is below
// `singular` (all rows dark for these knees); `smallestPivot` receives the smallest pivot's size.
bool solveNormal(Normal a, const std::array<double, kMaxBasis> &rhs, int basis,
    std::array<double, kMaxBasis> &coef, double singular = 1e-12, double *smallestPivot = nullptr)
{
    std::array<double, kMaxBasis> c = rhs;
    double smallest = std::numeric_limits<double>::infinity();
    for (int col = 0; col < basis; ++col) {
        int piv = col;
        for (int r = col + 1; r < basis; ++r)
            if (std::abs(a[std::size_t(r)][std::size_t(col)])
                > std::abs(a[std::size_t(piv)][std::size_t(col)]))
                piv = r;
        smallest = std::min(smallest, std::abs(a[std::size_t(piv)][std::size_t(col)]));
        if (smallestPivot)
            *smallestPivot = smallest;
        if (std::abs(a[std::size_t(piv)][std::size_t(col)]) < singular)
            return false;
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
            v -= a[std::size_t(r)][std::size_t(k)] * coef[std::size_t(k)];
        coef[std::size_t(r)] = v / a[std::size_t(r)][std::size_t(r)];
    }
    return true;
}

// Least squares of value ≈ light(row) · (c0 + c1·u²) for fixed knees: a linear problem in c. The
// background is even in u: vignetting is centred on the optical axis, and an odd term would let a
// tilted background pass for a band at one end.
Evaluation evaluate(const Samples &s, double k0, double k1, double ramp, int basis)
{
    Normal a {};
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
    Evaluation ev;
    if (!solveNormal(a, rhs, basis, ev.coef))
        return ev;  // all rows dark for these knees: no fit
    double sse = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double bg = ev.coef[0] + (basis > 1 ? ev.coef[1] * s.u[i] * s.u[i] : 0.0);
        const double d = s.value[i] - light(i) * bg;
        sse += d * d;
    }
    ev.sse = sse;
    return ev;
}

// The knee search's screen: the sums of evaluate() for any pair of knees, put together from per-block
// moments in O(rows / block + block) instead of O(rows). With k0 ≤ k1 the light is piecewise linear
// — a late ramp f = (row − (k0 − ramp)) / ramp, the plateau f = 1, an early ramp f = (k1 + ramp − row) /
// ramp — so Σ f^p·q over a ramp is Σ t^p·q / ramp^p with t ≥ 0 the distance from the ramp's dark end.
// Each block keeps Σ d^m·q (m = 0, 1, 2) with d ≥ 0 its rows' distance from the block's first row and from
// its last row; a whole block on a ramp then adds (D + d)^m expanded, every term the same sign as q, so
// no sum cancels that the direct loop would not. Blocks cut by a piece's end are summed row by row.
class KneeScreen {
public:
    KneeScreen(const Samples &s, double ramp, int basis)
        : m_row(s.row),
          m_u(s.u),
          m_value(s.value),
          m_ramp(ramp),
          m_basis(basis),
          m_block(std::max(8, int(std::sqrt(double(s.row.size())))))
    {
        const std::size_t n = s.row.size();
        for (std::size_t i = 0; i < n; ++i)
            m_valueSquares += s.value[i] * s.value[i];
        const std::size_t blocks = (n + std::size_t(m_block) - 1) / std::size_t(m_block);
        m_fromFirst.resize(blocks);
        m_fromLast.resize(blocks);
        for (std::size_t b = 0; b < blocks; ++b) {
            const std::size_t i0 = b * std::size_t(m_block);
            const std::size_t i1 = std::min(n, i0 + std::size_t(m_block));
            for (std::size_t i = i0; i < i1; ++i) {
                const Q qi = q(i);
                m_fromFirst[b].add(m_row[i] - m_row[i0], qi);
                m_fromLast[b].add(m_row[i1 - 1] - m_row[i], qi);
            }
        }
    }

    // Σ value² over all samples: the scale of every sum of squares here.
    double valueSquares() const { return m_valueSquares; }

    // evaluate()'s residual for these knees (k0 ≤ k1) up to rounding, with a bound on that rounding and
    // the smallest pivot of its solve (knees whose pivot is near the singular threshold are left to the
    // exact evaluation).
    double sse(double k0, double k1, double *smallestPivot, double *errorBound) const
    {
        // On the ramps f = t / ramp, t the distance from the ramp's dark end: a row at t = 0 adds
        // nothing, so it may join either way.
        const Q late = rampSums(rangeOf(k0 - m_ramp, true, k0, false), k0 - m_ramp, true);  // [k0 − ramp, k0)
        const Q early
            = rampSums(rangeOf(k1, false, k1 + m_ramp, true), k1 + m_ramp, false);  // (k1, k1 + ramp]
        const Q flat = flatSums(rangeOf(k0, true, k1, true));  // [k0, k1]: f = 1
        const double r1 = 1.0 / m_ramp, r2 = r1 * r1;
        const auto ff = [&](int q) { return flat[q] + (late[q] + early[q]) * r2; };  // Σ f²·q
        const auto fv = [&](int q) { return flat[q] + (late[q] + early[q]) * r1; };  // Σ f·q
        Normal a {};
        std::array<double, kMaxBasis> rhs {};
        a[0][0] = ff(0);
        rhs[0] = fv(3);
        if (m_basis > 1) {
            a[0][1] = a[1][0] = ff(1);
            a[1][1] = ff(2);
            rhs[1] = fv(4);
        }
        std::array<double, kMaxBasis> c {};
        *smallestPivot = 0.0;
        *errorBound = 0.0;
        if (!solveNormal(a, rhs, m_basis, c, 0.0, smallestPivot))
            return std::numeric_limits<double>::infinity();
        // Σ (v − f·bg)² with bg = c0 + c1·w, expanded.
        double model = c[0] * c[0] * a[0][0];
        double cross = c[0] * rhs[0];
        if (m_basis > 1) {
            model += 2 * c[0] * c[1] * a[0][1] + c[1] * c[1] * a[1][1];
            cross += c[1] * rhs[1];
        }
        // Rounding: the screen's sums add at most block + rows / block terms each (≈ 10⁻¹⁴ of the terms'
        // size at 3040 rows); evaluate() adds rows terms (≤ rows × ε of its residual, 8 × 10⁻¹³ at 7000
        // rows). The bound, 10⁻¹² of the three terms' size, is above both; measured differences on the
        // reference frames stay below 10⁻¹⁴ of Σ value². A knee the bound wrongly ruled out would still
        // fit within that rounding of the best.
        *errorBound = 1e-12 * (m_valueSquares + 2 * std::abs(cross) + std::abs(model));
        return m_valueSquares - 2 * cross + model;
    }

private:
    // Per sample: 1, w, w², v, w·v (w = u²). A piece's sums: Σ t²·(1, w, w²) and Σ t·(v, w·v) on a ramp
    // (f² and f times ramp² and ramp), Σ (1, w, w², v, w·v) on the plateau.
    using Q = std::array<double, 5>;
    struct Moments {
        Q m0 {}, m1 {}, m2 {};  // Σ d^m·q
        void add(double d, const Q &q)
        {
            for (std::size_t k = 0; k < q.size(); ++k) {
                m0[k] += q[k];
                m1[k] += d * q[k];
                m2[k] += d * d * q[k];
            }
        }
    };

    // The sample indices [first, last) whose rows lie between `lo` and `hi`, each end included or not.
    std::pair<std::size_t, std::size_t> rangeOf(double lo, bool withLo, double hi, bool withHi) const
    {
        auto first = withLo ? std::lower_bound(m_row.begin(), m_row.end(), lo)
                            : std::upper_bound(m_row.begin(), m_row.end(), lo);
        auto last = withHi ? std::upper_bound(m_row.begin(), m_row.end(), hi)
                           : std::lower_bound(m_row.begin(), m_row.end(), hi);
        if (last < first)
            last = first;
        return {std::size_t(first - m_row.begin()), std::size_t(last - m_row.begin())};
    }

    // Calls whole(block) for the blocks inside [i0, i1) and one(i) for the other samples.
    template <typename Whole, typename One>
    void walk(std::pair<std::size_t, std::size_t> range, Whole whole, One one) const
    {
        const auto [i0, i1] = range;
        const std::size_t block = std::size_t(m_block);
        std::size_t i = i0;
        while (i < i1) {
            const std::size_t b = i / block;
            const std::size_t be = std::min(m_row.size(), (b + 1) * block);
            if (i == b * block && be <= i1) {
                whole(b);
                i = be;
                continue;
            }
            for (const std::size_t end = std::min(be, i1); i < end; ++i)
                one(i);
        }
    }

    // A ramp's sums, t = row − anchor (rising) or anchor − row (falling), t ≥ 0 on the ramp.
    Q rampSums(std::pair<std::size_t, std::size_t> range, double anchor, bool rising) const
    {
        Q out {};
        walk(
            range,
            [&](std::size_t b) {
                const Moments &mb = rising ? m_fromFirst[b] : m_fromLast[b];
                const std::size_t bs = b * std::size_t(m_block);
                const std::size_t be = std::min(m_row.size(), bs + std::size_t(m_block));
                const double d = rising ? m_row[bs] - anchor : anchor - m_row[be - 1];
                for (std::size_t k = 0; k < 3; ++k)
                    out[k] += d * d * mb.m0[k] + 2 * d * mb.m1[k] + mb.m2[k];
                for (std::size_t k = 3; k < 5; ++k)
                    out[k] += d * mb.m0[k] + mb.m1[k];
            },
            [&](std::size_t i) {
                const double t = rising ? m_row[i] - anchor : anchor - m_row[i];
                const Q qi = q(i);
                for (std::size_t k = 0; k < 3; ++k)
                    out[k] += t * t * qi[k];
                for (std::size_t k = 3; k < 5; ++k)
                    out[k] += t * qi[k];
            });
        return out;
    }

    Q flatSums(std::pair<std::size_t, std::size_t> range) const
    {
        Q out {};
        walk(
            range,
            [&](std::size_t b) {
                for (std::size_t k = 0; k < 5; ++k)
                    out[k] += m_fromFirst[b].m0[k];
            },
            [&](std::size_t i) {
                const Q qi = q(i);
                for (std::size_t k = 0; k < 5; ++k)
                    out[k] += qi[k];
            });
        return out;
    }

    Q q(std::size_t i) const
    {
        const double w = m_basis > 1 ? m_u[i] * m_u[i] : 0.0;
        return {1.0, w, w * w, m_value[i], w * m_value[i]};
    }

    const std::vector<double> &m_row;
    const std::vector<double> &m_u;
    const std::vector<double> &m_value;
    double m_ramp;
    int m_basis;
    int m_block;
    std::vector<Moments> m_fromFirst, m_fromLast;
    double m_valueSquares = 0;
};

// The knee among `candidates` that evaluate() scores lowest, the first of equals — what evaluating every
// candidate gives — with only the candidates the screen cannot rule out evaluated exactly: a candidate
// whose screened residual, less its error bound, is above some candidate's residual plus its bound cannot
// be the lowest. Those whose solve is close to singular are always evaluated exactly, and every candidate
// is when there is no screen.
template <typename Knees, typename Exact>
double bestScreened(const std::vector<double> &candidates, const KneeScreen *screen, Knees knees, Exact exact)
{
    std::vector<double> low(candidates.size());
    double ceiling = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto [k0, k1] = knees(candidates[i]);
        double pivot = 0.0, bound = 0.0;
        const double sse = screen ? screen->sse(k0, k1, &pivot, &bound) : 0.0;
        const bool doubtful = !(pivot > 1e-6) || !std::isfinite(sse);
        low[i] = doubtful ? -std::numeric_limits<double>::infinity() : sse - bound;
        if (!doubtful)
            ceiling = std::min(ceiling, sse + bound);
    }
    double chosen = candidates.front(), chosenSse = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (low[i] > ceiling)
            continue;
        const double sse = exact(candidates[i]);
        if (sse < chosenSse) {
            chosenSse = sse;
            chosen = candidates[i];
        }
    }
    return chosen;
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

BandFit IlluminationFit::fit(const RowProfile &profile, double rampRows, int polyDegree, KneeSearch search)
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
        // Each knee moves along its candidates with the other fixed; the screen spares the exact evaluation
        // of every candidate it can rule out (same result, a fraction of the work).
        const bool screened = search == KneeSearch::Screened;
        const auto searchK1 = [&](const Samples &s, const KneeScreen *screen, const std::vector<double> &cs) {
            const auto knees = [&](double c) { return std::pair(k0, std::max(c, k0)); };
            return bestScreened(cs, screen, knees, [&](double c) {
                const auto [a, b] = knees(c);
                return evaluate(s, a, b, ramp, basis).sse;
            });
        };
        const auto searchK0 = [&](const Samples &s, const KneeScreen *screen, const std::vector<double> &cs) {
            const auto knees = [&](double c) { return std::pair(std::min(c, k1), k1); };
            return bestScreened(cs, screen, knees, [&](double c) {
                const auto [a, b] = knees(c);
                return evaluate(s, a, b, ramp, basis).sse;
            });
        };
        std::optional<KneeScreen> screen;
        if (screened)
            screen.emplace(coarse, ramp, basis);
        for (int pass = 0; pass < 2; ++pass) {
            k1 = searchK1(coarse, screen ? &*screen : nullptr, k1s);
            k0 = searchK0(coarse, screen ? &*screen : nullptr, k0s);
        }
        // Fine: quarter rows around each coarse knee, on every row.
        const Samples fine = binned(profile, n);
        if (screened)
            screen.emplace(fine, ramp, basis);
        const auto around = [&](double c, double lo, double hi) {
            return range(std::clamp(c - 1.5 * step, lo, hi), std::clamp(c + 1.5 * step, lo, hi), 0.25);
        };
        k1 = searchK1(fine, screen ? &*screen : nullptr, around(k1, -maxOutside, double(n - 1)));
        k0 = searchK0(fine, screen ? &*screen : nullptr, around(k0, 0, double(n - 1) + maxOutside));
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
