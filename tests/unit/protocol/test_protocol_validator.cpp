// Unit tests for validateProtocol: one bad case per rule, with its path and the gist of its message.
#include "core/protocol/protocol_reader.h"
#include "core/protocol/protocol_validator.h"

#include <QElapsedTimer>
#include <QTest>

#include "protocol_test_support.h"

using namespace scopesync::core;
using namespace scopesync::core::protocol;
using namespace scopesync::tests;
using namespace std::chrono_literals;

namespace {

ValidationContext rig(double shutterMs = 250, const char *sensor = "imx477", int w = 4056, int h = 3040)
{
    ValidationContext c;
    c.leds = {QStringLiteral("red"), QStringLiteral("orange"), QStringLiteral("green"),
        QStringLiteral("blue"), QStringLiteral("uv")};
    c.sensor = timing::SensorCatalog::find(QString::fromUtf8(sensor));
    Q_ASSERT(c.sensor);
    c.mode = c.sensor->findMode(w, h);
    Q_ASSERT(c.mode);
    c.exposure = std::chrono::microseconds(qint64(shutterMs * 1000));
    c.planTiming.exposure = c.exposure;
    c.planTiming.minFramePeriod = std::chrono::microseconds(qint64(1e6 / c.mode->maxFps));
    return c;
}

// Reads native steps and validates them; all diagnostics of both passes.
Diagnostics check(const QByteArray &steps, const ValidationContext &context = rig())
{
    const ReadResult r = ProtocolReader::readBytes(
        R"({"format": "scopesync-protocol", "version": 1, "steps": )" + steps + "}",
        QStringLiteral("t.json"));
    Diagnostics all = r.diagnostics;
    if (r.protocol)
        all.append(validateProtocol(*r.protocol, context));
    return all;
}

Step image(const char *led, std::chrono::microseconds duration)
{
    Step s;
    s.kind = StepKind::Image;
    Flash f;
    f.led = QString::fromUtf8(led);
    f.duration = duration;
    s.flashes.push_back(f);
    return s;
}

}  // namespace

class TestProtocolValidator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rules_data()
    {
        QTest::addColumn<QByteArray>("steps");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("gist");
        auto row = [](const char *name, const char *steps, const char *path, QStringList gist) {
            QTest::newRow(name) << QByteArray(steps) << QString::fromUtf8(path) << gist;
        };
        row("flash zero", R"([{"type": "image", "flashes": [{"led": "red", "duration_ms": 0}]}])",
            "$.steps[0].flashes[0]", {"flash lasts 0 ms", "more than 0 ms"});
        row("flash negative", R"([{"type": "image", "flashes": [{"led": "red", "duration_ms": -5}]}])",
            "$.steps[0].flashes[0]", {"flash lasts -5 ms"});
        row("flash over an hour",
            R"([{"type": "group", "steps": [{"type": "image", "flashes": [{"led": "red", "duration_ms": 3600001}]}]}])",
            "$.steps[0].steps[0].flashes[0]", {"longer than the limit", "3600000 ms"});
        row("wait zero", R"([{"type": "wait", "duration_ms": 0}])", "$.steps[0]", {"wait lasts 0 ms"});
        row("wait over a week", R"([{"type": "wait", "duration_ms": 604800001}])", "$.steps[0]",
            {"wait lasts", "longer than the limit", "604800000 ms"});
        row("illuminate zero", R"([{"type": "illuminate", "flashes": [{"led": "uv"}], "duration_ms": 0}])",
            "$.steps[0]", {"illumination lasts 0 ms"});
        row("illuminate over an hour",
            R"([{"type": "illuminate", "flashes": [{"led": "uv"}], "duration_ms": 7200000}])", "$.steps[0]",
            {"illumination lasts 2 h", "longer than the limit"});
        row("illuminate without LEDs", R"([{"type": "illuminate", "flashes": [], "duration_ms": 5}])",
            "$.steps[0]", {"lights no LED"});
        row("capture period zero",
            R"([{"type": "illuminate", "flashes": [{"led": "uv"}], "duration_ms": 5000, "capture_period_ms": 0}])",
            "$.steps[0]", {"capture period is 0 ms", "leave capture_period_ms out"});
        row("iterations zero", R"([{"type": "group", "iterations": 0, "steps": []}])", "$.steps[0]",
            {"iterations is 0", "from 1 to 1000000"});
        row("iterations too many", R"([{"type": "group", "iterations": 1000001, "steps": []}])", "$.steps[0]",
            {"iterations is 1000001"});
        row("intensity above 1000",
            R"([{"type": "image", "flashes": [{"led": "red", "duration_ms": 5, "intensity_per_mille": 1001}]}])",
            "$.steps[0].flashes[0]", {"intensity_per_mille is 1001", "0 (off) to 1000"});
        row("intensity negative",
            R"([{"type": "image", "flashes": [{"led": "red", "duration_ms": 5, "intensity_per_mille": -1}]}])",
            "$.steps[0].flashes[0]", {"intensity_per_mille is -1"});
        row("temperature in celsius", R"([{"type": "set_temperature", "kelvin": 50}])", "$.steps[0]",
            {"50 K", "273–373 K", "if you meant 50 °C, write 323.15"});
        row("temperature too hot", R"([{"type": "set_temperature", "kelvin": 400}])", "$.steps[0]",
            {"400 K"});
        row("LED not on the rig", R"([{"type": "image", "flashes": [{"led": "violet", "duration_ms": 5}]}])",
            "$.steps[0].flashes[0]",
            {"LED 'violet' is not on this rig; the rig has: red, orange, green, blue, uv"});
        row("LED unnamed", R"([{"type": "image", "flashes": [{"led": "", "duration_ms": 5}]}])",
            "$.steps[0].flashes[0]", {"names no LED", "red, orange"});
        row("held LED not on the rig",
            R"([{"type": "illuminate", "flashes": [{"led": "ir"}], "duration_ms": 5}])",
            "$.steps[0].flashes[0]", {"LED 'ir' is not on this rig"});
        row("flash longer than the window",
            R"([{"type": "image", "flashes": [{"led": "green", "duration_ms": 170}]}])",
            "$.steps[0].flashes[0]",
            {"valid delay window is empty: shutter 250 ms < readout 86.8 ms + flash 170 ms",
                "use a shutter ≥ 256.9 ms or a flash ≤ 163.1 ms"});
    }

    void rules()
    {
        QFETCH(QByteArray, steps);
        QFETCH(QString, path);
        QFETCH(QStringList, gist);
        const Diagnostics d = check(steps);
        VERIFY_DIAG(hasError(d, path, gist), d);
        VERIFY_DIAG(d.errors().size() == 1, d);
    }

    void referenceWindowMessage()
    {
        // DOMAIN.md's reference rig with the shutter shortened to 200 ms and its 150 ms flash.
        const Diagnostics d
            = check(R"([{"type": "image", "flashes": [{"led": "green", "duration_ms": 150}]}])", rig(200));
        VERIFY_DIAG(hasError(d, QStringLiteral("$.steps[0].flashes[0]"),
                        {QStringLiteral("the green flash cannot light every row of imx477 4056x3040"),
                            QStringLiteral(
                                "the valid delay window is empty: shutter 200 ms < readout 86.8 ms + flash "
                                "150 ms; use a shutter ≥ 236.9 ms or a flash ≤ 113.1 ms")}),
            d);
    }

    void eachFlashOfAnImageMustFitByItself()
    {
        const Diagnostics d = check(R"([{"type": "image", "flashes": [{"led": "red", "duration_ms": 50},
            {"led": "blue", "duration_ms": 150}]}])",
            rig(200));
        QCOMPARE(d.errors().size(), 1);
        VERIFY_DIAG(hasError(d, QStringLiteral("$.steps[0].flashes[1]"), {QStringLiteral("blue flash")}), d);
    }

    void globalShutterWindow()
    {
        const Diagnostics d = check(R"([{"type": "image", "flashes": [{"led": "red", "duration_ms": 150}]}])",
            rig(100, "imx296", 1456, 1088));
        VERIFY_DIAG(hasError(d, QStringLiteral("$.steps[0].flashes[0]"),
                        {QStringLiteral(
                            "shutter 100 ms < flash 150 ms; use a shutter ≥ 150 ms or a flash ≤ 100 ms")}),
            d);
    }

    void windowNeedsSensorModeAndShutter()
    {
        ValidationContext noCamera = rig();
        noCamera.sensor = nullptr;
        QCOMPARE(check(R"([{"type": "image", "flashes": [{"led": "red", "duration_ms": 300}]}])", noCamera)
                     .errors()
                     .size(),
            0);
        ValidationContext noLeds;
        QCOMPARE(check(R"([{"type": "image", "flashes": [{"led": "violet", "duration_ms": 5}]}])", noLeds)
                     .errors()
                     .size(),
            0);
    }

    void capturePeriodWarnings()
    {
        const Diagnostics d = check(R"([
            {"type": "illuminate", "flashes": [{"led": "uv"}], "duration_ms": 1000, "capture_period_ms": 2000},
            {"type": "illuminate", "flashes": [{"led": "uv"}], "duration_ms": 1000, "capture_period_ms": 100},
            {"type": "illuminate", "flashes": [{"led": "uv"}], "duration_ms": 2000, "capture_period_ms": 500},
            {"type": "illuminate", "flashes": [{"led": "uv"}], "duration_ms": 4000, "capture_period_ms": 1000}])");
        VERIFY_DIAG(hasWarning(d, QStringLiteral("$.steps[0]"), {QStringLiteral("no frame is captured")}), d);
        // Ten captures 100 ms apart in a second of light, with 250 ms frames: the last ones would be dark.
        VERIFY_DIAG(
            hasWarning(d, QStringLiteral("$.steps[1]"), {QStringLiteral("shorter than one frame (250 ms)")}),
            d);
        VERIFY_DIAG(hasError(d, QStringLiteral("$.steps[1]"),
                        {QStringLiteral("10 captures every 100 ms do not fit")}),
            d);
        // Four in 2 s with 250 ms frames: the last, at 1500 ms, still has two frames of light after it.
        VERIFY_DIAG(!hasWarning(d, QStringLiteral("$.steps[2]"), {QStringLiteral("last capture")}), d);
        QCOMPARE(d.errors().size(), 1);
    }

    void frameCountIsLimited()
    {
        // 1000 × 10001 images: just over ten million frames, counted without unrolling.
        const Diagnostics over = check(R"([{"type": "group", "iterations": 1000, "steps": [
            {"type": "group", "iterations": 10001, "steps": [{"type": "image", "flashes": []}]}]}])");
        VERIFY_DIAG(hasError(over, QStringLiteral("$"),
                        {QStringLiteral("captures 10001000 frames"), QStringLiteral("at most 10000000")}),
            over);
        QCOMPARE(over.errors().size(), 1);
        const Diagnostics exact = check(R"([{"type": "group", "iterations": 1000, "steps": [
            {"type": "group", "iterations": 10000, "steps": [{"type": "image", "flashes": []}]}]}])");
        QCOMPARE(exact.errors().size(), 0);
        // Illumination captures count too: 10000 × (20 s / 1 ms) = 200 million.
        const Diagnostics lit = check(R"([{"type": "group", "iterations": 10000, "steps": [
            {"type": "illuminate", "flashes": [{"led": "uv"}], "duration_ms": 20000, "capture_period_ms": 1}]}])");
        VERIFY_DIAG(hasError(lit, QStringLiteral("$"), {QStringLiteral("captures 200000000 frames")}), lit);
    }

    // A fleet leader checks a protocol before any follower's rig is known: the limits hold, the rig's terms
    // (LED names, the rolling-shutter window, capture periods against a frame) wait for each follower.
    void beforeTheRigIsKnownOnlyTheLimitsAreChecked()
    {
        const ReadResult r = ProtocolReader::readBytes(R"({"format": "scopesync-protocol", "version": 1,
            "steps": [
            {"type": "image", "flashes": [{"led": "teal", "duration_ms": 3000}]},
            {"type": "illuminate", "flashes": [{"led": "uv"}], "duration_ms": 1000, "capture_period_ms": 100},
            {"type": "image", "flashes": [{"led": "red", "duration_ms": 10, "intensity_per_mille": 2000}]},
            {"type": "group", "iterations": 1000, "steps": [
                {"type": "group", "iterations": 10001, "steps": [{"type": "image", "flashes": []}]}]}]})",
            QStringLiteral("t.json"));
        QVERIFY(r.protocol);
        const Diagnostics d = validateProtocolForAnyRig(*r.protocol);
        VERIFY_DIAG(hasError(d, QStringLiteral("$"), {QStringLiteral("at most 10000000")}), d);
        VERIFY_DIAG(hasError(d, QStringLiteral("$.steps[2].flashes[0]"),
                        {QStringLiteral("intensity_per_mille is 2000")}),
            d);
        QCOMPARE(d.errors().size(), 2);
        QCOMPARE(d.warnings().size(), 0);
        // The same protocol on the reference rig: the rig's terms are checked too.
        const Diagnostics onRig
            = check(R"([{"type": "image", "flashes": [{"led": "teal", "duration_ms": 3000}]}])");
        QVERIFY(onRig.errors().size() >= 1);
    }

    void deepProtocolBuiltInCodeIsSafe()
    {
        Protocol p;
        Step leaf = image("red", 5000us);
        for (int i = 0; i < 5000; ++i) {
            Step g;
            g.kind = StepKind::Group;
            g.children.push_back(std::move(leaf));
            leaf = std::move(g);
        }
        p.steps.push_back(std::move(leaf));
        const Diagnostics d = validateProtocol(p, rig());
        QCOMPARE(d.errors().size(), 1);
        QString path = QStringLiteral("$.steps[0]");
        for (int i = 1; i < 33; ++i)
            path += QStringLiteral(".steps[0]");
        VERIFY_DIAG(hasError(d, path, {QStringLiteral("more than 32 deep")}), d);
        // Unwind without deep recursion in the destructor.
        std::vector<Step> chain;
        chain.push_back(std::move(p.steps[0]));
        while (!chain.back().children.empty()) {
            Step next = std::move(chain.back().children[0]);
            chain.back().children.clear();
            chain.push_back(std::move(next));
        }
    }

    void hugeProtocolIsLinearAndCapped()
    {
        Protocol p;
        for (int i = 0; i < 200'000; ++i)
            p.steps.push_back(image("violet", 5000us));
        QElapsedTimer timer;
        timer.start();
        const Diagnostics d = validateProtocol(p, rig());
        QVERIFY2(timer.elapsed() < 20'000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(d.all().size(), 1001);
        QVERIFY(d.all().last().message.contains(QStringLiteral("199000 more problems")));
    }

    void everyProblemOnce()
    {
        const Diagnostics d = check(R"([
            {"type": "set_temperature", "kelvin": 20},
            {"type": "group", "iterations": 0, "bogus": 1, "steps": [
                {"type": "image", "flashes": [{"led": "violet", "duration_ms": 0, "intensity_per_mille": 5000},
                                              {"led": 3, "duration_ms": 10}]},
                {"type": "wait", "duration_ms": "long"},
                {"type": "teleport"}
            ]},
            {"type": "illuminate", "flashes": [{"led": "uv"}], "duration_ms": -1}
        ])");
        const QList<std::pair<QString, QString>> expected {
            {QStringLiteral("$.steps[0]"), QStringLiteral("20 K")},
            {QStringLiteral("$.steps[1]"), QStringLiteral("iterations is 0")},
            {QStringLiteral("$.steps[1].steps[0].flashes[0]"), QStringLiteral("LED 'violet'")},
            {QStringLiteral("$.steps[1].steps[0].flashes[0]"), QStringLiteral("intensity_per_mille is 5000")},
            {QStringLiteral("$.steps[1].steps[0].flashes[0]"), QStringLiteral("flash lasts 0 ms")},
            {QStringLiteral("$.steps[1].steps[0].flashes[1].led"), QStringLiteral("expected a string")},
            {QStringLiteral("$.steps[1].steps[1].duration_ms"), QStringLiteral("expected a number")},
            {QStringLiteral("$.steps[1].steps[2].type"), QStringLiteral("unknown step type 'teleport'")},
            {QStringLiteral("$.steps[2]"), QStringLiteral("illumination lasts -1 ms")},
        };
        for (const auto &[path, gist] : expected)
            VERIFY_DIAG(hasError(d, path, {gist}), d);
        VERIFY_DIAG(d.errors().size() == expected.size(), d);
        VERIFY_DIAG(
            hasWarning(d, QStringLiteral("$.steps[1].bogus"), {QStringLiteral("unknown key 'bogus'")}), d);
        QCOMPARE(d.warnings().size(), 1);
    }

    void legacyProblemsUseTheLegacyPaths()
    {
        // The 454 instrument's onepot protocol set 50 "kelvin" (meant °C); its rig here has no UV LED.
        const QByteArray json
            = R"({"label": "W", "event_type": "Group", "Group_args": {"iterations": 1, "events": [
            {"label": "T", "event_type": "SetTemperature", "SetTemperature_args": {"temperature_kelvin": 50}},
            {"label": "C", "event_type": "ReactionCycle", "ReactionCycle_args": {"iterations": 2, "events": [],
             "cleaving": {"schema_version": 0, "cleaving_duration_ms": 2000, "capture_period_ms": 1000}}}]}})";
        const ReadResult r = ProtocolReader::readBytes(json, QStringLiteral("onepot.454sp.json"));
        QVERIFY(r.protocol);
        ValidationContext c = rig();
        c.leds.removeAll(QStringLiteral("uv"));
        const Diagnostics d = validateProtocol(*r.protocol, c);
        VERIFY_DIAG(hasError(d, QStringLiteral("$.Group_args.events[0]"), {QStringLiteral("50 °C")}), d);
        VERIFY_DIAG(hasError(d, QStringLiteral("$.Group_args.events[1].ReactionCycle_args.cleaving"),
                        {QStringLiteral("LED 'uv' is not on this rig")}),
            d);
        QCOMPARE(d.errors().size(), 2);
    }

    // A 454 file's steps are its root Group's events: an empty one is named there, not at the native
    // "$.steps" the file does not have.
    void anEmpty454ProtocolIsNamedAtItsEvents()
    {
        const QByteArray json
            = R"({"label": "W", "event_type": "Group", "Group_args": {"iterations": 1, "events": []}})";
        const ReadResult r = ProtocolReader::readBytes(json, QStringLiteral("empty.454sp.json"));
        QVERIFY(r.protocol);
        const Diagnostics d = validateProtocol(*r.protocol, rig());
        VERIFY_DIAG(hasWarning(d, QStringLiteral("$.Group_args.events"), {QStringLiteral("no steps")}), d);
        QCOMPARE(d.warnings().size(), 1);
    }

    void samplesAreClean_data()
    {
        QTest::addColumn<QString>("path");
        const QString res = QStringLiteral(SCOPESYNC_RESOURCES_DIR "/protocols/");
        const QString data = QStringLiteral(SCOPESYNC_TEST_DATA_DIR "/protocols/");
        QTest::newRow("sample") << res + "four_colour_two_cycles.json";
        QTest::newRow("sample 454") << res + "four_colour_two_cycles.454sp.json";
        QTest::newRow("demo") << res + "quick_demo.json";
        QTest::newRow("nested") << data + "nested_groups.454sp.json";
    }

    void samplesAreClean()
    {
        QFETCH(QString, path);
        const ReadResult r = ProtocolReader::readFile(path);
        QVERIFY(r.protocol);
        Diagnostics all = r.diagnostics;
        all.append(validateProtocol(*r.protocol, rig(250)));
        VERIFY_DIAG(all.isEmpty(), all);
    }

    void demoRunsInSeconds()
    {
        const ReadResult r
            = ProtocolReader::readFile(QStringLiteral(SCOPESYNC_RESOURCES_DIR "/protocols/quick_demo.json"));
        QVERIFY(r.protocol);
        const auto summary = timing::summarize(*r.protocol, rig(250).planTiming);
        QCOMPARE(summary.frames, qint64(7));
        QVERIFY2(summary.estimatedDuration.count() < 10.0,
            qPrintable(QString::number(summary.estimatedDuration.count())));
    }
};

QTEST_GUILESS_MAIN(TestProtocolValidator)
#include "test_protocol_validator.moc"
