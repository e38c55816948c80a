// Unit tests for the run folder: manifest ordering, fault injection, a real full disk, SIGKILL mid-run.
#include "core/storage/crc32.h"
#include "core/storage/manifest_reader.h"
#include "core/storage/run_folder.h"
#include "core/storage/tiff_reader.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include "storage_test_util.h"
#include "support/verify_ok.h"
#include <csignal>
#include <cstring>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace scopesync::core;
using namespace scopesync::core::storage;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList files(const QString &dir, const QString &pattern)
{
    return QDir(dir).entryList({pattern}, QDir::Files | QDir::Hidden, QDir::Name);
}

// Every manifest entry names a complete file whose size, CRC and pixels match what was written with
// testutil::pattern(w, h, frameIndex). Returns an empty string or the first problem.
QString verifyListedImages(const QString &dir, const Manifest &m, int w, int h)
{
    for (const auto &e : m.entries) {
        const QByteArray bytes = readAll(QDir(dir).filePath(e.file));
        if (bytes.size() != e.bytes)
            return QStringLiteral("%1: %2 bytes on disk, manifest says %3")
                .arg(e.file)
                .arg(bytes.size())
                .arg(e.bytes);
        if (Crc32::of(bytes.constData(), std::size_t(bytes.size())) != e.crc32)
            return QStringLiteral("%1: CRC mismatch").arg(e.file);
        auto img = TiffReader::parse(bytes, e.file);
        if (!img)
            return img.error().toString();
        if (img->image.pixels != testutil::pattern(w, h, int(e.frameIndex)).pixels)
            return QStringLiteral("%1: pixels differ").arg(e.file);
    }
    return {};
}

Status addFrame(RunFolder &run, qint64 frame, int w, int h)
{
    return run.addImage(testutil::pattern(w, h, int(frame)), testutil::record(frame));
}

}  // namespace

class TestRunFolder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void imagesAreListedInOrderWithChecksums()
    {
        QTemporaryDir tmp;
        auto run = RunFolder::create(tmp.filePath(QStringLiteral("runs/r1")));
        SCOPESYNC_VERIFY_OK(run);
        const QString dir = (*run)->path();
        for (qint64 f = 0; f < 3; ++f)
            QVERIFY(addFrame(**run, f, 64, 48).ok());
        QVERIFY((*run)
                    ->addImage(testutil::pattern(64, 48, 3),
                        testutil::record(3, QStringLiteral("4/5"), QStringLiteral("red+blue")))
                    .ok());
        QCOMPARE((*run)->imagesSaved(), 4);

        auto m = ManifestReader::read(dir);
        QVERIFY(m.ok());
        QCOMPARE(m->entries.size(), 4);
        QVERIFY(!m->truncatedTail);
        QCOMPARE(m->entries[0].file, QStringLiteral("000000_645_red.ome.tif"));
        QCOMPARE(m->entries[3].file, QStringLiteral("000003_4-5_red-blue.ome.tif"));
        QCOMPARE(m->entries[2].frameIndex, qint64(2));
        QCOMPARE(m->entries[2].monotonicNs, testutil::record(2).frameTimestampNs);
        QCOMPARE(m->entries[1].wallTime, QStringLiteral("2024-03-01T12:00:00.550Z"));
        QCOMPARE(m->entries[1].width, 64);
        const QString problem = verifyListedImages(dir, *m, 64, 48);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(files(dir, QStringLiteral("*.tmp")).isEmpty());

        // DeltaT counts from the run's first frame.
        auto second = TiffReader::read(QDir(dir).filePath(m->entries[1].file));
        QVERIFY(second->description.contains("DeltaT=\"0.3\""));
    }

    // A label the protocol accepts may be longer than a file name may be: the name is bounded, the
    // image saved, and two long labels differing only at their end still get two names.
    void longLabelsGiveBoundedDistinctFileNames()
    {
        QTemporaryDir tmp;
        auto run = RunFolder::create(tmp.filePath(QStringLiteral("r")));
        QVERIFY(run.ok());
        const QString longA = QString(300, u'a') + QStringLiteral("-one");
        const QString longB = QString(300, u'a') + QStringLiteral("-two");
        const QString nameA = RunFolder::imageFileName(testutil::record(0, longA));
        const QString nameB = RunFolder::imageFileName(testutil::record(0, longB));
        QVERIFY2(nameA.toUtf8().size() <= 255, qPrintable(QString::number(nameA.size())));
        QCOMPARE(nameA.size(), RunFolder::kMaxImageFileStem + 8);
        QVERIFY(nameA.startsWith(QStringLiteral("000000_aaaa")));
        QVERIFY(nameA.endsWith(QStringLiteral(".ome.tif")));
        QVERIFY(nameA != nameB);
        QCOMPARE(RunFolder::imageFileName(testutil::record(0, longA)), nameA);  // stable
        QCOMPARE(RunFolder::imageFileName(testutil::record(0)), QStringLiteral("000000_645_red.ome.tif"));
        const auto saved = (*run)->addImage(testutil::pattern(64, 48, 0), testutil::record(0, longA));
        SCOPESYNC_VERIFY_OK(saved);
        QVERIFY((*run)->addImage(testutil::pattern(64, 48, 1), testutil::record(1, longB)).ok());
        auto m = ManifestReader::read((*run)->path());
        QVERIFY(m.ok());
        QCOMPARE(m->entries.size(), 2);
        QVERIFY(QFile::exists(QDir((*run)->path()).filePath(m->entries[0].file)));
    }

    void refusesToOverwriteARun()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("run"));
        {
            auto first = RunFolder::create(path);
            QVERIFY(first.ok());
            QVERIFY(addFrame(**first, 0, 8, 8).ok());
        }
        const QByteArray manifest = readAll(QDir(path).filePath(QStringLiteral("manifest.jsonl")));
        auto second = RunFolder::create(path);
        QVERIFY(!second.ok());
        QVERIFY2(second.error().message.contains(QStringLiteral("Refusing to overwrite")),
            qPrintable(second.error().message));
        QVERIFY(second.error().message.contains(QFileInfo(path).absoluteFilePath()));
        QCOMPARE(readAll(QDir(path).filePath(QStringLiteral("manifest.jsonl"))), manifest);
        QCOMPARE(files(path, QStringLiteral("*.ome.tif")).size(), 1);
    }

    void timestampedRunsNeverCollide()
    {
        QTemporaryDir tmp;
        const QDateTime now(QDate(2024, 3, 1), QTime(9, 8, 7));
        auto a = RunFolder::createTimestamped(tmp.path(), now);
        auto b = RunFolder::createTimestamped(tmp.path(), now);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(QFileInfo((*a)->path()).fileName(), QStringLiteral("run-20240301-090807"));
        QCOMPARE(QFileInfo((*b)->path()).fileName(), QStringLiteral("run-20240301-090807-2"));
    }

    void inputsAreCopiedByteForByte()
    {
        QTemporaryDir tmp;
        const QString src = tmp.filePath(QStringLiteral("rig.454sp.json"));
        QByteArray content("{\"a\": 1}\r\n\0\xff\xfe tail", 18);
        content += QByteArray(3 << 20, 'x');  // spans several copy chunks
        {
            QFile f(src);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        auto run = RunFolder::create(tmp.filePath(QStringLiteral("run")));
        QVERIFY(run.ok());
        QVERIFY((*run)->copyInput(src).ok());
        QCOMPARE(readAll(QDir((*run)->path()).filePath(QStringLiteral("inputs/rig.454sp.json"))), content);
        QVERIFY(!(*run)->copyInput(src).ok());  // same name twice would silently lose one
        auto missing = (*run)->copyInput(tmp.filePath(QStringLiteral("nope.txt")));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(QStringLiteral("nope.txt")));
    }

    void diskFullInNthImageKeepsEarlierImages()
    {
        QTemporaryDir tmp;
        auto run = RunFolder::create(tmp.filePath(QStringLiteral("run")));
        QVERIFY(run.ok());
        RunFolder &r = **run;
        QVERIFY(addFrame(r, 0, 256, 256).ok());
        QVERIFY(addFrame(r, 1, 256, 256).ok());
        // Frame 2 dies part-way through its pixels.
        r.setWriteFaultAfterBytes(20'000);
        auto st = addFrame(r, 2, 256, 256);
        QVERIFY(!st.ok());
        const QString msg = st.error().message;
        QVERIFY2(
            msg.contains(QStringLiteral("Frame 2 (000002_645_red.ome.tif) was not saved")), qPrintable(msg));
        QVERIFY2(msg.contains(qt_error_string(ENOSPC)), qPrintable(msg));
        QVERIFY2(msg.contains(QStringLiteral("2 image(s) before it are complete")), qPrintable(msg));
        QVERIFY(!QFileInfo::exists(QDir(r.path()).filePath(QStringLiteral("000002_645_red.ome.tif"))));
        QVERIFY(files(r.path(), QStringLiteral("*.tmp")).isEmpty());

        auto m = ManifestReader::read(r.path());
        QCOMPARE(m->entries.size(), 2);
        QVERIFY(!m->truncatedTail);
        QString problem = verifyListedImages(r.path(), *m, 256, 256);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        // Space freed: the run goes on.
        r.clearWriteFault();
        QVERIFY(addFrame(r, 3, 256, 256).ok());
        m = ManifestReader::read(r.path());
        QCOMPARE(m->entries.size(), 3);
        QCOMPARE(m->entries[2].frameIndex, qint64(3));
    }

    void diskFullInManifestLineRollsBack()
    {
        QTemporaryDir tmp;
        auto run = RunFolder::create(tmp.filePath(QStringLiteral("run")));
        QVERIFY(run.ok());
        RunFolder &r = **run;
        QVERIFY(addFrame(r, 0, 64, 64).ok());
        const qint64 beforeImage = r.bytesWritten();
        QVERIFY(addFrame(r, 1, 64, 64).ok());
        const QString manifestPath = QDir(r.path()).filePath(QStringLiteral("manifest.jsonl"));
        const QByteArray manifestBefore = readAll(manifestPath);
        const qint64 imageBytes
            = QFileInfo(QDir(r.path()).filePath(QStringLiteral("000001_645_red.ome.tif"))).size();
        QVERIFY(imageBytes > 0 && r.bytesWritten() - beforeImage > imageBytes);

        // The image file completes; its manifest line is torn after 10 bytes.
        r.setWriteFaultAfterBytes(imageBytes + 10, EIO);
        auto st = addFrame(r, 2, 64, 64);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.contains(QStringLiteral("Frame 2")), qPrintable(st.error().message));
        QVERIFY2(
            st.error().message.contains(QStringLiteral("manifest.jsonl")), qPrintable(st.error().message));
        QVERIFY2(st.error().message.contains(qt_error_string(EIO)), qPrintable(st.error().message));
        QCOMPARE(readAll(manifestPath), manifestBefore);
        QVERIFY(!QFileInfo::exists(QDir(r.path()).filePath(QStringLiteral("000002_645_red.ome.tif"))));

        r.clearWriteFault();
        QVERIFY(addFrame(r, 2, 64, 64).ok());
        auto m = ManifestReader::read(r.path());
        QCOMPARE(m->entries.size(), 3);
        QVERIFY(m->badLines.isEmpty());
        QVERIFY(!m->truncatedTail);
        const QString problem = verifyListedImages(r.path(), *m, 64, 64);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void finishWritesTheSummary()
    {
        QTemporaryDir tmp;
        auto run = RunFolder::create(tmp.filePath(QStringLiteral("run")));
        QVERIFY(run.ok());
        QVERIFY(addFrame(**run, 0, 8, 8).ok());
        QVERIFY((*run)->finish(QJsonObject {{QStringLiteral("status"), QStringLiteral("completed")}}).ok());
        const auto o
            = QJsonDocument::fromJson(readAll(QDir((*run)->path()).filePath(QStringLiteral("summary.json"))))
                  .object();
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(o.value(QStringLiteral("images_saved")).toInt(), 1);
        QVERIFY(!addFrame(**run, 1, 8, 8).ok());
        QVERIFY(files((*run)->path(), QStringLiteral("*.tmp")).isEmpty());
    }

    void freeSpaceCheckSaysWhatToDo()
    {
        QTemporaryDir tmp;
        auto free = RunFolder::freeBytes(tmp.path());
        QVERIFY(free.ok());
        QVERIFY(*free > 0);
        // A run folder that does not exist yet is measured on its nearest existing parent.
        auto later = RunFolder::freeBytes(tmp.filePath(QStringLiteral("not/yet")));
        QVERIFY(later.ok());
        QVERIFY(std::abs(*later - *free) < (qint64(64) << 20));

        QVERIFY(RunFolder::checkSpace(tmp.path(), 1024, 1).ok());
        const qint64 huge = qint64(4) << 60;  // 4.6 EB: more than any disk
        auto st = RunFolder::checkSpace(tmp.path(), huge, 48);
        QVERIFY(!st.ok());
        const QString msg = st.error().message;
        QVERIFY2(msg.contains(QStringLiteral("needs 4.6 EB for 48 images")), qPrintable(msg));
        QVERIFY2(msg.contains(QStringLiteral(" free on ") + tmp.path()), qPrintable(msg));
        QVERIFY2(msg.contains(QStringLiteral("write the run to another disk")), qPrintable(msg));
        QCOMPARE(RunFolder::estimatedImageBytes(4056, 3040), qint64(4056) * 3040 * 2 + 8192 + 512);
    }

    void sigkillLeavesListedImagesComplete()
    {
        constexpr int kW = 512;
        constexpr int kH = 512;
        for (int round = 0; round < 4; ++round) {
            QTemporaryDir tmp;
            const QString dir = tmp.filePath(QStringLiteral("run"));
            const pid_t pid = ::fork();
            QVERIFY(pid >= 0);
            if (pid == 0) {
                // Child: write frames until killed. No QTest here; exit codes only.
                auto run = RunFolder::create(dir);
                if (!run)
                    ::_exit(2);
                for (qint64 f = 0; f < 100'000; ++f)
                    if (!addFrame(**run, f, kW, kH))
                        ::_exit(3);
                ::_exit(0);
            }
            QTest::qSleep(60 + int(QRandomGenerator::global()->bounded(250)));
            ::kill(pid, SIGKILL);
            int status = 0;
            QCOMPARE(::waitpid(pid, &status, 0), pid);
            QVERIFY2(WIFSIGNALED(status), "the writer exited before it was killed");

            auto m = ManifestReader::read(dir);
            SCOPESYNC_VERIFY_OK(m);
            QVERIFY(m->badLines.isEmpty());
            const QString problem = verifyListedImages(dir, *m, kW, kH);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            // At most the frame in flight is unaccounted for: renamed but not yet listed, or still a .tmp.
            const int onDisk = int(files(dir, QStringLiteral("*.ome.tif")).size());
            QVERIFY2(onDisk - m->entries.size() <= 1,
                qPrintable(QStringLiteral("%1 files, %2 listed").arg(onDisk).arg(m->entries.size())));
            QVERIFY(files(dir, QStringLiteral("*.tmp")).size() <= 1);
            qInfo("round %d: killed after %d listed images", round, int(m->entries.size()));
        }
    }

    void realFullFilesystemGivesACleanError()
    {
        QTemporaryDir tmp;
        const QString mnt = tmp.filePath(QStringLiteral("tmpfs"));
        QVERIFY(QDir().mkpath(mnt));
        if (::mount("tmpfs", QFile::encodeName(mnt).constData(), "tmpfs", 0, "size=2m") != 0) {
            const QString why
                = QStringLiteral("cannot mount a 2 MB tmpfs (%1); needs root or CAP_SYS_ADMIN, so the "
                                 "real ENOSPC path is not tested")
                      .arg(QString::fromLocal8Bit(std::strerror(errno)));
            QSKIP(qPrintable(why));
        }
        auto unmount = qScopeGuard([&] { ::umount2(QFile::encodeName(mnt).constData(), MNT_DETACH); });

        auto space = RunFolder::checkSpace(mnt, 48 * RunFolder::estimatedImageBytes(256, 256), 48);
        QVERIFY(!space.ok());
        QVERIFY2(space.error().message.contains(QStringLiteral("for 48 images"))
                && space.error().message.contains(mnt),
            qPrintable(space.error().message));

        auto run = RunFolder::create(QDir(mnt).filePath(QStringLiteral("run")));
        QVERIFY(run.ok());
        RunFolder &r = **run;
        Status st = Ok {};
        qint64 frame = 0;
        for (; frame < 100; ++frame) {
            st = addFrame(r, frame, 256, 256);
            if (!st)
                break;
        }
        QVERIFY2(!st.ok(), "a 2 MB filesystem accepted 100 images of 128 KB");
        const QString msg = st.error().message;
        QVERIFY2(msg.contains(QStringLiteral("Frame %1").arg(frame)), qPrintable(msg));
        QVERIFY2(msg.contains(qt_error_string(ENOSPC)), qPrintable(msg));
        QVERIFY2(msg.contains(RunFolder::imageFileName(testutil::record(frame))), qPrintable(msg));
        QCOMPARE(r.imagesSaved(), int(frame));
        QVERIFY(frame >= 5);

        auto m = ManifestReader::read(r.path());
        QVERIFY(m.ok());
        QCOMPARE(m->entries.size(), frame);
        QVERIFY(!m->truncatedTail);
        const QString problem = verifyListedImages(r.path(), *m, 256, 256);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(files(r.path(), QStringLiteral("*.tmp")).isEmpty());
        QCOMPARE(files(r.path(), QStringLiteral("*.ome.tif")).size(), frame);
        qInfo("tmpfs full after %d images: %s", int(frame), qPrintable(msg));
    }
};

QTEST_GUILESS_MAIN(TestRunFolder)
#include "test_run_folder.moc"
