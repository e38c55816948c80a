// Unit tests for the OME-TIFF writer, its reader, the atomic file and the CRC-32.
#include "core/storage/atomic_file.h"
#include "core/storage/crc32.h"
#include "core/storage/ome_tiff_writer.h"
#include "core/storage/tiff_reader.h"
#include "core/storage/write_fault_injector.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include "storage_test_util.h"
#include "support/sanitizers.h"
#include "support/verify_ok.h"

using namespace scopesync::core;
using namespace scopesync::core::storage;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Attributes of the first element called `name`, or empty if the XML is malformed or lacks it.
QXmlStreamAttributes firstElement(const QByteArray &xml, const QString &name)
{
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        if (r.readNext() == QXmlStreamReader::StartElement && r.name() == name)
            return r.attributes();
    }
    return {};
}

// Map annotation entries (K → text) and whether the whole document parsed.
QMap<QString, QString> mapAnnotations(const QByteArray &xml, bool *wellFormed)
{
    QMap<QString, QString> out;
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        if (r.readNext() == QXmlStreamReader::StartElement && r.name() == QStringLiteral("M")) {
            const QString k = r.attributes().value(QStringLiteral("K")).toString();
            out.insert(k, r.readElementText());
        }
    }
    *wellFormed = !r.hasError();
    return out;
}

QStringList leftovers(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("*.tmp")}, QDir::Files | QDir::Hidden);
}

}  // namespace

class TestOmeTiffWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void crc32MatchesTheStandardCheckValue()
    {
        // The CRC-32 catalogue's check value for "123456789"; feeding in pieces changes nothing.
        QCOMPARE(Crc32::of("123456789", 9), 0xCBF43926u);
        QByteArray big(100'003, '\0');
        for (int i = 0; i < big.size(); ++i)
            big[i] = char(i * 31 + (i >> 7));
        Crc32 split;
        split.add(big.constData(), 5);
        split.add(big.constData() + 5, std::size_t(big.size() - 5));
        QCOMPARE(split.value(), Crc32::of(big.constData(), std::size_t(big.size())));
        QVERIFY(Crc32::of("123456789", 8) != 0xCBF43926u);
    }

    void roundTripPixelsAndOmeXml()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("000003_645_red.ome.tif"));
        const auto img = testutil::pattern(64, 48);
        auto rec = testutil::record(3);
        rec.runStartNs = rec.frameTimestampNs - 1'500'000'000;
        rec.extra = {{QStringLiteral("slide"), QStringLiteral("S-17")}};
        OmeTiffWriter w;
        auto written = w.write(path, img, rec);
        SCOPESYNC_VERIFY_OK(written);
        QCOMPARE(written->bytes, QFileInfo(path).size());
        const QByteArray bytes = readAll(path);
        QCOMPARE(written->crc32, Crc32::of(bytes.constData(), std::size_t(bytes.size())));
        QVERIFY(leftovers(dir.path()).isEmpty());

        auto back = TiffReader::read(path);
        SCOPESYNC_VERIFY_OK(back);
        QCOMPARE(back->image.width, 64);
        QCOMPARE(back->image.height, 48);
        QVERIFY(back->image.pixels == img.pixels);
        // Pixels start on a 4 KiB boundary (the writer's promise to mmap readers).
        QCOMPARE(bytes.size() - qsizetype(img.byteSize()), qsizetype(4096));

        const QByteArray &xml = back->description;
        const auto pixels = firstElement(xml, QStringLiteral("Pixels"));
        QCOMPARE(pixels.value(QStringLiteral("SizeX")).toString(), QStringLiteral("64"));
        QCOMPARE(pixels.value(QStringLiteral("SizeY")).toString(), QStringLiteral("48"));
        QCOMPARE(pixels.value(QStringLiteral("Type")).toString(), QStringLiteral("uint16"));
        QCOMPARE(pixels.value(QStringLiteral("DimensionOrder")).toString(), QStringLiteral("XYZCT"));
        QCOMPARE(pixels.value(QStringLiteral("SignificantBits")).toString(), QStringLiteral("12"));
        QCOMPARE(pixels.value(QStringLiteral("BigEndian")).toString(), QStringLiteral("false"));
        QCOMPARE(firstElement(xml, QStringLiteral("Channel")).value(QStringLiteral("Name")).toString(),
            QStringLiteral("red"));
        const auto plane = firstElement(xml, QStringLiteral("Plane"));
        QCOMPARE(plane.value(QStringLiteral("ExposureTime")).toString(), QStringLiteral("250000"));
        QCOMPARE(plane.value(QStringLiteral("ExposureTimeUnit")).toString(), QStringLiteral("\u00B5s"));
        QCOMPARE(plane.value(QStringLiteral("DeltaT")).toString(), QStringLiteral("1.5"));
        QVERIFY(!firstElement(xml, QStringLiteral("TiffData")).isEmpty());
        QCOMPARE(firstElement(xml, QStringLiteral("Image")).value(QStringLiteral("Name")).toString(),
            QStringLiteral("000003_645_red"));

        bool ok = false;
        const auto map = mapAnnotations(xml, &ok);
        QVERIFY(ok);
        QCOMPARE(map.value(QStringLiteral("label")), QStringLiteral("645"));
        QCOMPARE(map.value(QStringLiteral("analogue_gain")), QStringLiteral("8"));
        QCOMPARE(map.value(QStringLiteral("flash_delay_us")), QStringLiteral("87000"));
        QCOMPARE(map.value(QStringLiteral("intensity_per_mille.red")), QStringLiteral("800"));
        QCOMPARE(map.value(QStringLiteral("frame_index")), QStringLiteral("3"));
        QCOMPARE(map.value(QStringLiteral("iterations")), QStringLiteral("2,0"));
        QCOMPARE(map.value(QStringLiteral("frame_monotonic_ns")), QString::number(rec.frameTimestampNs));
        QCOMPARE(map.value(QStringLiteral("wall_time")), QStringLiteral("2024-03-01T12:00:01.150Z"));
        QCOMPARE(
            map.value(QStringLiteral("led_edge.0")), QStringLiteral("red on_ns=87000123 off_ns=237000456"));
        QCOMPARE(map.value(QStringLiteral("missed_pulses")), QStringLiteral("1"));
        QCOMPARE(map.value(QStringLiteral("slide")), QStringLiteral("S-17"));
        QCOMPARE(map.value(QStringLiteral("sensor")), QStringLiteral("imx477"));
    }

    // A camera that keeps its own exposure and gain (a Qt Multimedia camera) records them as unknown:
    // no ExposureTime on the plane, never 0 µs or a gain of 1.
    void unknownExposureAndGainAreSaidSo()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("u.ome.tif"));
        auto rec = testutil::record(0);
        rec.exposureUs = 0;
        rec.analogueGain = 0;
        QVERIFY(OmeTiffWriter().write(path, testutil::pattern(8, 4), rec).ok());
        auto back = TiffReader::read(path);
        QVERIFY(back.ok());
        const auto plane = firstElement(back->description, QStringLiteral("Plane"));
        QVERIFY2(!plane.isEmpty(), back->description.constData());
        QVERIFY(!plane.hasAttribute(QStringLiteral("ExposureTime")));
        QVERIFY(!plane.hasAttribute(QStringLiteral("ExposureTimeUnit")));
        bool ok = false;
        const auto map = mapAnnotations(back->description, &ok);
        QVERIFY(ok);
        QVERIFY2(map.value(QStringLiteral("exposure_us")).startsWith(QStringLiteral("unknown")),
            qPrintable(map.value(QStringLiteral("exposure_us"))));
        QVERIFY(map.value(QStringLiteral("analogue_gain")).startsWith(QStringLiteral("unknown")));
    }

    void hostileTextIsEscaped()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("x.ome.tif"));
        auto rec = testutil::record(0);
        const QString nasty = QStringLiteral("a\"b<c>&d'e\tf\ng\x01h</M></Value>");
        rec.channelName = nasty;
        rec.extra = {{nasty, nasty}};
        QVERIFY(OmeTiffWriter().write(path, testutil::pattern(8, 4), rec).ok());
        auto back = TiffReader::read(path);
        QVERIFY(back.ok());
        bool ok = false;
        const auto map = mapAnnotations(back->description, &ok);
        QVERIFY2(ok, back->description.constData());
        // The control character \x01 cannot exist in XML 1.0; it becomes U+FFFD, the rest survives.
        QString expected = nasty;
        expected.replace(QChar(1), QChar(0xFFFD));
        QCOMPARE(map.value(QStringLiteral("channel")), expected);
        QCOMPARE(map.value(expected), expected);
        QCOMPARE(firstElement(back->description, QStringLiteral("Channel"))
                     .value(QStringLiteral("Name"))
                     .toString(),
            expected);
    }

    void tifffileSeesTheOmeChannel()
    {
        SCOPESYNC_SKIP_UNDER_TSAN_WHEN_STARTING_PROCESSES();
        QString python;
        for (const QString &candidate : {QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")}) {
            QProcess probe;
            probe.start(candidate, {QStringLiteral("-c"), QStringLiteral("import tifffile")});
            if (probe.waitForFinished(30000) && probe.exitStatus() == QProcess::NormalExit
                && probe.exitCode() == 0) {
                python = candidate;
                break;
            }
        }
        if (python.isEmpty())
            QSKIP("python3 with tifffile not found (apt-get install python3-tifffile); independent reader "
                  "check "
                  "not run");

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("000001_532_green.ome.tif"));
        const auto img = testutil::pattern(40, 30, 5);
        auto written = OmeTiffWriter().write(
            path, img, testutil::record(1, QStringLiteral("532"), QStringLiteral("green")));
        QVERIFY(written.ok());
        const char *script = R"(
import json, sys, tifffile, zlib
with tifffile.TiffFile(sys.argv[1]) as t:
    a = t.asarray()
    ome = tifffile.xml2dict(t.ome_metadata)['OME']
    px = ome['Image']['Pixels']
    print(json.dumps({'is_ome': t.is_ome, 'shape': list(a.shape), 'dtype': str(a.dtype),
        'px': int(a[7, 11]), 'sum': int(a.astype('uint64').sum()), 'channel': px['Channel']['Name'],
        'exposure': px['Plane']['ExposureTime'], 'unit': px['Plane']['ExposureTimeUnit'],
        'crc': '%08x' % zlib.crc32(open(sys.argv[1], 'rb').read())}))
)";
        QProcess p;
        p.start(python, {QStringLiteral("-c"), QString::fromUtf8(script), path});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const auto o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QVERIFY(o.value(QStringLiteral("is_ome")).toBool());
        QCOMPARE(o.value(QStringLiteral("shape")).toVariant().toList(), (QVariantList {30, 40}));
        QCOMPARE(o.value(QStringLiteral("dtype")).toString(), QStringLiteral("uint16"));
        QCOMPARE(o.value(QStringLiteral("px")).toInt(), int(img.at(11, 7)));
        qint64 sum = 0;
        for (auto v : img.pixels)
            sum += v;
        QCOMPARE(qint64(o.value(QStringLiteral("sum")).toDouble()), sum);
        QCOMPARE(o.value(QStringLiteral("channel")).toString(), QStringLiteral("green"));
        QCOMPARE(o.value(QStringLiteral("exposure")).toDouble(), 250000.0);
        QCOMPARE(o.value(QStringLiteral("unit")).toString(), QStringLiteral("\u00B5s"));
        // zlib's CRC-32 of the file agrees with the one the writer computed for the manifest.
        QCOMPARE(o.value(QStringLiteral("crc")).toString(),
            QStringLiteral("%1").arg(written->crc32, 8, 16, QLatin1Char('0')));
    }

    void faultMidFileLeavesNoFinalFile_data()
    {
        QTest::addColumn<qint64>("budget");
        QTest::addColumn<int>("err");
        QTest::newRow("in header") << qint64(100) << ENOSPC;
        QTest::newRow("in pixels") << qint64(4096 + 1000) << ENOSPC;
        QTest::newRow("eio at once") << qint64(0) << EIO;
    }

    void faultMidFileLeavesNoFinalFile()
    {
        QFETCH(qint64, budget);
        QFETCH(int, err);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("000007_645_red.ome.tif"));
        WriteFaultInjector faults;
        faults.arm(budget, err);
        OmeTiffWriter w;
        w.setFaultInjector(&faults);
        auto r = w.write(path, testutil::pattern(64, 48), testutil::record(7));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(path), qPrintable(r.error().message));
        QVERIFY2(r.error().message.contains(qt_error_string(err)), qPrintable(r.error().message));
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(leftovers(dir.path()).isEmpty());
    }

    void refusesToReplaceAnExistingImage()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.ome.tif"));
        QVERIFY(OmeTiffWriter().write(path, testutil::pattern(8, 8, 1), testutil::record(0)).ok());
        const QByteArray before = readAll(path);
        auto again = OmeTiffWriter().write(path, testutil::pattern(8, 8, 2), testutil::record(0));
        QVERIFY(!again.ok());
        QCOMPARE(readAll(path), before);
        QVERIFY(leftovers(dir.path()).isEmpty());
    }

    void unwritableFolderGivesAnOsError()
    {
        auto r = OmeTiffWriter().write(
            QStringLiteral("/nonexistent-folder/x.ome.tif"), testutil::pattern(8, 8), testutil::record(0));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QStringLiteral("/nonexistent-folder/x.ome.tif")),
            qPrintable(r.error().message));
        QVERIFY2(r.error().message.contains(qt_error_string(ENOENT)), qPrintable(r.error().message));
    }

    void rejectsInconsistentImages()
    {
        QTemporaryDir dir;
        Image16 bad(10, 10);
        bad.pixels.resize(50);
        QVERIFY(
            !OmeTiffWriter().write(dir.filePath(QStringLiteral("b.ome.tif")), bad, testutil::record(0)).ok());
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    void readerRejectsTruncatedFiles()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.ome.tif"));
        QVERIFY(OmeTiffWriter().write(path, testutil::pattern(32, 32), testutil::record(0)).ok());
        const QByteArray whole = readAll(path);
        QVERIFY(TiffReader::parse(whole, path).ok());
        for (qsizetype cut : {qsizetype(0), qsizetype(7), qsizetype(100), qsizetype(4096), whole.size() - 1})
            QVERIFY2(!TiffReader::parse(whole.left(cut), path).ok(), qPrintable(QString::number(cut)));
    }
};

QTEST_GUILESS_MAIN(TestOmeTiffWriter)
#include "test_ome_tiff_writer.moc"
