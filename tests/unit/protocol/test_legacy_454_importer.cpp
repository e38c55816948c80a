// Unit tests for the 454 Bio *.454sp.json importer: equivalence with native twins, paths and errors.
#include "core/protocol/protocol_reader.h"
#include "core/protocol/protocol_validator.h"
#include "core/timing/frame_plan.h"

#include <QTest>

#include "protocol_test_support.h"

using namespace scopesync::core;
using namespace scopesync::core::protocol;
using namespace scopesync::tests;
using namespace std::chrono_literals;

namespace {

const QString kImages = QStringLiteral(
    R"([{"label": "645", "filter": "red", "flashes": [{"led": "red", "duration_ms": 50}]}])");

QByteArray wrap(const QString &events)
{
    return QStringLiteral(
        R"({"label": "Whole", "event_type": "Group", "Group_args": {"iterations": 1, "events": %1}})")
        .arg(events)
        .toUtf8();
}

std::vector<timing::PlanAction> planWithoutPaths(const Protocol &p)
{
    auto plan = timing::unroll(p);
    for (auto &a : plan)
        a.stepPath.clear();  // paths differ between the two formats by design
    return plan;
}

}  // namespace

class TestLegacy454Importer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesItsNativeTwin_data()
    {
        QTest::addColumn<QString>("legacy");
        QTest::addColumn<QString>("twin");
        QTest::addColumn<qint64>("frames");
        const QString data = QStringLiteral(SCOPESYNC_TEST_DATA_DIR "/protocols/");
        const QString res = QStringLiteral(SCOPESYNC_RESOURCES_DIR "/protocols/");
        // 2 × (8 images + 2 cleave captures) + 4 final images.
        QTest::newRow("four colours")
            << data + "four_colour_cycles.454sp.json" << data + "four_colour_cycles.json" << qint64(24);
        // 4 initial + 3 × (2 × 4 + 1) + 4 final; no cleave captures.
        QTest::newRow("nested groups")
            << data + "nested_groups.454sp.json" << data + "nested_groups.json" << qint64(35);
        // 16 × (8 images + 2000 / 500 cleave captures).
        QTest::newRow("root cycle") << data + "root_cycle.454sp.json" << data + "root_cycle.json"
                                    << qint64(192);
        QTest::newRow("sample") << res + "four_colour_two_cycles.454sp.json"
                                << res + "four_colour_two_cycles.json" << qint64(24);
    }

    void matchesItsNativeTwin()
    {
        QFETCH(QString, legacy);
        QFETCH(QString, twin);
        QFETCH(qint64, frames);
        const ReadResult a = ProtocolReader::readFile(legacy);
        const ReadResult b = ProtocolReader::readFile(twin);
        VERIFY_DIAG(a.diagnostics.isEmpty() && a.protocol, a.diagnostics);
        VERIFY_DIAG(b.diagnostics.isEmpty() && b.protocol, b.diagnostics);
        QCOMPARE(a.protocol->name, b.protocol->name);
        QVERIFY(a.protocol->steps == b.protocol->steps);
        const auto planA = planWithoutPaths(*a.protocol);
        QVERIFY(planA == planWithoutPaths(*b.protocol));
        const qint64 captures = std::count_if(
            planA.begin(), planA.end(), [](const auto &x) { return x.kind == timing::ActionKind::Capture; });
        QCOMPARE(captures, frames);
        QCOMPARE(timing::summarize(*a.protocol, {}).frames, frames);
    }

    void mapsEventsAndKeepsTheirPaths()
    {
        const ReadResult r = ProtocolReader::readFile(
            QStringLiteral(SCOPESYNC_TEST_DATA_DIR "/protocols/four_colour_cycles.454sp.json"));
        QVERIFY(r.protocol);
        const Protocol &p = *r.protocol;
        QCOMPARE(p.name, QStringLiteral("Whole Experiment"));
        QCOMPARE(p.steps.size(), std::size_t(3));
        QCOMPARE(p.steps[0].sourcePath, QStringLiteral("$.Group_args.events[0]"));
        const Step &cycle = p.steps[1];
        QCOMPARE(cycle.kind, StepKind::Group);
        QCOMPARE(cycle.iterations, 2);
        QCOMPARE(cycle.children.size(), std::size_t(4));  // image sequence, wait, image sequence, cleave
        const Step &sequence = cycle.children[0];
        QCOMPARE(sequence.label, QStringLiteral("Pre-Incorporation Image"));
        QCOMPARE(sequence.children.size(), std::size_t(4));
        const Step &red = sequence.children[0];
        QCOMPARE(red.label, QStringLiteral("645"));
        QCOMPARE(red.filter, QStringLiteral("red"));
        QCOMPARE(red.sourcePath,
            QStringLiteral(
                "$.Group_args.events[1].ReactionCycle_args.events[0].ImageSequence_args.images[0]"));
        QCOMPARE(red.flashes.at(0).sourcePath, red.sourcePath + QStringLiteral(".flashes[0]"));
        QCOMPARE(red.flashes.at(0).duration, 50'000us);
        const Step &cleave = cycle.children[3];
        QCOMPARE(cleave.kind, StepKind::Illuminate);
        QCOMPARE(cleave.sourcePath, QStringLiteral("$.Group_args.events[1].ReactionCycle_args.cleaving"));
        QCOMPARE(cleave.flashes.at(0).led, QStringLiteral("uv"));
        QCOMPARE(cleave.duration, 2000ms);
        QCOMPARE(cleave.capturePeriod, std::optional(1000ms));
    }

    void cleavingOptions()
    {
        const QString cycle
            = QStringLiteral(R"([{"label": "c", "event_type": "ReactionCycle", "ReactionCycle_args": {
            "iterations": 2, "events": [], "cleaving": %1}}])");
        ReadResult r = ProtocolReader::readBytes(wrap(cycle.arg(QStringLiteral(
            R"({"schema_version": 0, "cleaving_duration_ms": 1500, "capture_period_ms": 0, "cleaving_led": "blue",
                "cleaving_intensity_per_mille": 400})"))));
        VERIFY_DIAG(r.diagnostics.isEmpty(), r.diagnostics);
        const Step &cleave = r.protocol->steps.at(0).children.at(0);
        QCOMPARE(cleave.capturePeriod, std::nullopt);  // 0 means no capture in 454 files
        QCOMPARE(cleave.flashes.at(0).led, QStringLiteral("blue"));
        QCOMPARE(cleave.flashes.at(0).intensityPerMille, 400);
        QCOMPARE(cleave.flashes.at(0).duration, 1'500'000us);

        r = ProtocolReader::readBytes(
            wrap(cycle.arg(QStringLiteral(R"({"schema_version": 0, "cleaving_duration_ms": 0})"))));
        QVERIFY(!r.diagnostics.hasErrors());
        VERIFY_DIAG(
            hasWarning(r.diagnostics,
                QStringLiteral("$.Group_args.events[0].ReactionCycle_args.cleaving.cleaving_duration_ms"),
                {QStringLiteral("no cleave step")}),
            r.diagnostics);
        QVERIFY(r.protocol->steps.at(0).children.empty());
    }

    void rootThatRepeatsIsKept()
    {
        const ReadResult r = ProtocolReader::readBytes(QStringLiteral(
            R"({"label": "Twice", "event_type": "Group", "Group_args": {"iterations": 2, "events": [
                {"label": "w", "event_type": "Wait", "Wait_args": {"duration_ms": 5}}]}})")
                                                           .toUtf8());
        VERIFY_DIAG(r.diagnostics.isEmpty(), r.diagnostics);
        QCOMPARE(r.protocol->steps.size(), std::size_t(1));
        QCOMPARE(r.protocol->steps[0].iterations, 2);
        QCOMPARE(r.protocol->steps[0].sourcePath, QStringLiteral("$"));
        QCOMPARE(r.protocol->steps[0].children.at(0).sourcePath, QStringLiteral("$.Group_args.events[0]"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("gist");
        const QString seq = QStringLiteral(
            R"([{"label": "s", "event_type": "ImageSequence", "ImageSequence_args": {"schema_version": 0, "images": %1}}])");
        const QString e0 = QStringLiteral("$.Group_args.events[0]");
        QTest::newRow("unknown event type")
            << wrap(QStringLiteral(R"([{"label": "x", "event_type": "Flash"}])")) << e0 + ".event_type"
            << QStringList {
                   "unknown event_type 'Flash'", "Group, ReactionCycle, ImageSequence, SetTemperature, Wait"};
        QTest::newRow("missing args") << wrap(QStringLiteral(R"([{"label": "x", "event_type": "Wait"}])"))
                                      << e0 + ".Wait_args" << QStringList {"'Wait_args' is missing"};
        QTest::newRow("missing label")
            << wrap(QStringLiteral(R"([{"event_type": "Wait", "Wait_args": {"duration_ms": 5}}])"))
            << e0 + ".label" << QStringList {"'label' is missing"};
        QTest::newRow("args not an object")
            << wrap(QStringLiteral(R"([{"label": "x", "event_type": "Wait", "Wait_args": []}])"))
            << e0 + ".Wait_args" << QStringList {"expected an object", "found an array"};
        QTest::newRow("event not an object")
            << wrap(QStringLiteral("[1]")) << e0 << QStringList {"expected an object"};
        QTest::newRow("wait duration string") << wrap(
            QStringLiteral(R"([{"label": "x", "event_type": "Wait", "Wait_args": {"duration_ms": "5"}}])"))
                                              << e0 + ".Wait_args.duration_ms"
                                              << QStringList {"expected a number", "found a string"};
        QTest::newRow("temperature missing") << wrap(
            QStringLiteral(R"([{"label": "x", "event_type": "SetTemperature", "SetTemperature_args": {}}])"))
                                             << e0 + ".SetTemperature_args.temperature_kelvin"
                                             << QStringList {"'temperature_kelvin' is missing"};
        QTest::newRow("cycle without cleaving") << wrap(QStringLiteral(
            R"([{"label": "c", "event_type": "ReactionCycle", "ReactionCycle_args": {"events": []}}])"))
                                                << e0 + ".ReactionCycle_args.cleaving"
                                                << QStringList {"'cleaving' is missing"};
        QTest::newRow("cleaving without duration") << wrap(QStringLiteral(
            R"([{"label": "c", "event_type": "ReactionCycle", "ReactionCycle_args": {"events": [],
                   "cleaving": {"schema_version": 0}}}])"))
                                                   << e0 + ".ReactionCycle_args.cleaving.cleaving_duration_ms"
                                                   << QStringList {"'cleaving_duration_ms' is missing"};
        QTest::newRow("group iterations fraction") << wrap(QStringLiteral(
            R"([{"label": "g", "event_type": "Group", "Group_args": {"iterations": 1.5, "events": []}}])"))
                                                   << e0 + ".Group_args.iterations"
                                                   << QStringList {"whole number"};
        QTest::newRow("images missing") << wrap(QStringLiteral(
            R"([{"label": "s", "event_type": "ImageSequence", "ImageSequence_args": {"schema_version": 0}}])"))
                                        << e0 + ".ImageSequence_args.images"
                                        << QStringList {"'images' is missing"};
        QTest::newRow("schema version missing") << wrap(QStringLiteral(
            R"([{"label": "s", "event_type": "ImageSequence", "ImageSequence_args": {"images": []}}])"))
                                                << e0 + ".ImageSequence_args.schema_version"
                                                << QStringList {"'schema_version' is missing"};
        QTest::newRow("flash led number") << wrap(seq.arg(QStringLiteral(
            R"([{"label": "a", "filter": "red", "flashes": [{"led": 1, "duration_ms": 5}]}])")))
                                          << e0 + ".ImageSequence_args.images[0].flashes[0].led"
                                          << QStringList {"expected a string", "found a number"};
        QTest::newRow("flash duration missing")
            << wrap(seq.arg(QStringLiteral(R"([{"label": "a", "flashes": [{"led": "red"}]}])")))
            << e0 + ".ImageSequence_args.images[0].flashes[0].duration_ms"
            << QStringList {"'duration_ms' is missing"};
        QTest::newRow("unknown filter")
            << wrap(seq.arg(QStringLiteral(R"([{"label": "a", "filter": "violet", "flashes": []}])")))
            << e0 + ".ImageSequence_args.images[0].filter"
            << QStringList {"unknown filter 'violet'", "no_filter, any_filter, red, orange, green, blue"};
        QTest::newRow("image label missing")
            << wrap(seq.arg(QStringLiteral(R"([{"flashes": []}])")))
            << e0 + ".ImageSequence_args.images[0].label" << QStringList {"'label' is missing"};
        QTest::newRow("root not an event")
            << QByteArray(R"({"label": "x", "event_type": "Nope"})") << QStringLiteral("$.event_type")
            << QStringList {"unknown event_type 'Nope'"};
    }

    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        QFETCH(QStringList, gist);
        const ReadResult r = ProtocolReader::readBytes(json, QStringLiteral("x.454sp.json"));
        VERIFY_DIAG(hasError(r.diagnostics, path, gist), r.diagnostics);
        Diagnostics all = r.diagnostics;
        if (r.protocol)
            all.append(validateProtocol(*r.protocol, {}));
        VERIFY_DIAG(all.errors().size() == 1, all);
    }

    void warnings()
    {
        const QByteArray json = wrap(QStringLiteral(
            R"([{"label": "s", "event_type": "ImageSequence", "colour": 1, "ImageSequence_args": {"schema_version": 1,
                "images": [{"label": "a", "filename": "x.tif", "flashes": [{"led": "red", "duration_ms": 5}]}]}}])"));
        const ReadResult r = ProtocolReader::readBytes(json, QStringLiteral("x.json"));
        QVERIFY(!r.diagnostics.hasErrors());
        const QString e0 = QStringLiteral("$.Group_args.events[0]");
        VERIFY_DIAG(
            hasWarning(r.diagnostics, e0 + ".colour",
                {QStringLiteral(
                    "unknown key 'colour' is ignored; known keys: label, event_type, ImageSequence_args")}),
            r.diagnostics);
        VERIFY_DIAG(hasWarning(r.diagnostics, e0 + ".ImageSequence_args.schema_version",
                        {QStringLiteral("schema_version 1")}),
            r.diagnostics);
        VERIFY_DIAG(hasWarning(r.diagnostics, e0 + ".ImageSequence_args.images[0].filename",
                        {QStringLiteral("ignored")}),
            r.diagnostics);
        QCOMPARE(r.diagnostics.all().size(), 3);
    }

    void nestingIsLimited()
    {
        QString events
            = QStringLiteral(R"([{"label": "w", "event_type": "Wait", "Wait_args": {"duration_ms": 5}}])");
        for (int i = 0; i < 40; ++i)
            events
                = QStringLiteral(R"([{"label": "g", "event_type": "Group", "Group_args": {"events": %1}}])")
                      .arg(events);
        const ReadResult r = ProtocolReader::readBytes(wrap(events));
        QVERIFY(r.protocol);
        QCOMPARE(r.diagnostics.errors().size(), 1);
        QString path = QStringLiteral("$");
        for (int i = 0; i < 33; ++i)
            path += QStringLiteral(".Group_args.events[0]");
        VERIFY_DIAG(hasError(r.diagnostics, path, {QStringLiteral("more than 32 deep")}), r.diagnostics);
        QCOMPARE(depthOf(r.protocol->steps), 32);
    }
};

QTEST_GUILESS_MAIN(TestLegacy454Importer)
#include "test_legacy_454_importer.moc"
