// Unit tests for the uniformity scorer on synthetic frames: banding side, rows missed, flips, noise.
#include "core/analysis/uniformity_scorer.h"

#include <QTest>

#include "synthetic_frames.h"

using namespace scopesync;
using namespace scopesync::core::analysis;
using scopesync::testing::SyntheticFrames;

class TestUniformityScorer : public QObject {
    Q_OBJECT

private:
    // The reference rig: IMX477 4056×3040, 250 ms shutter, 150 ms flash.
    static constexpr double kExposure = 250'000, kFlash = 150'000;

    static UniformityScorer scorerFor(const SyntheticFrames &f, bool vflip, bool hflip)
    {
        auto g = f.request().geometry();
        g.vflip = vflip;
        g.hflip = hflip;
        return UniformityScorer(g);
    }

private Q_SLOTS:
    void insideFrameIsUniform()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 4056, 3040, kExposure, kFlash, true, false);
        const auto scorer = scorerFor(f, true, false);
        const auto img = f.frame(93'000);
        const auto alone = scorer.score(img);
        QCOMPARE(alone.timing, FlashTiming::Inside);
        QCOMPARE(alone.darkEdge, ImageEdge::None);
        QCOMPARE(alone.litFraction, 1.0);
        const auto ref = scorer.profileOf(f.frame(94'000));
        const auto s = scorer.score(img, ref);
        QVERIFY(s.referenced);
        QCOMPARE(s.timing, FlashTiming::Inside);
        QVERIFY2(s.uniformity > 0.995, qPrintable(QString::number(s.uniformity)));
        QVERIFY2(std::abs(s.level - 1.0) < 0.005, qPrintable(QString::number(s.level)));
    }

    void tooEarlyDarkensTheLastSensorRows_data()
    {
        QTest::addColumn<bool>("vflip");
        QTest::addColumn<bool>("hflip");
        QTest::addColumn<int>("edge");
        QTest::newRow("vflip: top") << true << false << int(ImageEdge::Top);
        QTest::newRow("no flip: bottom") << false << false << int(ImageEdge::Bottom);
        QTest::newRow("hflip only: bottom") << false << true << int(ImageEdge::Bottom);
        QTest::newRow("both flips: top") << true << true << int(ImageEdge::Top);
    }
    void tooEarlyDarkensTheLastSensorRows()
    {
        QFETCH(bool, vflip);
        QFETCH(bool, hflip);
        QFETCH(int, edge);
        SyntheticFrames f(QStringLiteral("imx477"), 4056, 3040, kExposure, kFlash, vflip, hflip);
        const auto scorer = scorerFor(f, vflip, hflip);
        const double delay = 80'000;
        const auto ref = scorer.profileOf(f.frame(93'000));
        const auto img = f.frame(delay);
        // Row r starts at r·L: rows after delay / L miss the start of the flash.
        const double expected = 3039 - std::floor(delay / f.lineUs());
        const auto s = scorer.score(img, ref);
        const auto dbg = scorer.score(img);
        QCOMPARE(s.timing, FlashTiming::TooEarly);
        QCOMPARE(int(s.darkEdge), edge);
        QVERIFY2(std::abs(s.rowsMissedEarly - expected) < 4.0,
            qPrintable(QStringLiteral("%1 vs %2").arg(s.rowsMissedEarly).arg(expected)));
        QVERIFY(std::abs(s.litFraction - (3040 - expected) / 3040) < 0.002);
        QVERIFY(s.uniformity < 0.97);
        // Alone (no reference): the same side, rows within 1 % of the height.
        const auto alone = scorer.score(img);
        QCOMPARE(alone.timing, FlashTiming::TooEarly);
        QCOMPARE(int(alone.darkEdge), edge);
        QVERIFY2(std::abs(alone.rowsMissedEarly - expected) < 60,
            qPrintable(QStringLiteral("%1 vs %2").arg(alone.rowsMissedEarly).arg(expected)));
    }

    void tooLateDarkensTheFirstSensorRows()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 4056, 3040, kExposure, kFlash, true, false);
        const auto scorer = scorerFor(f, true, false);
        const double delay = 105'000;
        const auto s = scorer.score(f.frame(delay), scorer.profileOf(f.frame(93'000)));
        QCOMPARE(s.timing, FlashTiming::TooLate);
        QCOMPARE(s.darkEdge, ImageEdge::Bottom);  // vflip puts the first sensor rows at the bottom
        const double expected = (delay + kFlash - kExposure) / f.lineUs();
        QVERIFY2(std::abs(s.rowsMissedLate - expected) < 4.0,
            qPrintable(QStringLiteral("%1 vs %2").arg(s.rowsMissedLate).arg(expected)));
        QCOMPARE(scorer.score(f.frame(delay)).timing, FlashTiming::TooLate);
    }

    void bothEndsWhenTheExposureIsTooShort()
    {
        SyntheticFrames f(QStringLiteral("imx477"), 2028, 1520, 30'000, 10'000, false, false);
        const auto scorer = scorerFor(f, false, false);
        // Window would need 23.07 + 10 ms ≤ 30 ms: it does not; at 21 ms both ends miss.
        SyntheticFrames wide(QStringLiteral("imx477"), 2028, 1520, 60'000, 10'000, false, false);
        const auto ref = scorer.profileOf(wide.frame(30'000));
        const auto s = scorer.score(f.frame(21'000), ref);
        QCOMPARE(s.timing, FlashTiming::Both);
        QCOMPARE(s.darkEdge, ImageEdge::Both);
    }

    void globalShutterDimmingNeedsAReference()
    {
        SyntheticFrames f(QStringLiteral("imx296"), 1456, 1088, 50'000, 20'000, false, false);
        const auto scorer = scorerFor(f, false, false);
        const auto ref = scorer.profileOf(f.frame(15'000));
        const auto late = scorer.score(f.frame(36'000), ref);  // 6 of 20 ms after the exposure
        QCOMPARE(late.timing, FlashTiming::Dimmed);
        QVERIFY2(std::abs(late.level - 0.7) < 0.01, qPrintable(QString::number(late.level)));
        QCOMPARE(scorer.score(f.frame(20'000), ref).timing, FlashTiming::Inside);
    }

    void profileIsPerSensorRowAboveBlack()
    {
        core::Image16 img(8, 4, 12);
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 8; ++x)
                img.row(y)[x] = quint16(256 + 100 * y);
        const auto p = RowProfile::measure(img, false);
        QCOMPARE(p.rows(), 4);
        QCOMPARE(p.at(3), 300.0);
        const auto flipped = RowProfile::measure(img, true);
        QCOMPARE(flipped.at(0), 300.0);
        QCOMPARE(RowProfile::defaultBlackLevel(16), 4096.0);
        QVERIFY(RowProfile::measure(core::Image16(), false).isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestUniformityScorer)
#include "test_uniformity_scorer.moc"
