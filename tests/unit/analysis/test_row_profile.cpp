// Unit tests for RowProfile's fast row kernels against straightforward references (double sums, sorting).
#include "core/analysis/row_profile.h"

#include <QTest>

#include <algorithm>
#include <random>

using namespace scopesync::core;
using namespace scopesync::core::analysis;

namespace {

std::vector<double> referenceMeans(const Image16 &img, bool vflip, double black)
{
    std::vector<double> v(std::size_t(img.height));
    for (int y = 0; y < img.height; ++y) {
        double sum = 0;
        for (int x = 0; x < img.width; ++x)
            sum += img.at(x, y);
        v[std::size_t(vflip ? img.height - 1 - y : y)] = sum * (1.0 / double(img.width)) - black;
    }
    return v;
}

std::vector<double> referenceMedians(const Image16 &img, bool vflip, double black)
{
    const int step = img.width >= 64 ? 4 : 1;
    std::vector<double> v(std::size_t(img.height));
    for (int y = 0; y < img.height; ++y) {
        std::vector<quint16> s;
        for (int x = 0; x < img.width; x += step)
            s.push_back(img.at(x, y));
        std::sort(s.begin(), s.end());
        v[std::size_t(vflip ? img.height - 1 - y : y)] = double(s[s.size() / 2]) - black;
    }
    return v;
}

// Random full-range samples, a 12-bit frame with a few levels and bright spots, constant rows, an 8-bit
// frame whose samples sometimes exceed 8 bits, a 10-bit frame of noise around one level.
Image16 frame(int kind, int w, int h, std::mt19937 &rng)
{
    const int depths[] = {16, 12, 12, 8, 10};
    Image16 img(w, h, depths[kind]);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            quint16 v = 0;
            if (kind == 0)
                v = quint16(rng());
            else if (kind == 1)
                v = quint16(rng() % 50 == 0 ? 4095 : 256 + (y * 7 + (x / 3) % 5 * 255) % 3000);
            else if (kind == 2)
                v = quint16(y % 3 == 0 ? 0 : y % 3 == 1 ? 65535 : 4096);
            else if (kind == 3)
                v = quint16(rng() % (y % 2 == 0 ? 256 : 600));
            else
                v = quint16(std::clamp(500 + int(rng() % 41) - 20 + (x % 7 == 0 ? 400 : 0), 0, 1023));
            img.row(y)[x] = v;
        }
    return img;
}

}  // namespace

class TestRowProfile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fastRowsEqualReference()
    {
        std::mt19937 rng(3);
        const int sizes[][2] = {{1, 1}, {3, 5}, {63, 7}, {64, 4}, {65, 9}, {257, 3}, {1013, 11}, {4056, 6}, {300, 200}};
        for (const auto &wh : sizes)
            for (int kind = 0; kind < 5; ++kind)
                for (const bool vflip : {false, true}) {
                    const Image16 img = frame(kind, wh[0], wh[1], rng);
                    const QString what
                        = QStringLiteral("%1x%2 kind %3 vflip %4").arg(wh[0]).arg(wh[1]).arg(kind).arg(vflip);
                    // Exact equality: the same doubles, not close ones.
                    QVERIFY2(RowProfile::measure(img, vflip, 256).values() == referenceMeans(img, vflip, 256),
                        qPrintable(what));
                    QVERIFY2(RowProfile::measureMedian(img, vflip, 256).values()
                            == referenceMedians(img, vflip, 256),
                        qPrintable(what));
                }
    }

    // Rows wider than 65536 samples of 65535: the 32-bit lanes must be emptied before they overflow.
    void wideSaturatedRowsDoNotOverflow()
    {
        Image16 img(70'001, 2, 16);
        std::fill(img.pixels.begin(), img.pixels.end(), quint16(65535));
        QCOMPARE(RowProfile::measure(img, false, 0).values(), referenceMeans(img, false, 0));
        QCOMPARE(RowProfile::measure(img, false, 0).at(0), 65535.0);
        QCOMPARE(RowProfile::measureMedian(img, false, 0).at(1), 65535.0);
    }
};

QTEST_APPLESS_MAIN(TestRowProfile)
#include "test_row_profile.moc"
