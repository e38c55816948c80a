// Unit tests for reading manifest.jsonl, including the torn final line a crash leaves.
#include "core/storage/manifest_reader.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace scopesync::core::storage;

namespace {

QByteArray line(qint64 frame)
{
    ManifestEntry e;
    e.file = QStringLiteral("%1_645_red.ome.tif").arg(frame, 6, 10, QLatin1Char('0'));
    e.frameIndex = frame;
    e.label = QStringLiteral("645");
    e.led = QStringLiteral("red");
    e.monotonicNs = 1'234'567'890'123'456'789;
    e.wallTime = QStringLiteral("2024-03-01T12:00:00.000Z");
    e.bytes = 123456;
    e.crc32 = 0xDEADBEEF;
    e.width = 64;
    e.height = 48;
    return QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n';
}

}  // namespace

class TestManifestReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void entryRoundTrips()
    {
        const auto m = ManifestReader::parse(line(5));
        QCOMPARE(m.entries.size(), 1);
        const auto &e = m.entries.front();
        QCOMPARE(e.frameIndex, qint64(5));
        // A 64-bit nanosecond timestamp beyond 2^53 survives exactly (it is stored as a string).
        QCOMPARE(e.monotonicNs, qint64(1'234'567'890'123'456'789));
        QCOMPARE(e.crc32, 0xDEADBEEFu);
        QCOMPARE(e.crc32Hex(), QStringLiteral("deadbeef"));
        QCOMPARE(e.file, QStringLiteral("000005_645_red.ome.tif"));
        QVERIFY(!m.truncatedTail);
        QVERIFY(m.badLines.isEmpty());
    }

    void instrumentStateRoundTrips()
    {
        ManifestEntry e;
        e.file = QStringLiteral("000001_645_red.ome.tif");
        e.frameIndex = 1;
        e.bytes = 10;
        e.filter = QStringLiteral("red");
        e.filterInPlace = QStringLiteral("red");
        e.focusSteps = -850;
        e.temperatureKelvin = 331.07;
        e.setPointKelvin = 331.15;
        const auto m = ManifestReader::parse(QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n');
        QCOMPARE(m.entries.size(), 1);
        QCOMPARE(m.entries.front(), e);
    }

    void manifestWithoutInstrumentStateStillReads()
    {
        // A line as runs wrote it before the devices were recorded: no filter, focus or temperature keys.
        const QByteArray old
            = R"({"bytes":123456,"crc32":"deadbeef","file":"000005_645_red.ome.tif","frame":5,)"
              R"("height":48,"label":"645","led":"red","monotonic_ns":"5","wall_time":"","width":64})"
              "\n";
        const auto m = ManifestReader::parse(old);
        QCOMPARE(m.entries.size(), 1);
        const auto &e = m.entries.front();
        QVERIFY(e.filterInPlace.isEmpty());
        QVERIFY(!e.focusSteps);
        QVERIFY(!e.temperatureKelvin);
        QVERIFY(!e.setPointKelvin);
        QVERIFY(!QJsonDocument::fromJson(line(5)).object().contains(QStringLiteral("temperature_k")));
    }

    void truncatedFinalLineIsIgnored_data()
    {
        QTest::addColumn<int>("keep");
        const int full = int(line(2).size());
        // Every cut inside the third line, including one that leaves valid JSON without its newline.
        for (int keep : {1, 10, full / 2, full - 1})
            QTest::newRow(qPrintable(QString::number(keep))) << keep;
    }

    void truncatedFinalLineIsIgnored()
    {
        QFETCH(int, keep);
        const QByteArray contents = line(0) + line(1) + line(2).left(keep);
        const auto m = ManifestReader::parse(contents);
        QCOMPARE(m.entries.size(), 2);
        QCOMPARE(m.entries[1].frameIndex, qint64(1));
        QVERIFY(m.truncatedTail);
        QVERIFY(m.badLines.isEmpty());
    }

    void corruptMiddleLineIsReportedNotFatal()
    {
        const auto m = ManifestReader::parse(line(0) + "{not json\n" + "{\"file\":\"x\"}\n" + line(3));
        QCOMPARE(m.entries.size(), 2);
        QCOMPARE(m.badLines, (QList<int> {2, 3}));
        QVERIFY(!m.truncatedTail);
    }

    void emptyAndMissing()
    {
        const auto m = ManifestReader::parse({});
        QVERIFY(m.entries.isEmpty());
        QVERIFY(!m.truncatedTail);

        QTemporaryDir dir;
        auto missing = ManifestReader::read(dir.path());
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(QStringLiteral("manifest.jsonl")));

        QFile f(QDir(dir.path()).filePath(QStringLiteral("manifest.jsonl")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(line(0) + line(1).left(20));
        f.close();
        auto r = ManifestReader::read(dir.path());
        QVERIFY(r.ok());
        QCOMPARE(r->entries.size(), 1);
        QVERIFY(r->truncatedTail);
    }
};

QTEST_GUILESS_MAIN(TestManifestReader)
#include "test_manifest_reader.moc"
