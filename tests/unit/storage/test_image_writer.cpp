// Unit tests for ImageWriter: images saved in order, a full queue holding the capture back, write errors.
#include "core/storage/image_writer.h"
#include "core/storage/manifest_reader.h"
#include "core/storage/tiff_reader.h"

#include <QTemporaryDir>
#include <QTest>

#include "storage_test_util.h"
#include <atomic>

using namespace scopesync::core;
using namespace scopesync::core::storage;
using namespace std::chrono_literals;

namespace {

constexpr int kW = 64;
constexpr int kH = 48;
constexpr qint64 kImageBytes = qint64(kW) * kH * 2;

std::unique_ptr<RunFolder> newFolder(const QTemporaryDir &tmp, const QString &name)
{
    auto f = RunFolder::create(tmp.filePath(name));
    if (!f.ok())
        qFatal("%s", qPrintable(f.error().toString()));
    return std::move(f.value());
}

}  // namespace

class TestImageWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void savesEveryImageInSubmissionOrder()
    {
        QTemporaryDir tmp;
        auto folder = newFolder(tmp, QStringLiteral("run"));
        std::vector<qint64> savedOrder;
        {
            ImageWriter writer(*folder, 4 * kImageBytes);
            for (qint64 i = 0; i < 20; ++i) {
                QVERIFY(writer.submit(testutil::pattern(kW, kH, int(i)), testutil::record(i)).ok());
                for (const auto &r : writer.takeSaved())
                    savedOrder.push_back(r.frameIndex);
            }
            QVERIFY(writer.drain().ok());
            for (const auto &r : writer.takeSaved())
                savedOrder.push_back(r.frameIndex);
            QCOMPARE(writer.stats().imagesWritten, qint64(20));
            QVERIFY(writer.stats().highWaterBytes <= 4 * kImageBytes);
        }
        QCOMPARE(savedOrder.size(), std::size_t(20));
        for (std::size_t i = 0; i < savedOrder.size(); ++i)
            QCOMPARE(savedOrder[i], qint64(i));
        const auto m = ManifestReader::read(folder->path());
        QVERIFY(m.ok());
        QCOMPARE(m->entries.size(), qsizetype(20));
        for (qsizetype i = 0; i < m->entries.size(); ++i) {
            QCOMPARE(m->entries[i].frameIndex, qint64(i));
            // The pixels are the ones submitted for that index, not a neighbour's.
            const auto img = TiffReader::read(folder->path() + u'/' + m->entries[i].file);
            QVERIFY(img.ok());
            QCOMPARE(img->image.pixels, testutil::pattern(kW, kH, int(i)).pixels);
        }
    }

    // A disk slower than the producer: the queue stays within its bound, the producer waits (and is
    // told so), and nothing is dropped.
    void fullQueueMakesTheProducerWait()
    {
        QTemporaryDir tmp;
        auto folder = newFolder(tmp, QStringLiteral("run"));
        ImageWriter writer(*folder, 2 * kImageBytes);
        writer.setDelayPerImage(150ms);
        int waitCalls = 0;
        QElapsedTimer timer;
        timer.start();
        for (qint64 i = 0; i < 6; ++i)
            QVERIFY(
                writer
                    .submit(testutil::pattern(kW, kH, int(i)), testutil::record(i), {}, [&] { ++waitCalls; })
                    .ok());
        // Six images through a two-image queue at 150 ms each: the sixth could enter only once the
        // fourth was durable, 4 × 150 ms after the start at the earliest.
        QVERIFY2(timer.elapsed() >= 4 * 150 - 5, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(waitCalls >= 1);
        const auto st = writer.stats();
        QCOMPARE(st.waits, qint64(waitCalls));
        QVERIFY(st.waited > 0ns);
        QVERIFY2(st.highWaterBytes <= 2 * kImageBytes, qPrintable(QString::number(st.highWaterBytes)));
        QCOMPARE(st.highWaterImages, qint64(2));
        QVERIFY(writer.drain().ok());
        QCOMPARE(writer.takeSaved().size(), std::size_t(6));
        QCOMPARE(ManifestReader::read(folder->path())->entries.size(), qsizetype(6));
    }

    // Room reserved before a capture is armed: the image's submit never waits, and nobody else gets
    // that room meanwhile.
    void reservedRoomIsHeldForItsImage()
    {
        QTemporaryDir tmp;
        auto folder = newFolder(tmp, QStringLiteral("run"));
        ImageWriter writer(*folder, 2 * kImageBytes);
        writer.setDelayPerImage(300ms);
        QVERIFY(writer.tryReserve(kImageBytes));
        QVERIFY(writer.tryReserve(kImageBytes));
        QVERIFY(!writer.tryReserve(kImageBytes));  // the bound is held by the two reservations
        int waits = 0;
        QElapsedTimer timer;
        timer.start();
        for (qint64 i = 0; i < 2; ++i)
            QVERIFY(writer
                        .submit(
                            testutil::pattern(kW, kH, int(i)), testutil::record(i), {}, [&] { ++waits; },
                            kImageBytes)
                        .ok());
        QCOMPARE(waits, 0);
        QVERIFY2(timer.elapsed() < 300, qPrintable(QString::number(timer.elapsed())));
        // A third image without a reservation waits until the first is durable.
        QVERIFY(writer.submit(testutil::pattern(kW, kH, 2), testutil::record(2), {}, [&] { ++waits; }).ok());
        QCOMPARE(waits, 1);
        // Room given back (a capture taken back) is free again.
        QVERIFY(writer.drain().ok());
        QVERIFY(writer.tryReserve(2 * kImageBytes));
        QVERIFY(!writer.tryReserve(1));
        writer.release(2 * kImageBytes);
        QVERIFY(writer.tryReserve(kImageBytes));
        writer.release(kImageBytes);
        QCOMPARE(ManifestReader::read(folder->path())->entries.size(), qsizetype(3));
    }

    void anImageLargerThanTheBoundStillGoesThrough()
    {
        QTemporaryDir tmp;
        auto folder = newFolder(tmp, QStringLiteral("run"));
        ImageWriter writer(*folder, kImageBytes / 2);
        for (qint64 i = 0; i < 3; ++i)
            QVERIFY(writer.submit(testutil::pattern(kW, kH, int(i)), testutil::record(i)).ok());
        QVERIFY(writer.drain().ok());
        QCOMPARE(writer.stats().highWaterImages, qint64(1));
        QCOMPARE(ManifestReader::read(folder->path())->entries.size(), qsizetype(3));
    }

    void aStopWhileWaitingForRoomReturnsTheReason()
    {
        QTemporaryDir tmp;
        auto folder = newFolder(tmp, QStringLiteral("run"));
        ImageWriter writer(*folder, kImageBytes);
        writer.setDelayPerImage(1000ms);
        QVERIFY(writer.submit(testutil::pattern(kW, kH, 0), testutil::record(0)).ok());
        std::atomic<int> polls {0};
        const auto s = writer.submit(testutil::pattern(kW, kH, 1), testutil::record(1),
            [&] { return ++polls >= 2 ? QStringLiteral("terminated (SIGTERM)") : QString(); });
        QVERIFY(!s.ok());
        QCOMPARE(s.error().message, QStringLiteral("terminated (SIGTERM)"));
        // What was queued before the stop is still made durable.
        QVERIFY(writer.drain().ok());
        QCOMPARE(ManifestReader::read(folder->path())->entries.size(), qsizetype(1));
    }

    // The first write error stops the writer: the images before it stay listed, nothing after it is
    // written (the manifest stays in order), and every later call reports the error.
    void aWriteErrorStopsTheWriterAndKeepsWhatIsDurable()
    {
        QTemporaryDir tmp;
        auto folder = newFolder(tmp, QStringLiteral("run"));
        ImageWriter writer(*folder, 8 * kImageBytes);
        QVERIFY(writer.submit(testutil::pattern(kW, kH, 0), testutil::record(0)).ok());
        QVERIFY(writer.submit(testutil::pattern(kW, kH, 1), testutil::record(1)).ok());
        QVERIFY(writer.drain().ok());
        const qint64 perImage = folder->bytesWritten() / 2;
        // Room for a little more than one image: image 2 is written, image 3 fails.
        writer.setDelayPerImage(50ms);  // so images 4 and 5 are still queued when 3 fails
        folder->setWriteFaultAfterBytes(perImage + perImage / 2);
        for (qint64 i = 2; i < 6; ++i) {
            const auto s = writer.submit(testutil::pattern(kW, kH, int(i)), testutil::record(i));
            if (!s.ok())
                break;  // the failure may already be known
        }
        const auto drained = writer.drain();
        QVERIFY(!drained.ok());
        QVERIFY2(
            drained.error().message.contains(QStringLiteral("Frame 3")), qPrintable(drained.error().message));
        QVERIFY2(drained.error().message.contains(QStringLiteral("No space left")),
            qPrintable(drained.error().message));
        QCOMPARE(writer.failedFrame(), qint64(3));
        QVERIFY(!writer.submit(testutil::pattern(kW, kH, 9), testutil::record(9)).ok());
        folder->clearWriteFault();
        QVERIFY(!writer.status().ok());
        const auto m = ManifestReader::read(folder->path());
        QVERIFY(m.ok());
        QCOMPARE(m->entries.size(), qsizetype(3));
        for (qsizetype i = 0; i < 3; ++i)
            QCOMPARE(m->entries[i].frameIndex, qint64(i));
        QCOMPARE(writer.stats().imagesWritten, qint64(3));
    }
};

QTEST_GUILESS_MAIN(TestImageWriter)
#include "test_image_writer.moc"
