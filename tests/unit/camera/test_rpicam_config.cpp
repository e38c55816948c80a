// Unit tests for CameraSettings and the rpicam-apps config-file reader and writer.
#include "core/camera/rpicam_config_reader.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace scopesync::core;
using namespace scopesync::core::camera;
using std::chrono::microseconds;

Q_DECLARE_METATYPE(scopesync::core::camera::CameraSettings)

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    return f.readAll();
}

QString dump(const Diagnostics &d)
{
    QStringList out;
    for (const auto &item : d.all())
        out << item.toString();
    return out.join(u'\n');
}

// The diagnostics at `path` whose message contains every fragment.
QList<Diagnostic> matching(const QList<Diagnostic> &items, const QString &path, const QStringList &fragments)
{
    QList<Diagnostic> out;
    for (const auto &d : items) {
        if (d.path != path)
            continue;
        if (std::all_of(fragments.cbegin(), fragments.cend(),
                [&](const QString &f) { return d.message.contains(f, Qt::CaseInsensitive); }))
            out << d;
    }
    return out;
}

const QString kDataDir = QStringLiteral(SCOPESYNC_TEST_DATA_DIR "/camera/");
const QString kReferenceFile = QStringLiteral(SCOPESYNC_RESOURCES_DIR "/camera/reference-hq-250ms.txt");

// Settings with every field away from its default, for round trips.
CameraSettings everythingSet()
{
    CameraSettings s;
    s.shutter = microseconds(123'457);
    s.analogueGain = 2.718281828459045;
    s.awbMode = AwbMode::Daylight;
    s.awbGains = AwbGains {1.0 / 3.0, 2.25};
    s.denoise = Denoise::CdnHq;
    s.brightness = -0.1;
    s.contrast = 1.7;
    s.saturation = 0.0;
    s.sharpness = 15.99;
    s.ev = -1.5;
    s.exposureMode = ExposureMode::Long;
    s.metering = MeteringMode::Spot;
    s.hflip = true;
    s.vflip = true;
    s.rotationDeg = 180;
    s.roi = Roi {0.1, 0.2, 0.9, 0.5};
    s.sensorMode = SensorModeRequest {1332, 990, 10, false};
    s.framerateFps = 29.97;
    s.width = 1332;
    s.height = 990;
    s.tuningFile = QStringLiteral("/home/lab/tuning files/imx477 µscope.json");
    s.bufferCount = 6;
    return s;
}

}  // namespace

class TestRpicamConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void referenceRigFileReadsAsTheReferenceRig()
    {
        const auto r = readRpicamConfigFile(kReferenceFile);
        QVERIFY2(!r.diagnostics.hasErrors(), qPrintable(dump(r.diagnostics)));
        QCOMPARE(r.settings, CameraSettings::referenceRig());
        QCOMPARE(r.settings.shutter, microseconds(250'000));
        QCOMPARE(r.settings.analogueGain, 8.0);
        QCOMPARE(toString(r.settings.awbMode), toString(AwbMode::Custom));
        QVERIFY(r.settings.vflip);
        QVERIFY(!r.settings.hflip);
        QCOMPARE(r.settings.contrast, 0.0);
        // awbgains=0,0 does not fix white balance in rpicam-apps: the one warning says so, at its line.
        const auto warnings = r.diagnostics.warnings();
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings[0].path, QStringLiteral("line 4"));
        QVERIFY2(warnings[0].message.contains(QStringLiteral("awbgains")), qPrintable(warnings[0].message));
        QVERIFY(!r.settings.isFixed());
    }

    void commentsCrlfWhitespaceAndUnits()
    {
        const QByteArray text = readAll(kDataDir + QStringLiteral("commented-crlf-units.txt"));
        QVERIFY(text.contains("\r\n"));  // the sample must keep its CRLF line ends
        const auto r = readRpicamConfig(text);
        QVERIFY2(!r.diagnostics.hasErrors(), qPrintable(dump(r.diagnostics)));
        const auto &s = r.settings;
        QCOMPARE(s.shutter, microseconds(250'000));
        QCOMPARE(s.analogueGain, 8.0);
        QCOMPARE(toString(s.awbMode), toString(AwbMode::Custom));
        QCOMPARE(s.awbGains, (AwbGains {1.6, 1.25}));
        QCOMPARE(toString(s.denoise), toString(Denoise::CdnOff));
        QVERIFY(s.vflip);
        QVERIFY(!s.hflip);
        QCOMPARE(s.sensorMode, (SensorModeRequest {4056, 3040, 12, true}));
        QCOMPARE(s.roi, (Roi {0.25, 0.25, 0.5, 0.5}));
        QCOMPARE(s.framerateFps, 2.5);
        QVERIFY(s.isFixed());
        // Only `timeout` is worth a word: rpicam-apps knows it, ScopeSync does not use it.
        const auto warnings = r.diagnostics.warnings();
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings[0].path, QStringLiteral("line 14"));
        QVERIFY(warnings[0].message.contains(QStringLiteral("not used by ScopeSync")));
    }

    void fullyFixedFileHasNoDiagnostics()
    {
        const auto r = readRpicamConfigFile(kDataDir + QStringLiteral("fully-fixed.txt"));
        QVERIFY2(r.diagnostics.isEmpty(), qPrintable(dump(r.diagnostics)));
        QCOMPARE(r.settings.rotationDeg, 180);
        QCOMPARE(r.settings.sensorMode, (SensorModeRequest {2028, 1520, 12, false}));
        QCOMPARE(r.settings.tuningFile, QStringLiteral("/usr/share/libcamera/ipa/rpi/vc4/imx477.json"));
        QCOMPARE(r.settings.bufferCount, 4);
        QCOMPARE(r.settings.width, 2028);
        QCOMPARE(toString(r.settings.metering), toString(MeteringMode::Centre));
        QVERIFY(r.settings.isFixed());
    }

    void shutterUnits_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("us");
        QTest::newRow("plain µs") << QByteArray("250000") << qint64(250'000);
        QTest::newRow("ms") << QByteArray("250ms") << qint64(250'000);
        QTest::newRow("s") << QByteArray("0.25s") << qint64(250'000);
        QTest::newRow("sec") << QByteArray("0.25sec") << qint64(250'000);
        QTest::newRow("us") << QByteArray("250000us") << qint64(250'000);
        QTest::newRow("ns") << QByteArray("500000ns") << qint64(500);
        QTest::newRow("min") << QByteArray("0.5min") << qint64(30'000'000);
        QTest::newRow("exponent") << QByteArray("2.5e2ms") << qint64(250'000);
        QTest::newRow("fraction of µs rounds") << QByteArray("0.0001s") << qint64(100);
        QTest::newRow("one hour") << QByteArray("3600s") << qint64(3'600'000'000);
    }

    void shutterUnits()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, us);
        const auto r = readRpicamConfig("shutter=" + value + "\ngain=1\nawbgains=1,1\n");
        QVERIFY2(r.diagnostics.isEmpty(), qPrintable(dump(r.diagnostics)));
        QCOMPARE(r.settings.shutter, microseconds(us));
    }

    void badValues_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QStringList>("gist");
        const auto row = [](const char *name, const char *line, QStringList gist) {
            QTest::newRow(name) << QByteArray(line) << gist;
        };
        row("denoise word", "denoise=fast",
            {QStringLiteral("denoise: 'fast' is not one of auto, off, cdn_off, cdn_fast, cdn_hq")});
        row("awb word", "awb=sunny",
            {QStringLiteral("awb: 'sunny' is not one of auto,"), QStringLiteral("custom")});
        row("exposure word", "exposure=fast", {QStringLiteral("exposure: 'fast'"), QStringLiteral("normal")});
        row("metering word", "metering=center",
            {QStringLiteral("metering: 'center'"), QStringLiteral("centre")});
        row("words are case-sensitive", "awb=Custom", {QStringLiteral("awb: 'Custom'")});
        row("shutter with a space", "shutter=250 ms",
            {QStringLiteral("shutter: '250 ms'"), QStringLiteral("unit")});
        row("shutter unknown unit", "shutter=2h",
            {QStringLiteral("shutter: '2h'"), QStringLiteral("unit 'h'")});
        row("shutter text", "shutter=long", {QStringLiteral("shutter: 'long' is not a time")});
        row("shutter empty", "shutter=", {QStringLiteral("shutter: ''")});
        row("shutter negative", "shutter=-5", {QStringLiteral("shutter: '-5'"), QStringLiteral("positive")});
        row("shutter over an hour", "shutter=3601s",
            {QStringLiteral("shutter: '3601s'"), QStringLiteral("1 h")});
        row("shutter below 1 µs", "shutter=100ns",
            {QStringLiteral("shutter: '100ns'"), QStringLiteral("1 µs")});
        row("gain text", "gain=high", {QStringLiteral("gain: 'high' is not a number")});
        row("gain negative", "gain=-2", {QStringLiteral("gain: '-2'"), QStringLiteral("greater than 0")});
        row("gain nan", "gain=nan", {QStringLiteral("gain: 'nan' is not a number")});
        row("analoggain negative", "analoggain=-1", {QStringLiteral("analoggain: '-1'")});
        row("framerate zero", "framerate=0",
            {QStringLiteral("framerate: '0'"), QStringLiteral("greater than 0")});
        row("framerate negative", "framerate=-1", {QStringLiteral("framerate: '-1'")});
        row("rotation 90", "rotation=90", {QStringLiteral("rotation: '90'"), QStringLiteral("0 or 180")});
        row("rotation 45", "rotation=45", {QStringLiteral("rotation: '45' is not 0 or 180")});
        row("bool", "vflip=maybe", {QStringLiteral("vflip: 'maybe' is not a boolean")});
        row("awbgains one number", "awbgains=1.5", {QStringLiteral("awbgains: '1.5' is not two numbers")});
        row("awbgains negative", "awbgains=-1,2",
            {QStringLiteral("awbgains: '-1,2'"), QStringLiteral("negative")});
        row("roi three numbers", "roi=0,0,1",
            {QStringLiteral("roi: '0,0,1'"), QStringLiteral("x,y,width,height")});
        row("roi past the edge", "roi=0.5,0.5,0.6,0.1",
            {QStringLiteral("roi:"), QStringLiteral("past the sensor")});
        row("roi above 1", "roi=0,0,2,1", {QStringLiteral("roi:"), QStringLiteral("from 0 to 1")});
        row("mode one number", "mode=4056",
            {QStringLiteral("mode: '4056'"), QStringLiteral("W:H:bit-depth")});
        row("mode bit depth", "mode=4056:3040:11:P",
            {QStringLiteral("mode:"), QStringLiteral("8, 10, 12 or 16")});
        row("mode packing", "mode=4056:3040:12:X", {QStringLiteral("mode:"), QStringLiteral("P (packed)")});
        row("width negative", "width=-1", {QStringLiteral("width: '-1' is not a whole number")});
        row("buffer-count text", "buffer-count=many", {QStringLiteral("buffer-count: 'many'")});
        row("ev hex", "ev=0x10", {QStringLiteral("ev: '0x10' is not a number")});
        row("tuning-file control char", "tuning-file=a\x01z",
            {QStringLiteral("tuning-file:"), QStringLiteral("control")});
    }

    void badValues()
    {
        QFETCH(QByteArray, line);
        QFETCH(QStringList, gist);
        // The bad line sits on line 3 so the test sees the line number, not just "line 1".
        const auto r = readRpicamConfig("# comment\n\n" + line + "\n");
        const auto errors = r.diagnostics.errors();
        QVERIFY2(errors.size() == 1, qPrintable(dump(r.diagnostics)));
        QVERIFY2(
            !matching(errors, QStringLiteral("line 3"), gist).isEmpty(), qPrintable(dump(r.diagnostics)));
    }

    void badValueKeepsTheBaseValue()
    {
        CameraSettings base;
        base.denoise = Denoise::CdnFast;
        base.shutter = microseconds(1000);
        const auto r = readRpicamConfig("denoise=fast\nshutter=abc\n", base);
        QCOMPARE(r.diagnostics.errors().size(), 2);
        QCOMPARE(toString(r.settings.denoise), toString(Denoise::CdnFast));
        QCOMPARE(r.settings.shutter, microseconds(1000));
    }

    void baseKeepsKeysTheFileDoesNotName()
    {
        CameraSettings base = CameraSettings::referenceRig();
        const auto r = readRpicamConfig("shutter=100ms\n", base);
        QCOMPARE(r.settings.shutter, microseconds(100'000));
        QCOMPARE(r.settings.analogueGain, 8.0);
        QVERIFY(r.settings.vflip);
        QCOMPARE(toString(r.settings.denoise), toString(Denoise::Off));
    }

    void zeroShutterAndGainMeanAutomatic()
    {
        const auto r = readRpicamConfig("shutter=0\ngain=0\n", CameraSettings::referenceRig());
        QVERIFY(!r.diagnostics.hasErrors());
        QVERIFY(!r.settings.shutter);
        QVERIFY(!r.settings.analogueGain);
        const auto w = r.diagnostics.warnings();
        QVERIFY2(!matching(w, QStringLiteral("line 1"), {QStringLiteral("automatic exposure")}).isEmpty(),
            qPrintable(dump(r.diagnostics)));
        QVERIFY2(!matching(w, QStringLiteral("line 2"), {QStringLiteral("automatic gain")}).isEmpty(),
            qPrintable(dump(r.diagnostics)));
        // …and the fixed-run check points at the same lines.
        QVERIFY(!matching(w, QStringLiteral("line 1"),
            {QStringLiteral("fixed-parameter"), QStringLiteral("shutter=250000")})
                     .isEmpty());
        QVERIFY(!matching(
            w, QStringLiteral("line 2"), {QStringLiteral("fixed-parameter"), QStringLiteral("gain=8.0")})
                     .isEmpty());
    }

    void flagsAndBooleans_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("expected");
        QTest::newRow("empty is true") << QByteArray("") << true;
        QTest::newRow("1") << QByteArray("1") << true;
        QTest::newRow("TRUE") << QByteArray("TRUE") << true;
        QTest::newRow("yes") << QByteArray("yes") << true;
        QTest::newRow("On") << QByteArray("On") << true;
        QTest::newRow("0") << QByteArray("0") << false;
        QTest::newRow("false") << QByteArray("false") << false;
        QTest::newRow("no") << QByteArray("no") << false;
        QTest::newRow("off") << QByteArray("off") << false;
    }

    void flagsAndBooleans()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, expected);
        CameraSettings base;
        base.hflip = !expected;
        const auto r = readRpicamConfig("hflip=" + value + "\n", base);
        QVERIFY(!r.diagnostics.hasErrors());
        QCOMPARE(r.settings.hflip, expected);
    }

    void aliasesMapToCanonicalWords()
    {
        const auto r = readRpicamConfig("awb=normal\nexposure=sport\nmetering=average\n");
        QVERIFY(!r.diagnostics.hasErrors());
        QCOMPARE(toString(r.settings.awbMode), toString(AwbMode::Auto));
        QCOMPARE(toString(r.settings.exposureMode), toString(ExposureMode::Short));
        QCOMPARE(toString(r.settings.metering), toString(MeteringMode::Matrix));
        const QByteArray written = writeRpicamConfig(r.settings);
        QVERIFY(written.contains("\nawb=auto\n"));
        QVERIFY(written.contains("\nexposure=short\n"));
        QVERIFY(written.contains("\nmetering=matrix\n"));
    }

    void modeForms()
    {
        auto r = readRpicamConfig("mode=4056:3040\n");
        QCOMPARE(r.settings.sensorMode, (SensorModeRequest {4056, 3040, 12, true}));
        r = readRpicamConfig("mode=2028:1520:10\n");
        QCOMPARE(r.settings.sensorMode, (SensorModeRequest {2028, 1520, 10, true}));
        r = readRpicamConfig("mode=2028:1520:10:u\n");
        QCOMPARE(r.settings.sensorMode, (SensorModeRequest {2028, 1520, 10, false}));
        CameraSettings base;
        base.sensorMode = SensorModeRequest {1, 1, 8, true};
        r = readRpicamConfig("mode=\n", base);
        QVERIFY(!r.diagnostics.hasErrors());
        QVERIFY(!r.settings.sensorMode);
    }

    void roiOfZeroSizeMeansNoZoom()
    {
        const auto r = readRpicamConfig("roi=0,0,0,0\n");
        QVERIFY(!r.diagnostics.hasErrors());
        QVERIFY(!r.settings.roi);
    }

    void clampedValuesWarn()
    {
        const auto r = readRpicamConfig("contrast=20\nbrightness=-3\n");
        QVERIFY(!r.diagnostics.hasErrors());
        QCOMPARE(r.settings.contrast, 15.99);
        QCOMPARE(r.settings.brightness, -1.0);
        const auto w = r.diagnostics.warnings();
        QVERIFY(!matching(
            w, QStringLiteral("line 1"), {QStringLiteral("contrast"), QStringLiteral("clamps it to 15.99")})
                     .isEmpty());
        QVERIFY(!matching(
            w, QStringLiteral("line 2"), {QStringLiteral("brightness"), QStringLiteral("clamps it to -1")})
                     .isEmpty());
    }

    void awbGainsNeedBothNonZero()
    {
        const auto r = readRpicamConfig("awbgains=1.5,0\n");
        QVERIFY(!r.diagnostics.hasErrors());
        QVERIFY(!r.settings.awbGains);
        QVERIFY(
            !matching(r.diagnostics.warnings(), QStringLiteral("line 1"), {QStringLiteral("one zero gain")})
                 .isEmpty());
    }

    void malformedLine()
    {
        const auto r = readRpicamConfig("gain=8\nshutter 250000\n--vflip\n");
        const auto errors = r.diagnostics.errors();
        QCOMPARE(errors.size(), 2);
        QVERIFY2(!matching(errors, QStringLiteral("line 2"),
                     {QStringLiteral("malformed line 'shutter 250000'"), QStringLiteral("no '='"),
                         QStringLiteral("did you mean 'shutter=250000'")})
                      .isEmpty(),
            qPrintable(dump(r.diagnostics)));
        QVERIFY(!matching(
            errors, QStringLiteral("line 3"), {QStringLiteral("malformed"), QStringLiteral("vflip=")})
                     .isEmpty());
    }

    void emptyKeyIsAnError()
    {
        const auto r = readRpicamConfig("=5\n");
        QVERIFY(!matching(r.diagnostics.errors(), QStringLiteral("line 1"), {QStringLiteral("no key")})
                     .isEmpty());
    }

    void duplicateKeyIsRefusedLikeRpicamApps()
    {
        // Boost's store() refuses a second value for a single-valued option ("cannot be specified
        // more than once"), so rpicam-apps stops; ScopeSync reports it and keeps the first value.
        const auto r = readRpicamConfig("shutter=100000\ngain=2\nshutter=200000\n");
        const auto errors = r.diagnostics.errors();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(!matching(errors, QStringLiteral("line 3"),
                     {QStringLiteral("'shutter' is set again"), QStringLiteral("line 1")})
                      .isEmpty(),
            qPrintable(dump(r.diagnostics)));
        QCOMPARE(r.settings.shutter, microseconds(100'000));
        // Unknown keys are reported as unknown each time, not as duplicates.
        const auto unknownTwice = readRpicamConfig("foo=1\nfoo=2\n");
        QVERIFY(!unknownTwice.diagnostics.hasErrors());
        QVERIFY(!matching(unknownTwice.diagnostics.warnings(), QStringLiteral("line 2"),
            {QStringLiteral("unknown key 'foo'")})
                     .isEmpty());
    }

    void gainOverridesAnaloggainWhateverTheOrder_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("analogLine");
        QTest::newRow("gain first") << QByteArray("gain=4\nanaloggain=2\n") << QStringLiteral("line 2");
        QTest::newRow("gain last") << QByteArray("analoggain=2\ngain=4\n") << QStringLiteral("line 1");
    }

    void gainOverridesAnaloggainWhateverTheOrder()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, analogLine);
        const auto r = readRpicamConfig(text);
        QVERIFY(!r.diagnostics.hasErrors());
        QCOMPARE(r.settings.analogueGain, 4.0);
        QVERIFY(!matching(r.diagnostics.warnings(), analogLine, {QStringLiteral("overridden by 'gain'")})
                     .isEmpty());
        QCOMPARE(readRpicamConfig("analoggain=2\n").settings.analogueGain, 2.0);
    }

    void knownButUnusedKeysWarn()
    {
        const auto r = readRpicamConfig(
            "gain=1\noutput=/tmp/x.jpg\nnopreview=\nexif=IFD0.Artist=lab\nexif=IFD0.Make=x\n");
        QVERIFY2(!r.diagnostics.hasErrors(), qPrintable(dump(r.diagnostics)));
        for (const char *line : {"line 2", "line 3", "line 4", "line 5"})
            QVERIFY2(!matching(r.diagnostics.warnings(), QString::fromLatin1(line),
                         {QStringLiteral("accepted by rpicam-apps but not used by ScopeSync")})
                          .isEmpty(),
                line);
    }

    void unknownKeysWarnWithASuggestion_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QString>("suggestion");
        QTest::newRow("typo") << QByteArray("shuter") << QStringLiteral("did you mean 'shutter'?");
        QTest::newRow("swapped letters") << QByteArray("gian") << QStringLiteral("did you mean 'gain'?");
        QTest::newRow("underscore") << QByteArray("awb_gains") << QStringLiteral("did you mean 'awbgains'?");
        QTest::newRow("case") << QByteArray("VFlip") << QStringLiteral("did you mean 'vflip'?");
        QTest::newRow("dashes") << QByteArray("--vflip") << QStringLiteral("without the leading '--'");
        QTest::newRow("british spelling")
            << QByteArray("analoguegain") << QStringLiteral("did you mean 'analoggain'?");
        QTest::newRow("nothing close")
            << QByteArray("frobnicate") << QStringLiteral("rpicam-apps would refuse");
    }

    void unknownKeysWarnWithASuggestion()
    {
        QFETCH(QByteArray, key);
        QFETCH(QString, suggestion);
        const auto r = readRpicamConfig("gain=1\n" + key + "=1\n");
        QVERIFY(!r.diagnostics.hasErrors());
        QVERIFY2(!matching(r.diagnostics.warnings(), QStringLiteral("line 2"),
                     {QStringLiteral("unknown key '%1'").arg(QString::fromLatin1(key)), suggestion})
                      .isEmpty(),
            qPrintable(dump(r.diagnostics)));
        if (key == "frobnicate")
            QVERIFY(!r.diagnostics.warnings().constLast().message.contains(QStringLiteral("did you mean")));
    }

    void sectionHeadersBreakLaterKeysAsInRpicamApps()
    {
        const auto r = readRpicamConfig("[camera]\nshutter=1000\n");
        QVERIFY(!r.settings.shutter);
        const auto w = r.diagnostics.warnings();
        QVERIFY(!matching(
            w, QStringLiteral("line 1"), {QStringLiteral("section header"), QStringLiteral("camera.")})
                     .isEmpty());
        QVERIFY2(!matching(w, QStringLiteral("line 2"),
                     {QStringLiteral("unknown key 'camera.shutter'"), QStringLiteral("'shutter'")})
                      .isEmpty(),
            qPrintable(dump(r.diagnostics)));
    }

    void hashStartsACommentAnywhere()
    {
        const auto r = readRpicamConfig("tuning-file=/data/run#1/imx477.json\n");
        QVERIFY(!r.diagnostics.hasErrors());
        QCOMPARE(r.settings.tuningFile, QStringLiteral("/data/run"));
        QVERIFY(readRpicamConfig("tuning-file=-\n").settings.tuningFile.isEmpty());
    }

    void byteOrderMarkIsReportedAndSkipped()
    {
        const auto r = readRpicamConfig("\xEF\xBB\xBFshutter=1000\n");
        QCOMPARE(r.settings.shutter, microseconds(1000));
        QVERIFY(
            !matching(r.diagnostics.warnings(), QStringLiteral("line 1"), {QStringLiteral("byte-order mark")})
                 .isEmpty());
    }

    void fixedRunWarningsSayWhatToAdd()
    {
        const auto r = readRpicamConfig("# nothing\n");
        QVERIFY(!r.diagnostics.hasErrors());
        const auto w = r.diagnostics.warnings();
        QCOMPARE(w.size(), 3);
        QVERIFY(
            !matching(w, QString(), {QStringLiteral("auto-exposure"), QStringLiteral("shutter=")}).isEmpty());
        QVERIFY(!matching(w, QString(), {QStringLiteral("gain=")}).isEmpty());
        QVERIFY(!matching(w, QString(), {QStringLiteral("awb=auto"), QStringLiteral("awbgains=")}).isEmpty());

        const auto awb = readRpicamConfig("shutter=1000\ngain=2\nawb=auto\n");
        QCOMPARE(awb.diagnostics.warnings().size(), 1);
        QVERIFY(!matching(
            awb.diagnostics.warnings(), QStringLiteral("line 3"), {QStringLiteral("auto white balance")})
                     .isEmpty());
    }

    void isFixedExplains()
    {
        CameraSettings s;
        QStringList why;
        QVERIFY(!s.isFixed(&why));
        QCOMPARE(why.size(), 3);
        s.shutter = microseconds(250'000);
        s.analogueGain = 8.0;
        QVERIFY(!s.isFixed(&why));
        QCOMPARE(why.size(), 1);
        QVERIFY(why[0].contains(QStringLiteral("white balance")));
        s.awbGains = AwbGains {1.5, 1.2};
        QVERIFY(s.isFixed(&why));
        QVERIFY(why.isEmpty());
    }

    void defaultsMatchRpicamApps()
    {
        const CameraSettings s;
        QVERIFY(!s.shutter);
        QVERIFY(!s.analogueGain);
        QCOMPARE(toString(s.awbMode), toString(AwbMode::Auto));
        QCOMPARE(toString(s.denoise), toString(Denoise::Auto));
        QCOMPARE(s.contrast, 1.0);
        QCOMPARE(s.saturation, 1.0);
        QCOMPARE(s.sharpness, 1.0);
        QCOMPARE(toString(s.metering), toString(MeteringMode::Centre));
        QCOMPARE(toString(s.exposureMode), toString(ExposureMode::Normal));
        QCOMPARE(s.rotationDeg, 0);
        QVERIFY(!s.framerateFps);
    }

    void jsonHasStableSnakeCaseKeys()
    {
        const QJsonObject o = CameraSettings::referenceRig().toJson();
        QCOMPARE(o.value(QStringLiteral("shutter_us")).toInteger(), 250'000);
        QCOMPARE(o.value(QStringLiteral("analogue_gain")).toDouble(), 8.0);
        QCOMPARE(o.value(QStringLiteral("awb_mode")).toString(), QStringLiteral("custom"));
        QVERIFY(o.value(QStringLiteral("awb_gains")).isNull());
        QCOMPARE(o.value(QStringLiteral("denoise")).toString(), QStringLiteral("off"));
        QCOMPARE(o.value(QStringLiteral("vflip")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("fixed")).toBool(), false);
        const QJsonObject all = everythingSet().toJson();
        QCOMPARE(
            all.value(QStringLiteral("sensor_mode")).toObject().value(QStringLiteral("bit_depth")).toInt(),
            10);
        QCOMPARE(all.value(QStringLiteral("roi")).toObject().value(QStringLiteral("width")).toDouble(), 0.9);
        QCOMPARE(all.value(QStringLiteral("exposure_mode")).toString(), QStringLiteral("long"));
        QCOMPARE(all.value(QStringLiteral("rotation_deg")).toInt(), 180);
        QCOMPARE(all.value(QStringLiteral("framerate_fps")).toDouble(), 29.97);
        for (const QString &key : o.keys())
            QVERIFY2(key == key.toLower() && !key.contains(u'-'), qPrintable(key));
    }

    void writeThenReadIsIdentity_data()
    {
        QTest::addColumn<CameraSettings>("settings");
        QTest::newRow("defaults") << CameraSettings();
        QTest::newRow("reference rig") << CameraSettings::referenceRig();
        QTest::newRow("everything set") << everythingSet();
        CameraSettings tiny;
        tiny.shutter = microseconds(1);
        tiny.analogueGain = 1e-30;
        tiny.ev = -0.0;
        tiny.framerateFps = 1e-5;
        QTest::newRow("extremes") << tiny;
    }

    void writeThenReadIsIdentity()
    {
        QFETCH(CameraSettings, settings);
        const QByteArray text = writeRpicamConfig(settings);
        const auto r = readRpicamConfig(text);
        QVERIFY2(
            !r.diagnostics.hasErrors(), qPrintable(dump(r.diagnostics) + u'\n' + QString::fromUtf8(text)));
        QVERIFY2(r.settings == settings, text.constData());
        // Only fixed-run advice may come back: the writer never emits a line rpicam-apps would refuse.
        for (const auto &w : r.diagnostics.warnings())
            QVERIFY2(
                w.message.startsWith(QStringLiteral("not a fixed-parameter run")), qPrintable(w.toString()));
    }

    void writtenReferenceRigLooksLikeTheRigFile()
    {
        const QByteArray text = writeRpicamConfig(CameraSettings::referenceRig());
        for (const char *line : {"shutter=250000\n", "gain=8\n", "awb=custom\n", "denoise=off\n",
                 "vflip=true\n", "hflip=false\n", "contrast=0\n"})
            QVERIFY2(text.contains(line), line);
        QVERIFY(!text.contains("awbgains"));  // unset gains are left to rpicam-apps' own "0,0"
    }

    void unwritableTuningFileIsLeftOut()
    {
        CameraSettings s = everythingSet();
        s.tuningFile = QStringLiteral("/data/run#1.json");
        const auto r = readRpicamConfig(writeRpicamConfig(s));
        QVERIFY(!r.diagnostics.hasErrors());
        QVERIFY(r.settings.tuningFile.isEmpty());
    }

    void garbageNeverCrashes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("nuls") << QByteArray(64, '\0');
        QTest::newRow("nul inside value") << QByteArray("shutter=25\0"
                                                        "0ms\n",
            14);
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\xff\xfe=\x80\x81\n=\n==\n[\n]\n[]\n#\n");
        QTest::newRow("huge line") << QByteArray(300'000, 'x') + "=" + QByteArray(300'000, '9');
        QTest::newRow("huge number") << "gain=" + QByteArray(5000, '9');
        QTest::newRow("only CR") << QByteArray("shutter=1\rgain=2\r");
        QTest::newRow("many lines") << QByteArray("\n").repeated(200'000);
        QTest::newRow("bad utf8 key") << QByteArray("\xc3\x28=1\n");
    }

    void garbageNeverCrashes()
    {
        QFETCH(QByteArray, bytes);
        const auto r = readRpicamConfig(bytes);
        const auto again = readRpicamConfig(writeRpicamConfig(r.settings));
        QVERIFY2(!again.diagnostics.hasErrors(), qPrintable(dump(again.diagnostics)));
        QVERIFY(again.settings == r.settings);
        for (const auto &d : r.diagnostics.all())
            QVERIFY(d.message.size() < 1000);  // messages quote user bytes, but briefly
    }

    void tooManyProblemsStopsTheReport()
    {
        QByteArray text = "shutter=1000\n";
        for (int i = 0; i < 500; ++i)
            text += "junk" + QByteArray::number(i) + "=1\n";
        text += "gain=2\n";
        const auto r = readRpicamConfig(text);
        QVERIFY(r.diagnostics.all().size() <= 110);
        QVERIFY(!matching(
            r.diagnostics.errors(), QString(), {QStringLiteral("stopped reading after 100 problems")})
                     .isEmpty());
        QCOMPARE(r.settings.shutter, microseconds(1000));
        QVERIFY(!r.settings.analogueGain);  // never reached
    }

    void missingFileIsOneErrorNamingIt()
    {
        const QString path = QStringLiteral("/nonexistent/scopesync/camera.txt");
        const auto r = readRpicamConfigFile(path, CameraSettings::referenceRig());
        QCOMPARE(r.diagnostics.all().size(), 1);
        QVERIFY(r.diagnostics.hasErrors());
        const QString message = r.diagnostics.all().constFirst().toString();
        QVERIFY2(message.contains(path), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("does not exist")), qPrintable(message));
        QCOMPARE(r.settings, CameraSettings::referenceRig());
    }

    void directoryAndOversizedFilesAreRefused()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto r = readRpicamConfigFile(dir.path());
        QCOMPARE(r.diagnostics.errors().size(), 1);
        QVERIFY(r.diagnostics.errors().constFirst().message.contains(dir.path()));

        const QString big = dir.filePath(QStringLiteral("big.txt"));
        QFile f(big);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray line("# padding padding padding padding padding padding padding padding padding\n");
        f.write(line.repeated(static_cast<qsizetype>(kMaxRpicamConfigBytes / line.size() + 1)));
        f.close();
        r = readRpicamConfigFile(big);
        QCOMPARE(r.diagnostics.all().size(), 1);
        QVERIFY2(r.diagnostics.errors().constFirst().message.contains(QStringLiteral("larger than 1 MiB")),
            qPrintable(dump(r.diagnostics)));
    }

    void problemsSampleReportsEveryKind()
    {
        const auto r = readRpicamConfigFile(kDataDir + QStringLiteral("problems.txt"));
        const auto e = r.diagnostics.errors();
        const auto w = r.diagnostics.warnings();
        QVERIFY(!matching(e, QStringLiteral("line 2"), {QStringLiteral("malformed")}).isEmpty());
        QVERIFY(!matching(e, QStringLiteral("line 3"), {QStringLiteral("denoise: 'fast'")}).isEmpty());
        QVERIFY(!matching(w, QStringLiteral("line 4"), {QStringLiteral("did you mean 'shutter'")}).isEmpty());
        QVERIFY(!matching(w, QStringLiteral("line 5"), {QStringLiteral("not used by ScopeSync")}).isEmpty());
        QVERIFY(!matching(e, QStringLiteral("line 6"), {QStringLiteral("gain: '-2'")}).isEmpty());
        QVERIFY(!matching(e, QStringLiteral("line 7"), {QStringLiteral("set again")}).isEmpty());
        QVERIFY(!matching(e, QStringLiteral("line 8"), {QStringLiteral("rotation: '90'")}).isEmpty());
        QVERIFY(!matching(e, QStringLiteral("line 9"), {QStringLiteral("awbgains: '1.5'")}).isEmpty());
        QCOMPARE(e.size(), 6);
    }
};

QTEST_GUILESS_MAIN(TestRpicamConfig)
#include "test_rpicam_config.moc"
