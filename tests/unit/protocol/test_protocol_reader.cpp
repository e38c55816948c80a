// Unit tests for ProtocolReader and the native format: every step type, detection, and shape errors.
#include "core/protocol/protocol_reader.h"
#include "core/protocol/protocol_validator.h"

#include <QTemporaryDir>
#include <QTest>

#include "protocol_test_support.h"

using namespace scopesync::core;
using namespace scopesync::core::protocol;
using namespace scopesync::tests;
using namespace std::chrono_literals;

namespace {

QByteArray native(const QByteArray &steps)
{
    return R"({"format": "scopesync-protocol", "version": 1, "name": "t", "steps": )" + steps + "}";
}

}  // namespace

class TestProtocolReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsEveryStepType()
    {
        const QByteArray json = native(R"([
            {"type": "set_temperature", "label": "heat", "kelvin": 334.15},
            {"type": "group", "label": "cycle", "iterations": 3, "steps": [
                {"type": "image", "label": "645", "filter": "red",
                 "flashes": [{"led": "red", "duration_ms": 50}, {"led": "green", "duration_ms": 12.5,
                              "intensity_per_mille": 300}]},
                {"type": "wait", "label": "incorporate", "duration_ms": 600000},
                {"type": "illuminate", "label": "cleave", "flashes": [{"led": "uv"}], "duration_ms": 2000,
                 "capture_period_ms": 500}
            ]}
        ])");
        const ReadResult r = ProtocolReader::readBytes(json, QStringLiteral("p.json"));
        VERIFY_DIAG(r.diagnostics.isEmpty(), r.diagnostics);
        QVERIFY(r.protocol);
        const Protocol &p = *r.protocol;
        QCOMPARE(p.name, QStringLiteral("t"));
        QCOMPARE(p.steps.size(), std::size_t(2));
        QCOMPARE(p.steps[0].kind, StepKind::SetTemperature);
        QCOMPARE(p.steps[0].temperatureKelvin, 334.15);
        const Step &group = p.steps[1];
        QCOMPARE(group.kind, StepKind::Group);
        QCOMPARE(group.iterations, 3);
        QCOMPARE(group.sourcePath, QStringLiteral("$.steps[1]"));
        QCOMPARE(group.children.size(), std::size_t(3));
        const Step &image = group.children[0];
        QCOMPARE(image.kind, StepKind::Image);
        QCOMPARE(image.filter, QStringLiteral("red"));
        QCOMPARE(image.sourcePath, QStringLiteral("$.steps[1].steps[0]"));
        QCOMPARE(image.flashes.size(), std::size_t(2));
        QCOMPARE(image.flashes[0].duration, 50'000us);
        QCOMPARE(image.flashes[0].intensityPerMille, 1000);
        QCOMPARE(image.flashes[1].duration, 12'500us);
        QCOMPARE(image.flashes[1].intensityPerMille, 300);
        QCOMPARE(image.flashes[1].sourcePath, QStringLiteral("$.steps[1].steps[0].flashes[1]"));
        QCOMPARE(group.children[1].duration, 600'000ms);
        const Step &cleave = group.children[2];
        QCOMPARE(cleave.kind, StepKind::Illuminate);
        QCOMPARE(cleave.duration, 2000ms);
        QCOMPARE(cleave.capturePeriod, std::optional(500ms));
        // An illuminate flash without its own duration lasts as long as the step.
        QCOMPARE(cleave.flashes.at(0).duration, 2'000'000us);
    }

    void fractionalDurationsAreRoundedWithAWarning()
    {
        const ReadResult r = ProtocolReader::readBytes(native(R"([
            {"type": "image", "flashes": [{"led": "red", "duration_ms": 1.234}, {"led": "red", "duration_ms": 0.0005}]},
            {"type": "wait", "duration_ms": 1.5}])"));
        QVERIFY(r.protocol);
        QVERIFY(!r.diagnostics.hasErrors());
        QCOMPARE(r.protocol->steps[0].flashes[0].duration, 1234us);  // exact: no warning
        QCOMPARE(r.protocol->steps[0].flashes[1].duration, 1us);
        QCOMPARE(r.protocol->steps[1].duration, 2ms);
        VERIFY_DIAG(r.diagnostics.warnings().size() == 2, r.diagnostics);
        VERIFY_DIAG(hasWarning(r.diagnostics, QStringLiteral("$.steps[0].flashes[1].duration_ms"),
                        {QStringLiteral("rounded"), QStringLiteral("microseconds")}),
            r.diagnostics);
        VERIFY_DIAG(hasWarning(r.diagnostics, QStringLiteral("$.steps[1].duration_ms"),
                        {QStringLiteral("rounded to 2 ms")}),
            r.diagnostics);
    }

    void detectsTheFormatByContent()
    {
        const QByteArray legacy = R"({"label": "w", "event_type": "Wait", "Wait_args": {"duration_ms": 5}})";
        ReadResult r = ProtocolReader::readBytes(legacy, QStringLiteral("renamed.json"));
        VERIFY_DIAG(r.diagnostics.isEmpty() && r.protocol, r.diagnostics);
        QCOMPARE(r.protocol->steps.at(0).kind, StepKind::Wait);
        QCOMPARE(r.protocol->steps.at(0).sourcePath, QStringLiteral("$"));

        // The suffix decides when the content does not.
        r = ProtocolReader::readBytes(R"({"label": "w"})", QStringLiteral("old.454sp.json"));
        VERIFY_DIAG(hasError(r.diagnostics, QStringLiteral("$.event_type"), {QStringLiteral("missing")}),
            r.diagnostics);

        r = ProtocolReader::readBytes(R"({"steps": []})", QStringLiteral("x.json"));
        VERIFY_DIAG(
            hasError(r.diagnostics, QStringLiteral("$.format"), {QStringLiteral("missing")}), r.diagnostics);

        r = ProtocolReader::readBytes(R"({"hello": 1})", QStringLiteral("x.json"));
        QVERIFY(!r.protocol);
        VERIFY_DIAG(hasError(r.diagnostics, QStringLiteral("$"), {QStringLiteral("neither")}), r.diagnostics);
    }

    void invalidJsonGivesLineAndColumn()
    {
        const ReadResult r = ProtocolReader::readBytes("{\n  \"format\": ,\n}", QStringLiteral("x.json"));
        QVERIFY(!r.protocol);
        QCOMPARE(r.diagnostics.all().size(), 1);
        const Diagnostic d = r.diagnostics.all().first();
        QCOMPARE(d.severity, Severity::Error);
        QVERIFY2(d.path.startsWith(QStringLiteral("2:")), qPrintable(d.path));
        QVERIFY2(d.message.contains(QStringLiteral("line 2, column")), qPrintable(d.message));
        QVERIFY(d.message.contains(QStringLiteral("not valid JSON")));

        const ReadResult empty = ProtocolReader::readBytes({}, QStringLiteral("x.json"));
        QCOMPARE(empty.diagnostics.all().size(), 1);
        QCOMPARE(empty.diagnostics.all().first().path, QStringLiteral("1:1"));
    }

    void topLevelMustBeAnObject()
    {
        // Qt's parser already refuses a bare scalar at the top level, as a syntax error.
        for (const QByteArray &json : {QByteArray("[1, 2]"), QByteArray("[]")}) {
            const ReadResult r = ProtocolReader::readBytes(json, QStringLiteral("x.json"));
            QVERIFY(!r.protocol);
            QCOMPARE(r.diagnostics.all().size(), 1);
            VERIFY_DIAG(hasError(r.diagnostics, QStringLiteral("$"), {QStringLiteral("expected an object")}),
                r.diagnostics);
        }
    }

    void oversizedFileIsRefusedUnread()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("huge.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(ProtocolReader::kMaxFileBytes + 1));  // sparse: costs no disk
        f.close();
        const ReadResult r = ProtocolReader::readFile(path);
        QVERIFY(!r.protocol);
        QCOMPARE(r.diagnostics.all().size(), 1);
        VERIFY_DIAG(hasError(r.diagnostics, path, {QStringLiteral("16 MiB")}), r.diagnostics);

        const ReadResult b = ProtocolReader::readBytes(QByteArray(ProtocolReader::kMaxFileBytes + 1, ' '));
        QCOMPARE(b.diagnostics.all().size(), 1);
    }

    void missingFile()
    {
        const ReadResult r = ProtocolReader::readFile(QStringLiteral("/nonexistent/p.json"));
        QVERIFY(!r.protocol);
        VERIFY_DIAG(hasError(r.diagnostics, QStringLiteral("/nonexistent/p.json"),
                        {QStringLiteral("does not exist")}),
            r.diagnostics);
    }

    void shapeErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("gist");
        auto row = [](const char *name, const QByteArray &steps, const char *path, QStringList gist) {
            QTest::newRow(name) << native(steps) << QString::fromUtf8(path) << gist;
        };
        row("step not an object", "[5]", "$.steps[0]", {"expected an object", "found a number"});
        row("missing type", R"([{"label": "x"}])", "$.steps[0].type", {"'type' is missing"});
        row("unknown type", R"([{"type": "flash"}])", "$.steps[0].type",
            {"unknown step type 'flash'", "known types: group, image, wait, set_temperature, illuminate"});
        row("type not a string", R"([{"type": 3}])", "$.steps[0].type",
            {"expected a string", "found a number"});
        row("label not a string", R"([{"type": "wait", "label": 7, "duration_ms": 1}])", "$.steps[0].label",
            {"expected a string", "found a number"});
        row("duration as string", R"([{"type": "wait", "duration_ms": "10"}])", "$.steps[0].duration_ms",
            {"expected a number", "found a string"});
        row("wait without duration", R"([{"type": "wait"}])", "$.steps[0].duration_ms",
            {"'duration_ms' is missing"});
        row("fractional iterations", R"([{"type": "group", "iterations": 2.5, "steps": []}])",
            "$.steps[0].iterations", {"whole number", "2.5"});
        row("iterations as string", R"([{"type": "group", "iterations": "3", "steps": []}])",
            "$.steps[0].iterations", {"expected a number", "found a string"});
        row("huge iterations", R"([{"type": "group", "iterations": 1e30, "steps": []}])", "$.steps[0]",
            {"iterations", "from 1 to 1000000"});
        row("group without steps", R"([{"type": "group"}])", "$.steps[0].steps", {"'steps' is missing"});
        row("steps not an array", R"([{"type": "group", "steps": {}}])", "$.steps[0].steps",
            {"expected an array", "found an object"});
        row("image without flashes", R"([{"type": "image"}])", "$.steps[0].flashes",
            {"'flashes' is missing"});
        row("flash without led", R"([{"type": "image", "flashes": [{"duration_ms": 5}]}])",
            "$.steps[0].flashes[0].led", {"'led' is missing"});
        row("flash led not a string", R"([{"type": "image", "flashes": [{"led": true, "duration_ms": 5}]}])",
            "$.steps[0].flashes[0].led", {"expected a string", "found a boolean"});
        row("flash without duration", R"([{"type": "image", "flashes": [{"led": "red"}]}])",
            "$.steps[0].flashes[0].duration_ms", {"'duration_ms' is missing"});
        row("flash not an object", R"([{"type": "image", "flashes": ["red"]}])", "$.steps[0].flashes[0]",
            {"expected an object", "found a string"});
        row("fractional intensity", R"([{"type": "image", "flashes": [{"led": "red", "duration_ms": 5,
            "intensity_per_mille": 12.5}]}])",
            "$.steps[0].flashes[0].intensity_per_mille", {"whole number"});
        row("absurd flash", R"([{"type": "image", "flashes": [{"led": "red", "duration_ms": 1e300}]}])",
            "$.steps[0].flashes[0]", {"longer than the limit", "at most 3600000 ms"});
        row("temperature without kelvin", R"([{"type": "set_temperature"}])", "$.steps[0].kelvin",
            {"'kelvin' is missing"});
        row("kelvin as null", R"([{"type": "set_temperature", "kelvin": null}])", "$.steps[0].kelvin",
            {"expected a number", "found null"});
        row("illuminate without duration", R"([{"type": "illuminate", "flashes": [{"led": "uv"}]}])",
            "$.steps[0].duration_ms", {"'duration_ms' is missing"});
        row("illuminate without flashes", R"([{"type": "illuminate", "duration_ms": 5}])",
            "$.steps[0].flashes", {"'flashes' is missing"});
        row("steps not an array at the top", R"("none")", "$.steps", {"expected an array", "found a string"});

        QTest::newRow("wrong format")
            << QByteArray(R"({"format": "other", "version": 1, "steps": []})") << QStringLiteral("$.format")
            << QStringList {"a ScopeSync protocol has"};
        QTest::newRow("newer version")
            << QByteArray(R"({"format": "scopesync-protocol", "version": 2, "steps": []})")
            << QStringLiteral("$.version") << QStringList {"newer ScopeSync"};
        QTest::newRow("no version") << QByteArray(R"({"format": "scopesync-protocol", "steps": []})")
                                    << QStringLiteral("$.version") << QStringList {"'version' is missing"};
    }

    void shapeErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        QFETCH(QStringList, gist);
        const ReadResult r = ProtocolReader::readBytes(json, QStringLiteral("x.json"));
        VERIFY_DIAG(hasError(r.diagnostics, path, gist), r.diagnostics);
        // Exactly one problem per case: nothing else is invented from a placeholder.
        ValidationContext context;
        Diagnostics all = r.diagnostics;
        if (r.protocol)
            all.append(validateProtocol(*r.protocol, context));
        VERIFY_DIAG(all.errors().size() == 1, all);
    }

    void unreadableFlashIsStillRangeChecked()
    {
        const ReadResult r = ProtocolReader::readBytes(native(R"([{"type": "image", "flashes": [
            {"led": 5, "duration_ms": -3, "intensity_per_mille": 2000}]}])"));
        VERIFY_DIAG(hasError(r.diagnostics, QStringLiteral("$.steps[0].flashes[0].led"),
                        {QStringLiteral("expected a string")}),
            r.diagnostics);
        VERIFY_DIAG(
            hasError(r.diagnostics, QStringLiteral("$.steps[0].flashes[0]"), {QStringLiteral("lasts -3 ms")}),
            r.diagnostics);
        VERIFY_DIAG(hasError(r.diagnostics, QStringLiteral("$.steps[0].flashes[0]"),
                        {QStringLiteral("intensity_per_mille is 2000")}),
            r.diagnostics);
        QVERIFY(r.protocol);
        QVERIFY(r.protocol->steps.at(0).flashes.empty());  // left out, so validation cannot repeat these
        QCOMPARE(validateProtocol(*r.protocol, {}).errors().size(), 0);
    }

    void unknownKeysAreWarnings()
    {
        const ReadResult r = ProtocolReader::readBytes(
            R"({"format": "scopesync-protocol", "version": 1, "author": "me", "steps": [
                {"type": "wait", "duration_ms": 5, "colour": "red"},
                {"type": "image", "flashes": [{"led": "red", "duration_ms": 5, "power": 3}]}]})");
        QVERIFY(!r.diagnostics.hasErrors());
        QCOMPARE(r.diagnostics.warnings().size(), 3);
        VERIFY_DIAG(hasWarning(r.diagnostics, QStringLiteral("$.author"),
                        {QStringLiteral("unknown key 'author' is ignored; known keys: format, version, name, "
                                        "description, steps")}),
            r.diagnostics);
        VERIFY_DIAG(hasWarning(r.diagnostics, QStringLiteral("$.steps[0].colour"),
                        {QStringLiteral("known keys: type, label, duration_ms")}),
            r.diagnostics);
        VERIFY_DIAG(hasWarning(r.diagnostics, QStringLiteral("$.steps[1].flashes[0].power"),
                        {QStringLiteral("known keys: led, duration_ms, intensity_per_mille")}),
            r.diagnostics);
    }

    void nestingIsLimited_data()
    {
        QTest::addColumn<int>("groups");
        QTest::newRow("33") << 33;
        QTest::newRow("400") << 400;  // within Qt's own JSON nesting limit
    }

    void nestingIsLimited()
    {
        QFETCH(int, groups);
        QByteArray steps = R"([{"type": "wait", "duration_ms": 5}])";
        for (int i = 0; i < groups; ++i)
            steps = R"([{"type": "group", "steps": )" + steps + "}]";
        const ReadResult r = ProtocolReader::readBytes(native(steps));
        QVERIFY(r.protocol);
        QString deepPath = QStringLiteral("$.steps[0]");
        for (int i = 1; i < 33; ++i)
            deepPath += QStringLiteral(".steps[0]");
        QCOMPARE(r.diagnostics.all().size(), 1);
        VERIFY_DIAG(hasError(r.diagnostics, deepPath, {QStringLiteral("more than 32 deep")}), r.diagnostics);
        QCOMPARE(depthOf(r.protocol->steps), 32);
        QCOMPARE(validateProtocol(*r.protocol, {}).errors().size(), 0);
    }

    void manyProblemsAreCapped()
    {
        QByteArray steps = "[";
        for (int i = 0; i < 5000; ++i)
            steps += R"({"type": "nope"},)";
        steps += R"({"type": "nope"}])";
        const ReadResult r = ProtocolReader::readBytes(native(steps));
        QCOMPARE(r.diagnostics.all().size(), 1001);
        QVERIFY(r.diagnostics.all().last().message.contains(QStringLiteral("4001 more problems")));
    }
};

QTEST_GUILESS_MAIN(TestProtocolReader)
#include "test_protocol_reader.moc"
