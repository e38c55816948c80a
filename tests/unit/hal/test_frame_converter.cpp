// Unit tests for the libcamera frame converter: every packing against a sample-by-sample reference, odd
// widths and padded strides included, and the buffers it must refuse.
#include "hal/libcamera/frame_converter.h"
#include "hal/pi/pi_rig.h"

#include <QTest>

#include <libcamera/formats.h>

#include "support/verify_ok.h"
#include <random>
#include <vector>

using namespace scopesync;
namespace f = ::libcamera::formats;

namespace {

// Sample x of a row, read the way the formats are documented, one sample at a time.
int referenceSample(int bits, bool packed, const std::uint8_t *row, int x)
{
    if (!packed && bits == 8)
        return row[x];
    if (!packed)
        return row[2 * x] | (row[2 * x + 1] << 8);
    if (bits == 10) {
        const std::uint8_t *g = row + (x / 4) * 5;
        return (g[x % 4] << 2) | ((g[4] >> (2 * (x % 4))) & 0x3);
    }
    const std::uint8_t *g = row + (x / 2) * 3;
    return (g[x % 2] << 4) | ((g[2] >> (4 * (x % 2))) & 0xf);
}

int rowBytes(int bits, bool packed, int width)
{
    if (!packed)
        return width * (bits == 8 ? 1 : 2);
    return bits == 10 ? (width + 3) / 4 * 5 : (width + 1) / 2 * 3;
}

}  // namespace

class TestFrameConverter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rawMatchesReference_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("packed");
        QTest::newRow("SRGGB8") << QStringLiteral("SRGGB8") << 8 << false;
        QTest::newRow("SGRBG10") << QStringLiteral("SGRBG10") << 10 << false;
        QTest::newRow("SBGGR12") << QStringLiteral("SBGGR12") << 12 << false;
        QTest::newRow("SRGGB16") << QStringLiteral("SRGGB16") << 16 << false;
        QTest::newRow("SRGGB10_CSI2P") << QStringLiteral("SRGGB10_CSI2P") << 10 << true;
        QTest::newRow("SGBRG12_CSI2P") << QStringLiteral("SGBRG12_CSI2P") << 12 << true;
    }

    // Widths around every group size, tight and padded strides, random bytes: every sample exact.
    void rawMatchesReference()
    {
        QFETCH(QString, format);
        QFETCH(int, bits);
        QFETCH(bool, packed);
        const auto pf = ::libcamera::PixelFormat::fromString(format.toStdString());
        QVERIFY(pf.isValid());
        QVERIFY(hal::libcamera::isRawBayer(pf));
        std::mt19937 rng(42);
        for (int width = 1; width <= 41; ++width)
            for (const int pad : {0, 1, 7, 32}) {
                const int height = 3 + width % 4;
                const int stride = rowBytes(bits, packed, width) + pad;
                // The last row needs only its own bytes, not a whole stride.
                std::vector<std::uint8_t> buf(std::size_t(stride) * std::size_t(height - 1)
                    + std::size_t(rowBytes(bits, packed, width)));
                for (auto &b : buf)
                    b = std::uint8_t(rng());
                auto img = hal::libcamera::convertFrame({pf, width, height, stride}, buf.data(), buf.size());
                SCOPESYNC_VERIFY_OK(img);
                QCOMPARE(img.value().width, width);
                QCOMPARE(img.value().height, height);
                QCOMPARE(img.value().bitDepth, bits);
                for (int y = 0; y < height; ++y)
                    for (int x = 0; x < width; ++x) {
                        const int want
                            = referenceSample(bits, packed, buf.data() + std::size_t(y) * stride, x);
                        if (img.value().at(x, y) != want)
                            QFAIL(
                                qPrintable(QStringLiteral("width %1 stride %2: sample (%3, %4) is %5, not %6")
                                               .arg(width)
                                               .arg(stride)
                                               .arg(x)
                                               .arg(y)
                                               .arg(img.value().at(x, y))
                                               .arg(want)));
                    }
            }
    }

    // Known bytes, known samples: the documented CSI-2 layouts themselves, not only self-consistency.
    void csi2PackedKnownValues()
    {
        const std::uint8_t p12[] = {0xAB, 0xCD, 0x1E, 0x12, 0x34, 0xF0};
        auto a = hal::libcamera::convertFrame({f::SRGGB12_CSI2P, 4, 1, 0}, p12, sizeof p12);
        QVERIFY(a.ok());
        QCOMPARE(a.value().at(0, 0), quint16(0xABE));
        QCOMPARE(a.value().at(1, 0), quint16(0xCD1));
        QCOMPARE(a.value().at(2, 0), quint16(0x120));
        QCOMPARE(a.value().at(3, 0), quint16(0x34F));
        const std::uint8_t p10[] = {0xFF, 0x00, 0x80, 0x01, 0b11'10'01'00};
        auto b = hal::libcamera::convertFrame({f::SRGGB10_CSI2P, 4, 1, 0}, p10, sizeof p10);
        QVERIFY(b.ok());
        QCOMPARE(b.value().at(0, 0), quint16(0x3FC));
        QCOMPARE(b.value().at(1, 0), quint16(0x001));
        QCOMPARE(b.value().at(2, 0), quint16(0x202));
        QCOMPARE(b.value().at(3, 0), quint16(0x007));
    }

    void rgbBecomesLuma()
    {
        const std::uint8_t bgr[] = {0, 0, 255, 0, 255, 0};  // RGB888 is B, G, R in memory: red, then green
        auto img = hal::libcamera::convertFrame({f::RGB888, 2, 1, 0}, bgr, sizeof bgr);
        QVERIFY(img.ok());
        QCOMPARE(img.value().at(0, 0), quint16((299 * 255 + 500) / 1000));
        QCOMPARE(img.value().at(1, 0), quint16((587 * 255 + 500) / 1000));
        const std::uint8_t xbgr[] = {10, 20, 30, 99, 0, 0, 0, 0};  // XBGR8888 is R, G, B, X in memory
        auto x = hal::libcamera::convertFrame({f::XBGR8888, 2, 1, 0}, xbgr, sizeof xbgr);
        QVERIFY(x.ok());
        QCOMPARE(x.value().at(0, 0), quint16((299 * 10 + 587 * 20 + 114 * 30 + 500) / 1000));
    }

    void refusesShortBuffersAndUnknownFormats()
    {
        std::vector<std::uint8_t> buf(100);
        // 5 samples of RAW12 packed take three groups: 9 bytes, one more than the samples' own bits.
        QVERIFY(!hal::libcamera::convertFrame({f::SRGGB12_CSI2P, 5, 1, 0}, buf.data(), 8).ok());
        QVERIFY(hal::libcamera::convertFrame({f::SRGGB12_CSI2P, 5, 1, 0}, buf.data(), 9).ok());
        QVERIFY(!hal::libcamera::convertFrame({f::SRGGB10_CSI2P, 5, 1, 0}, buf.data(), 9).ok());
        QVERIFY(hal::libcamera::convertFrame({f::SRGGB10_CSI2P, 5, 1, 0}, buf.data(), 10).ok());
        QVERIFY(!hal::libcamera::convertFrame({f::SRGGB16, 10, 2, 24}, buf.data(), 24 + 19).ok());
        QVERIFY(
            !hal::libcamera::convertFrame({f::SRGGB16, 10, 2, 16}, buf.data(), 100).ok());  // stride < row
        QVERIFY(!hal::libcamera::convertFrame({f::YUYV, 4, 4, 0}, buf.data(), 100).ok());
        QVERIFY(!hal::libcamera::isConvertible(f::YUYV));
    }

    // A preview stream's YUV: the luminance plane, one byte per pixel, rows at the stride; not raw.
    void yuvGivesItsLuminancePlane()
    {
        const int w = 5, h = 3, stride = 8;
        std::vector<std::uint8_t> buf(std::size_t(stride * h + stride * h / 2), 0xEE);  // chroma after Y
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                buf[std::size_t(y * stride + x)] = std::uint8_t(40 * y + x);
        for (const auto &format : {f::YUV420, f::NV12, f::NV21, f::YVU420, f::R8}) {
            auto img = hal::libcamera::convertFrame({format, w, h, stride}, buf.data(), buf.size());
            QVERIFY2(img.ok(), qPrintable(QString::fromStdString(format.toString())));
            QCOMPARE(img.value().bitDepth, 8);
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x)
                    QCOMPARE(img.value().at(x, y), quint16(40 * y + x));
            QVERIFY(hal::libcamera::isConvertible(format));
            QVERIFY(!hal::libcamera::isRawBayer(format));
        }
        // The last row needs only its own pixels, not a whole stride.
        QVERIFY(
            hal::libcamera::convertFrame({f::YUV420, w, h, stride}, buf.data(), std::size_t(2 * stride + w))
                .ok());
        QVERIFY(!hal::libcamera::convertFrame(
            {f::YUV420, w, h, stride}, buf.data(), std::size_t(2 * stride + w - 1))
                     .ok());
    }

    // The preview stream asked of a Pi camera: the mode over the smallest whole number that fits.
    void previewStreamSizeIsAWholeFraction()
    {
        QCOMPARE(hal::pi::previewStreamSize(QSize(4056, 3040), 1024), QSize(1014, 760));
        QCOMPARE(hal::pi::previewStreamSize(QSize(2028, 1520), 1024), QSize(1014, 760));
        QCOMPARE(hal::pi::previewStreamSize(QSize(1456, 1088), 1024), QSize(728, 544));  // Global Shutter
        QCOMPARE(hal::pi::previewStreamSize(QSize(800, 600), 1024), QSize(800, 600));
        // 1332x990 is wider than 1024; / 2 gives an odd height (495); / 3 fits.
        QCOMPARE(hal::pi::previewStreamSize(QSize(1332, 990), 1024), QSize(444, 330));
        QCOMPARE(hal::pi::previewStreamSize(QSize(1021, 1021), 1024), QSize());  // a prime side: odd
        QCOMPARE(hal::pi::previewStreamSize(QSize(4056, 3040), 0), QSize());
    }
};

QTEST_APPLESS_MAIN(TestFrameConverter)
#include "test_frame_converter.moc"
