// Qt Multimedia frames read as luminance: each pixel-format family, sample by sample, with the frame's own
// line stride; unreadable formats refused, not guessed.
#include "hal/qtcamera/video_frame_luma.h"

#include <QTest>
#include <QVideoFrame>

#include <functional>

using namespace scopesync;
using PF = QVideoFrameFormat::PixelFormat;

namespace {

constexpr int kW = 6;
constexpr int kH = 4;

// A frame of `format` whose bytes `fill(plane, line, bytes)` writes, plane by plane, line by line.
QVideoFrame makeFrame(PF format, const std::function<void(int plane, int y, uchar *line, int stride)> &fill)
{
    QVideoFrame f(QVideoFrameFormat(QSize(kW, kH), format));
    if (!f.map(QVideoFrame::WriteOnly))
        return {};
    for (int p = 0; p < f.planeCount(); ++p) {
        const int lines = p == 0 ? kH : kH / 2;
        for (int y = 0; y < lines; ++y)
            fill(p, y, f.bits(p) + std::size_t(y) * std::size_t(f.bytesPerLine(p)), f.bytesPerLine(p));
    }
    f.unmap();
    return f;
}

int expectedY(int x, int y)
{
    return 10 + 30 * y + 7 * x;
}

}  // namespace

class TestVideoFrameLuma : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void yPlanesAreTakenAsTheyAre_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("NV12") << int(PF::Format_NV12);
        QTest::newRow("YUV420P") << int(PF::Format_YUV420P);
        QTest::newRow("Y8") << int(PF::Format_Y8);
    }
    void yPlanesAreTakenAsTheyAre()
    {
        QFETCH(int, format);
        const auto frame = makeFrame(PF(format), [](int plane, int y, uchar *line, int stride) {
            for (int i = 0; i < stride; ++i)
                line[i] = plane == 0 && i < kW ? uchar(expectedY(i, y)) : uchar(0xEE);  // padding: 0xEE
        });
        QVERIFY(frame.isValid());
        const auto img = hal::qtcamera::luminanceOf(frame);
        QVERIFY(img.has_value());
        QCOMPARE(img->width, kW);
        QCOMPARE(img->height, kH);
        QCOMPARE(img->bitDepth, 8);
        for (int y = 0; y < kH; ++y)
            for (int x = 0; x < kW; ++x)
                QCOMPARE(int(img->at(x, y)), expectedY(x, y));
        QCOMPARE(hal::qtcamera::lumaCost(PF(format)), 0);
    }

    void packedYuvTakesEveryOtherByte_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("yByte");
        QTest::newRow("YUYV") << int(PF::Format_YUYV) << 0;
        QTest::newRow("UYVY") << int(PF::Format_UYVY) << 1;
    }
    void packedYuvTakesEveryOtherByte()
    {
        QFETCH(int, format);
        QFETCH(int, yByte);
        const auto frame = makeFrame(PF(format), [&](int, int y, uchar *line, int stride) {
            for (int i = 0; i < stride; ++i)
                line[i] = i < 2 * kW && i % 2 == yByte ? uchar(expectedY(i / 2, y)) : uchar(200);
        });
        const auto img = hal::qtcamera::luminanceOf(frame);
        QVERIFY(img.has_value());
        QCOMPARE(img->bitDepth, 8);
        for (int y = 0; y < kH; ++y)
            for (int x = 0; x < kW; ++x)
                QCOMPARE(int(img->at(x, y)), expectedY(x, y));
    }

    void sixteenBitGreyKeepsItsBits_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("shift");
        QTest::addColumn<int>("bits");
        QTest::newRow("Y16") << int(PF::Format_Y16) << 0 << 16;
        QTest::newRow("P010 (10 bits at the top)") << int(PF::Format_P010) << 6 << 10;
    }
    void sixteenBitGreyKeepsItsBits()
    {
        QFETCH(int, format);
        QFETCH(int, shift);
        QFETCH(int, bits);
        const auto value = [&](int x, int y) { return (1000 * y + 97 * x + 1) & ((1 << bits) - 1); };
        const auto frame = makeFrame(PF(format), [&](int plane, int y, uchar *line, int stride) {
            auto *s = reinterpret_cast<quint16 *>(line);
            for (int i = 0; i < stride / 2; ++i)
                s[i] = plane == 0 && i < kW ? quint16(value(i, y) << shift) : quint16(0xFFFF);
        });
        const auto img = hal::qtcamera::luminanceOf(frame);
        QVERIFY(img.has_value());
        QCOMPARE(img->bitDepth, bits);
        for (int y = 0; y < kH; ++y)
            for (int x = 0; x < kW; ++x)
                QCOMPARE(int(img->at(x, y)), value(x, y));
    }

    void rgbBecomesBt601Luma_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("r");
        QTest::addColumn<int>("g");
        QTest::addColumn<int>("b");
        QTest::newRow("XRGB8888") << int(PF::Format_XRGB8888) << 1 << 2 << 3;
        QTest::newRow("BGRA8888") << int(PF::Format_BGRA8888) << 2 << 1 << 0;
        QTest::newRow("XBGR8888") << int(PF::Format_XBGR8888) << 3 << 2 << 1;
        QTest::newRow("RGBA8888") << int(PF::Format_RGBA8888) << 0 << 1 << 2;
    }
    void rgbBecomesBt601Luma()
    {
        QFETCH(int, format);
        QFETCH(int, r);
        QFETCH(int, g);
        QFETCH(int, b);
        // Pure red, green, blue, white, black and a grey across each line.
        const int colours[kW][3]
            = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}, {0, 0, 0}, {90, 90, 90}};
        const int luma[kW] = {77, 149, 29, 255, 0, 90};  // (77 R + 150 G + 29 B + 128) >> 8
        const auto frame = makeFrame(PF(format), [&](int, int, uchar *line, int stride) {
            std::fill(line, line + stride, uchar(0x55));
            for (int x = 0; x < kW; ++x) {
                line[4 * x + r] = uchar(colours[x][0]);
                line[4 * x + g] = uchar(colours[x][1]);
                line[4 * x + b] = uchar(colours[x][2]);
            }
        });
        const auto img = hal::qtcamera::luminanceOf(frame);
        QVERIFY(img.has_value());
        for (int y = 0; y < kH; ++y)
            for (int x = 0; x < kW; ++x)
                QCOMPARE(int(img->at(x, y)), luma[x]);
    }

    void formatsItCannotReadAreRefused()
    {
        QCOMPARE(hal::qtcamera::lumaCost(PF::Format_AYUV), -1);
        QCOMPARE(hal::qtcamera::lumaCost(PF::Format_Invalid), -1);
        const auto frame = makeFrame(PF::Format_AYUV,
            [](int, int, uchar *line, int stride) { std::fill(line, line + stride, uchar(1)); });
        QVERIFY(!hal::qtcamera::luminanceOf(frame).has_value());
        QVERIFY(!hal::qtcamera::luminanceOf(QVideoFrame()).has_value());
        QCOMPARE(hal::qtcamera::pixelFormatName(PF::Format_YUYV), QStringLiteral("YUYV"));
    }
};

QTEST_GUILESS_MAIN(TestVideoFrameLuma)
#include "test_video_frame_luma.moc"
