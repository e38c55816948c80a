// Unit tests for IlluminationFit: the screened knee search against evaluating every candidate.
#include "core/analysis/illumination_fit.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace scopesync::core::analysis;

namespace {

// A banded profile: the model's light for the knees, times an even quadratic background, plus noise;
// `dark` rows at the top read zero (a frame whose first rows were cut off).
RowProfile bandedProfile(
    int rows, double k0, double k1, double ramp, double sigma, int dark, std::mt19937 &rng)
{
    std::normal_distribution<double> noise(0.0, sigma);
    std::vector<double> v(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
        const double u = double(r) / rows - 0.5;
        const double background = 800.0 * (1.0 - 0.6 * u * u);
        v[std::size_t(r)]
            = r < dark ? 0.0 : IlluminationFit::lightAt(r, k0, k1, ramp) * background + noise(rng);
    }
    return RowProfile(std::move(v));
}

bool sameFit(const BandFit &a, const BandFit &b)
{
    return a.firstLitRow == b.firstLitRow && a.lastLitRow == b.lastLitRow && a.level == b.level
        && a.background == b.background && a.rmsResidual == b.rmsResidual;
}

}  // namespace

class TestIlluminationFit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The screen only skips candidates it can prove are not the lowest: the knees, level and residual
    // are the very doubles the exhaustive search gives, over sizes, ramps from a row to longer than the
    // frame, noise from none to heavy, both polynomial degrees, and profiles with dark rows.
    void screenedSearchGivesTheExhaustiveFit()
    {
        std::mt19937 rng(17);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        int cases = 0;
        for (const int rows : {40, 256, 701, 3040})
            for (const double rampShare : {0.0005, 0.01, 0.1, 0.4, 1.6})
                for (const double sigma : {0.0, 0.5, 40.0})
                    for (const int degree : {0, 2}) {
                        const double ramp = std::max(1.5, rampShare * rows);
                        const double k0 = unit(rng) < 0.3 ? 0.0 : unit(rng) * rows * 0.4;
                        const double k1 = rows - 1 - (unit(rng) < 0.3 ? 0.0 : unit(rng) * rows * 0.4);
                        const int dark = unit(rng) < 0.2 ? rows / 5 : 0;
                        const RowProfile p = bandedProfile(rows, k0, k1, ramp, sigma, dark, rng);
                        const BandFit screened = IlluminationFit::fit(p, ramp, degree, KneeSearch::Screened);
                        const BandFit exhaustive
                            = IlluminationFit::fit(p, ramp, degree, KneeSearch::Exhaustive);
                        const QString what = QStringLiteral("%1 rows, ramp %2, sigma %3, degree %4, dark %5: "
                                                            "screened knees %6 %7, exhaustive %8 %9")
                                                 .arg(rows)
                                                 .arg(ramp)
                                                 .arg(sigma)
                                                 .arg(degree)
                                                 .arg(dark)
                                                 .arg(screened.firstLitRow)
                                                 .arg(screened.lastLitRow)
                                                 .arg(exhaustive.firstLitRow)
                                                 .arg(exhaustive.lastLitRow);
                        QVERIFY2(sameFit(screened, exhaustive), qPrintable(what));
                        ++cases;
                    }
        QCOMPARE(cases, 120);
    }

    // A clean band is found where it was put, to half a row (the fine search's grid is a quarter row, and
    // it moves one knee at a time).
    void aCleanBandIsFoundWhereItIs()
    {
        std::mt19937 rng(1);
        const RowProfile p = bandedProfile(3040, 400.25, 2701.5, 100.0, 0.0, 0, rng);
        const BandFit fit = IlluminationFit::fit(p, 100.0, 2);
        QVERIFY2(std::abs(fit.firstLitRow - 400.25) <= 0.5, qPrintable(QString::number(fit.firstLitRow)));
        QVERIFY2(std::abs(fit.lastLitRow - 2701.5) <= 0.5, qPrintable(QString::number(fit.lastLitRow)));
        QVERIFY2(std::abs(fit.level - 800.0) < 1.0, qPrintable(QString::number(fit.level)));
    }
};

QTEST_APPLESS_MAIN(TestIlluminationFit)
#include "test_illumination_fit.moc"
