// Unit tests for ProtocolWriter: exact round trips through the native format, and atomic saving.
#include "core/protocol/protocol_reader.h"
#include "core/protocol/protocol_writer.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include "protocol_test_support.h"

using namespace scopesync::core;
using namespace scopesync::core::protocol;
using namespace scopesync::tests;
using namespace std::chrono_literals;

namespace {

Flash flash(const char *led, std::chrono::microseconds duration, int intensity = 1000)
{
    Flash f;
    f.led = QString::fromUtf8(led);
    f.duration = duration;
    f.intensityPerMille = intensity;
    return f;
}

Protocol everyKind()
{
    Protocol p;
    p.name = QStringLiteral("Every kind \"quoted\" \\ é 🔬");
    p.description = QStringLiteral("line one\nline two\ttab \x01 control");
    Step temp;
    temp.kind = StepKind::SetTemperature;
    temp.label = QStringLiteral("heat");
    temp.temperatureKelvin = 334.15;
    Step image;
    image.kind = StepKind::Image;
    image.label = QStringLiteral("645");
    image.filter = QStringLiteral("red");
    image.flashes = {flash("red", 50'000us), flash("green", 1'234us, 250), flash("blue", 1us, 0)};
    Step dark;
    dark.kind = StepKind::Image;
    dark.label = QStringLiteral("dark frame");
    Step wait;
    wait.kind = StepKind::Wait;
    wait.duration = 600'000ms;
    Step cleave;
    cleave.kind = StepKind::Illuminate;
    cleave.label = QStringLiteral("Cleave");
    cleave.flashes = {flash("uv", 2'000'000us, 800)};
    cleave.duration = 2000ms;
    cleave.capturePeriod = 1000ms;
    cleave.filter = QStringLiteral("any_filter");
    Step glow = cleave;
    glow.capturePeriod.reset();
    glow.filter.clear();
    Step inner;
    inner.kind = StepKind::Group;
    inner.label = QStringLiteral("inner");
    inner.iterations = 2;
    inner.children = {image, glow};
    Step cycle;
    cycle.kind = StepKind::Group;
    cycle.label = QStringLiteral("cycle");
    cycle.iterations = 16;
    cycle.children = {image, wait, inner, cleave, dark};
    Step empty;
    empty.kind = StepKind::Group;
    empty.label = QStringLiteral("empty");
    p.steps = {temp, cycle, empty};
    return p;
}

}  // namespace

class TestProtocolWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripIsExact()
    {
        const Protocol p = everyKind();
        const QByteArray first = ProtocolWriter::toJson(p);
        const ReadResult r = ProtocolReader::readBytes(first, QStringLiteral("p.json"));
        VERIFY_DIAG(r.diagnostics.isEmpty(), r.diagnostics);
        QVERIFY(r.protocol);
        QVERIFY(*r.protocol == p);
        QCOMPARE(ProtocolWriter::toJson(*r.protocol), first);
        // The comparison itself can fail: a one-microsecond change is a different protocol.
        Protocol changed = p;
        changed.steps[1].children[0].flashes[1].duration += 1us;
        QVERIFY(!(changed == p));
        QVERIFY(ProtocolWriter::toJson(changed) != first);
    }

    void outputIsReadable()
    {
        const QByteArray json = ProtocolWriter::toJson(everyKind());
        QVERIFY(json.startsWith("{\n  \"format\": \"scopesync-protocol\",\n  \"version\": 1,"));
        QVERIFY(json.contains("\"duration_ms\": 1.234"));
        QVERIFY(json.contains("\"duration_ms\": 0.001"));
        QVERIFY(json.contains("\"kelvin\": 334.15"));
        QVERIFY(json.contains("\"steps\": []"));
        QVERIFY(json.contains("{\n          \"type\": \"image\",\n          \"label\": \"645\""));
        // Intensity is written only when not the default.
        QCOMPARE(json.count("intensity_per_mille"), 6);
    }

    void roundTripsTheDataFiles_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString &dir : {QStringLiteral(SCOPESYNC_TEST_DATA_DIR "/protocols"),
                 QStringLiteral(SCOPESYNC_RESOURCES_DIR "/protocols")})
            for (const QString &name : QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files))
                QTest::newRow(qPrintable(name)) << dir + u'/' + name;
    }

    void roundTripsTheDataFiles()
    {
        QFETCH(QString, path);
        const ReadResult r = ProtocolReader::readFile(path);
        VERIFY_DIAG(r.diagnostics.isEmpty() && r.protocol, r.diagnostics);
        QVERIFY(!r.protocol->steps.empty());
        const QByteArray json = ProtocolWriter::toJson(*r.protocol);
        const ReadResult again = ProtocolReader::readBytes(json, QStringLiteral("copy.json"));
        VERIFY_DIAG(again.diagnostics.isEmpty() && again.protocol, again.diagnostics);
        QVERIFY(*again.protocol == *r.protocol);
        QCOMPARE(ProtocolWriter::toJson(*again.protocol), json);
    }

    void nativeDataFilesAreInTheWrittenLayout_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString &dir : {QStringLiteral(SCOPESYNC_TEST_DATA_DIR "/protocols"),
                 QStringLiteral(SCOPESYNC_RESOURCES_DIR "/protocols")})
            for (const QString &name : QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files))
                if (!name.endsWith(QStringLiteral(".454sp.json")))
                    QTest::newRow(qPrintable(name)) << dir + u'/' + name;
    }

    // Opening and saving an unchanged sample must not produce a diff.
    void nativeDataFilesAreInTheWrittenLayout()
    {
        QFETCH(QString, path);
        const ReadResult r = ProtocolReader::readFile(path);
        QVERIFY(r.protocol);
        QCOMPARE(ProtocolWriter::toJson(*r.protocol), readAll(path));
    }

    void writesFilesAtomically()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.json"));
        QVERIFY(ProtocolWriter::writeFile(everyKind(), path).ok());
        Protocol shorter = everyKind();
        shorter.steps.resize(1);
        QVERIFY(ProtocolWriter::writeFile(shorter, path).ok());
        const ReadResult r = ProtocolReader::readFile(path);
        QVERIFY(r.protocol);
        QVERIFY(*r.protocol == shorter);
        QCOMPARE(
            QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList {QStringLiteral("p.json")});

        const Status failed
            = ProtocolWriter::writeFile(shorter, dir.filePath(QStringLiteral("missing/p.json")));
        QVERIFY(!failed.ok());
        QVERIFY(failed.error().where.endsWith(QStringLiteral("missing/p.json")));
    }
};

QTEST_GUILESS_MAIN(TestProtocolWriter)
#include "test_protocol_writer.moc"
