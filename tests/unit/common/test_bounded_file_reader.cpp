// Unit tests for BoundedFileReader: regular files, devices, directories, FIFOs and the size limit.
#include "core/common/bounded_file_reader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "support/verify_ok.h"
#include <atomic>
#include <chrono>
#include <csignal>
#include <sys/stat.h>
#include <thread>

using scopesync::core::BoundedFileReader;
using namespace std::chrono_literals;

class TestBoundedFileReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The endless writer below is cut off when the reader gives up: its write must fail, not kill the test.
    void initTestCase() { std::signal(SIGPIPE, SIG_IGN); }

    void readsARegularFileWhole()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("rig.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(1000, 'x'));
        f.close();
        const auto r = BoundedFileReader::read(path, 1000, QStringLiteral("rig file"));
        SCOPESYNC_VERIFY_OK(r);
        QCOMPARE(r->size(), 1000);

        const auto big = BoundedFileReader::read(path, 999, QStringLiteral("rig file"));
        QVERIFY(!big.ok());
        QVERIFY2(big.error().message.contains(QStringLiteral("larger than 999 bytes")),
            qPrintable(big.error().message));
        QVERIFY(big.error().message.contains(path));
    }

    void refusesDevicesAndDirectoriesWithoutReading()
    {
        if (!QFile::exists(QStringLiteral("/dev/zero")))
            QSKIP("this system has no /dev/zero to stand for an endless device");
        const auto start = std::chrono::steady_clock::now();
        const auto r
            = BoundedFileReader::read(QStringLiteral("/dev/zero"), 1 << 20, QStringLiteral("rig file"));
        QVERIFY(!r.ok());
        QVERIFY2(
            r.error().message.contains(QStringLiteral("character device")), qPrintable(r.error().message));
        QVERIFY(std::chrono::steady_clock::now() - start < 2s);

        QTemporaryDir tmp;
        const auto dir = BoundedFileReader::read(tmp.path(), 100, QStringLiteral("protocol"));
        QVERIFY(!dir.ok());
        QVERIFY2(dir.error().message.contains(QStringLiteral("directory")), qPrintable(dir.error().message));
    }

    // A FIFO (what a shell's <(…) gives) is read once to its end, with the limit enforced while reading.
    void readsABoundedStreamAndStopsAnEndlessOne()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("fifo"));
        QVERIFY(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);

        std::thread shortWriter([&] {
            QFile w(path);
            if (w.open(QIODevice::WriteOnly))
                w.write(QByteArray(5000, 'p'));
        });
        const auto r = BoundedFileReader::read(path, 10000, QStringLiteral("protocol"), 5s);
        shortWriter.join();
        SCOPESYNC_VERIFY_OK(r);
        QCOMPARE(r->size(), 5000);

        std::atomic<bool> stop {false};
        std::thread endlessWriter([&] {
            QFile w(path);
            if (!w.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
                return;
            const QByteArray chunk(4096, 'z');
            while (!stop && w.write(chunk) > 0) { }
        });
        const auto endless = BoundedFileReader::read(path, 1 << 20, QStringLiteral("protocol"), 5s);
        stop = true;
        endlessWriter.join();
        QVERIFY(!endless.ok());
        QVERIFY2(endless.error().message.contains(QStringLiteral("larger than 1 MiB")),
            qPrintable(endless.error().message));
    }

    // A FIFO nobody writes to does not hang the reader.
    void aSilentStreamTimesOut()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("fifo"));
        QVERIFY(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
        const auto start = std::chrono::steady_clock::now();
        const auto r = BoundedFileReader::read(path, 1000, QStringLiteral("password file"), 300ms);
        QVERIFY(std::chrono::steady_clock::now() - start < 5s);
        if (r.ok())
            QCOMPARE(r->size(), 0);  // reported as ended at once: empty, still bounded
        else
            QVERIFY2(
                r.error().message.contains(QStringLiteral("did not end")), qPrintable(r.error().message));
    }
};

QTEST_APPLESS_MAIN(TestBoundedFileReader)
#include "test_bounded_file_reader.moc"
