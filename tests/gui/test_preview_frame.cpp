// PreviewFrame: the worker's binning, saturation marks and histogram against a straightforward
// reference, the bin chosen for what the screen shows, and the LUT's rendering at the screen's pixels.
#include "ui/preview/level_lut.h"
#include "ui/preview/preview_frame.h"

#include <QTest>

#include <algorithm>
#include <random>
#include <set>

using namespace scopesync;
using ui::PreviewFrame;
using ui::PreviewView;

namespace {

// The definition, pixel by pixel: mean of each whole bin (12-bit), any sample at full scale, and the
// histogram of every histogramStep-th sample in x and y.
void checkAgainstReference(const core::Image16 &img, const PreviewFrame &pf)
{
    const int bin = pf.bin;
    const int shift = std::max(0, img.bitDepth - 12);
    const quint32 fullScale = (1u << img.bitDepth) - 1u;
    QCOMPARE(pf.display.width, img.width / bin);
    QCOMPARE(pf.display.height, img.height / bin);
    for (int by = 0; by < pf.display.height; ++by)
        for (int bx = 0; bx < pf.display.width; ++bx) {
            quint64 sum = 0;
            bool saturated = false;
            for (int y = by * bin; y < (by + 1) * bin; ++y)
                for (int x = bx * bin; x < (bx + 1) * bin; ++x) {
                    sum += img.at(x, y);
                    saturated = saturated || img.at(x, y) >= fullScale;
                }
            const auto mean = quint16(std::min<quint64>((sum / quint64(bin * bin)) >> shift, 4095));
            if (pf.display.at(bx, by) != mean)
                QFAIL(qPrintable(QStringLiteral("bin %1: display (%2, %3) is %4, the mean is %5")
                                     .arg(bin)
                                     .arg(bx)
                                     .arg(by)
                                     .arg(pf.display.at(bx, by))
                                     .arg(mean)));
            QCOMPARE(bool(pf.saturated[std::size_t(by) * std::size_t(pf.display.width) + std::size_t(bx)]),
                saturated);
        }
    std::array<quint32, PreviewFrame::kLevels> hist {};
    const int step = pf.histogramStep;
    for (int y = 0; y < pf.display.height * bin; y += step)
        for (int x = 0; x < img.width; x += step)
            ++hist[std::min<std::size_t>(std::size_t(img.at(x, y) >> shift), 4095)];
    QVERIFY(hist == pf.histogram);
}

// 0.1 % of the samples at full scale, in every `clipEvery`-th row only (1: anywhere); below it elsewhere.
core::Image16 randomFrame(int w, int h, int bits, std::mt19937 &rng, int clipEvery = 1)
{
    core::Image16 img(w, h, bits);
    std::uniform_int_distribution<int> value(0, (1 << bits) - 2);
    std::uniform_int_distribution<int> clip(0, 999);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            img.row(y)[x]
                = y % clipEvery == 0 && clip(rng) == 0 ? quint16((1 << bits) - 1) : quint16(value(rng));
    return img;
}

}  // namespace

class TestPreviewFrame : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void binsLikeTheDefinition_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("clipEvery");
        QTest::newRow("12-bit, odd size") << 1013 << 757 << 12 << 1;
        QTest::newRow("12-bit, 2028x1520") << 2028 << 1520 << 12 << 1;
        // Most bin rows with no sample at full scale (only their sums are reduced), some with.
        QTest::newRow("12-bit, full scale in a few rows") << 1013 << 757 << 12 << 97;
        QTest::newRow("10-bit, small") << 97 << 61 << 10 << 1;
        QTest::newRow("16-bit (32-bit sums)") << 611 << 409 << 16 << 1;
    }

    void binsLikeTheDefinition()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, bits);
        QFETCH(int, clipEvery);
        std::mt19937 rng(quint32(width * 31 + bits));
        const auto img
            = std::make_shared<const core::Image16>(randomFrame(width, height, bits, rng, clipEvery));
        std::set<int> bins;
        // Views from the whole frame down to a tiny one: every bin from 1 up to past 16 (the 16-bit
        // sums' limit) is taken by some view.
        for (int side : {4096, 1024, 900, 800, 700, 600, 500, 400, 350, 300, 250, 200, 170, 150, 130, 110,
                 100, 90, 80, 70, 64, 60, 50, 40, 30, 20, 10}) {
            const PreviewView view {QSize(side, side), 1.0};
            const auto pf = PreviewFrame::fromImage(img, 4096, view);
            bins.insert(pf->bin);
            checkAgainstReference(*img, *pf);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY2(bins.count(1) && bins.count(2) && bins.count(3) && *bins.rbegin() >= 5,
            qPrintable(QStringLiteral("bins taken: %1 … %2").arg(*bins.begin()).arg(*bins.rbegin())));
    }

    // A frame with the camera's preview stream (a quarter of 2028x1520, 8 bits): a view that needs no finer
    // bin than the stream shows the stream, binned further to the view and widened to 12 bits; a view
    // zoomed in past it bins the full frame; a stream that is no whole fraction of the frame is ignored.
    void aPreviewStreamIsShownWhenTheViewAllows()
    {
        std::mt19937 rng(5);
        const core::Image16 raw = randomFrame(2028, 1520, 12, rng);
        core::Image16 stream = randomFrame(507, 380, 8, rng);
        const auto capture = [&](const core::Image16 &preview) {
            core::acquisition::CapturedFrame f;
            f.image = raw;
            f.preview = preview;
            f.sequence = 7;
            return f;
        };
        // The touchscreen: bin 5 for the frame, so the stream (bin 4) is shown as it is.
        const PreviewView touch {QSize(434, 282), 1.0};
        auto pf = PreviewFrame::fromCapture(capture(stream), 1024, touch);
        QVERIFY(pf->cameraPreview);
        QCOMPARE(pf->bin, 4);
        QCOMPARE(pf->sequence, qint64(7));
        QCOMPARE(pf->full->width, 2028);  // the value under the cursor still comes from the raw frame
        QCOMPARE(pf->full->pixels, raw.pixels);
        core::Image16 widened = stream;
        for (auto &v : widened.pixels)
            v = quint16((v << 4) | (v >> 4));
        widened.bitDepth = 12;
        QCOMPARE(pf->display.pixels, widened.pixels);
        QCOMPARE(widened.at(0, 0) == 4095, stream.at(0, 0) == 255);
        // A smaller view needs bin 10 (11 with display pixels up to 1.1 screen pixels): the stream binned by
        // 3 (bin 12, the multiple of 4 nearest 10).
        const PreviewView small {QSize(200, 150), 1.0};
        QCOMPARE(PreviewFrame::binFor(QSize(2028, 1520), small, 1024, 1.0), 10);
        QCOMPARE(PreviewFrame::binFor(QSize(2028, 1520), small, 1024), 11);
        pf = PreviewFrame::fromCapture(capture(stream), 1024, small);
        QVERIFY(pf->cameraPreview);
        QCOMPARE(pf->bin, 12);
        QCOMPARE(pf->display.width, 507 / 3);
        const auto binnedStream = PreviewFrame::binned(std::make_shared<const core::Image16>(widened), 3);
        QCOMPARE(pf->display.pixels, binnedStream->display.pixels);
        QVERIFY(pf->histogram == binnedStream->histogram);
        QVERIFY(pf->saturated == binnedStream->saturated);
        // Zoomed in: finer than the stream, so the raw frame is binned.
        pf = PreviewFrame::fromCapture(capture(stream), 1024, {QSize(434, 282), 2.5});
        QVERIFY(!pf->cameraPreview);
        QCOMPARE(pf->bin, 2);
        checkAgainstReference(raw, *pf);
        // A stream whose size is not the frame's divided by a whole number is not used.
        pf = PreviewFrame::fromCapture(capture(randomFrame(500, 380, 8, rng)), 1024, touch);
        QVERIFY(!pf->cameraPreview);
        QCOMPARE(pf->bin, 5);
    }

    void binFollowsWhatTheScreenShows()
    {
        const QSize frame(2028, 1520);
        // No view yet: only maxSide binds.
        QCOMPARE(PreviewFrame::binFor(frame, {}, 1024), 2);
        // The touchscreen's preview (434×282): the fitted frame is 376×282 screen pixels, so bin 5
        // (405×304 display pixels) still has one per screen pixel, bin 6 (338×253) would not.
        QCOMPARE(PreviewFrame::binFor(frame, {QSize(434, 282), 1.0}, 1024), 5);
        QVERIFY(2028 / 5 >= 376 && 2028 / 6 < 376);
        // Zoomed in, finer; zoomed far in, every sensor pixel (maxSide still binds).
        QCOMPARE(PreviewFrame::binFor(frame, {QSize(434, 282), 2.5}, 1024), 2);
        QCOMPARE(PreviewFrame::binFor(frame, {QSize(434, 282), 8.0}, 4096), 1);
        QCOMPARE(PreviewFrame::binFor(frame, {QSize(434, 282), 8.0}, 1024), 2);
        // The desktop's preview (524×646): the fitted frame is 524×393 screen pixels. Bin 3 (676×506) would
        // be the finest with one display pixel per screen pixel; bin 4 (507×380) is drawn 3 % enlarged, and
        // costs the worker, the LUT and the paint 44 % fewer pixels.
        QCOMPARE(PreviewFrame::binFor(frame, {QSize(524, 646), 1.0}, 1024, 1.0), 3);
        QCOMPARE(PreviewFrame::binFor(frame, {QSize(524, 646), 1.0}, 1024), 4);
        // A view bigger than the frame: no binning; a tiny one: capped.
        QCOMPARE(PreviewFrame::binFor(frame, {QSize(4000, 3000), 1.0}, 4096), 1);
        QCOMPARE(PreviewFrame::binFor(frame, {QSize(3, 3), 1.0}, 1024), PreviewFrame::kMaxViewBin);
    }

    // At fit the widget shows the LUT's output resampled to its device pixels: flat stays flat, a ramp
    // stays a ramp, and the same size is the plain rendering.
    void theFittedRenderingIsTheImageResampled()
    {
        ui::LevelLut lut;
        core::Image16 flat(507, 380, 12);
        std::fill(flat.pixels.begin(), flat.pixels.end(), quint16(1000));
        const QImage grown = lut.render(flat, nullptr, true, QSize(524, 393));
        QCOMPARE(grown.size(), QSize(524, 393));
        for (int y = 0; y < grown.height(); y += 7)
            for (int x = 0; x < grown.width(); x += 5)
                QCOMPARE(grown.pixel(x, y), lut.colour(1000));

        core::Image16 ramp(405, 304, 12);
        for (int y = 0; y < ramp.height; ++y)
            for (int x = 0; x < ramp.width; ++x)
                ramp.pixels[std::size_t(y) * 405 + std::size_t(x)] = quint16(x * 10);
        for (const QSize target : {QSize(376, 282), QSize(430, 322), QSize(203, 152)}) {
            const QImage out = lut.render(ramp, nullptr, true, target);
            QCOMPARE(out.size(), target);
            for (int y = 0; y < out.height(); y += 11) {
                for (int x = 1; x < out.width(); ++x)
                    QVERIFY2(qGray(out.pixel(x, y)) >= qGray(out.pixel(x - 1, y)),
                        qPrintable(QStringLiteral("%1x%2: grey falls at x %3").arg(target.width()).arg(x)));
                // The ends are the ramp's ends, within one step of the ramp.
                QVERIFY(std::abs(qGray(out.pixel(0, y)) - qGray(lut.colour(0))) <= 2);
                QVERIFY(std::abs(qGray(out.pixel(out.width() - 1, y)) - qGray(lut.colour(4040))) <= 2);
            }
        }
        QCOMPARE(lut.render(ramp, nullptr, true, QSize(405, 304)), lut.render(ramp, nullptr, true));
        // Shrunk below half, marks could fall between samples: the image's own size, for a scaled paint.
        QCOMPARE(lut.render(ramp, nullptr, true, QSize(200, 150)).size(), QSize(405, 304));
    }

    // An overexposed display pixel is marked on screen wherever it is, grown or shrunk down to half.
    void overexposureMarksSurviveResampling()
    {
        ui::LevelLut lut;
        core::Image16 img(41, 31, 12);
        std::fill(img.pixels.begin(), img.pixels.end(), quint16(500));
        std::vector<quint8> saturated(img.pixels.size(), 0);
        const auto marks = [&](const QImage &out) {
            int n = 0;
            for (int y = 0; y < out.height(); ++y)
                for (int x = 0; x < out.width(); ++x)
                    n += out.pixel(x, y) == ui::LevelLut::kOverexposed ? 1 : 0;
            return n;
        };
        for (const QSize target : {QSize(43, 32), QSize(38, 29), QSize(21, 16), QSize(80, 60)})
            QCOMPARE(marks(lut.render(img, &saturated, true, target)), 0);
        for (int y = 0; y < img.height; ++y)
            for (int x = 0; x < img.width; ++x) {
                const std::size_t i = std::size_t(y) * std::size_t(img.width) + std::size_t(x);
                saturated[i] = 1;
                for (const QSize target : {QSize(43, 32), QSize(38, 29), QSize(21, 16), QSize(80, 60)}) {
                    QVERIFY2(marks(lut.render(img, &saturated, true, target)) > 0,
                        qPrintable(QStringLiteral("pixel %1,%2 unmarked at %3x%4")
                                       .arg(x)
                                       .arg(y)
                                       .arg(target.width())
                                       .arg(target.height())));
                    QCOMPARE(marks(lut.render(img, &saturated, false, target)), 0);
                }
                saturated[i] = 0;
            }
    }

    // An earlier rendering is written over only when no one else holds it.
    void aRenderingHeldElsewhereIsNotWrittenOver()
    {
        ui::LevelLut lut;
        core::Image16 img(100, 80, 12);
        std::fill(img.pixels.begin(), img.pixels.end(), quint16(4095));
        QImage first = lut.render(img, nullptr, true, QSize(110, 88));
        const QImage kept = first;  // shared: must stay white
        std::fill(img.pixels.begin(), img.pixels.end(), quint16(0));
        const QImage second = lut.render(img, nullptr, true, QSize(110, 88), std::move(first));
        QCOMPARE(kept.pixel(50, 40), lut.colour(4095));
        QCOMPARE(second.pixel(50, 40), lut.colour(0));
        const uchar *bits = second.constBits();
        QImage reused = second;
        reused = QImage();  // only `second` holds it again
        const QImage third = lut.render(img, nullptr, true, QSize(110, 88), QImage(second));
        QVERIFY(third.constBits() != bits);  // `second` still holds its pixels: a new image
    }
};

QTEST_GUILESS_MAIN(TestPreviewFrame)
#include "test_preview_frame.moc"
