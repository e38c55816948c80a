// Protocol runs against the whole instrument: filter and focus moved before each image, a set point held
// by the heater regulator on the thermal plant, the device state in every record, the temperature trace,
// refusal of steps the rig has no device for, and a sensor failure mid-run (images kept, heater off).
#include "core/acquisition/rig_timing.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include "device_rig.h"
#include "run_test_support.h"
#include "support/sanitizers.h"

using namespace scopesync;
using namespace std::chrono_literals;
using core::acquisition::ProtocolRun;
using core::acquisition::RigDescription;
using core::acquisition::RunOutcome;
using core::acquisition::RunProgress;
using testing::DeviceRig;

namespace {

constexpr double kZeroC = 273.15;

core::instrument::FilterWheelDescription testWheel()
{
    core::instrument::FilterWheelDescription w;
    w.kind = QStringLiteral("sim");
    w.order = {QStringLiteral("no_filter"), QStringLiteral("red"), QStringLiteral("orange"),
        QStringLiteral("green"), QStringLiteral("blue")};
    return w;
}

core::instrument::FocusDescription testFocus()
{
    core::instrument::FocusDescription f;
    f.kind = QStringLiteral("sim");
    f.perFilter = {{QStringLiteral("red"), 0}, {QStringLiteral("orange"), -850},
        {QStringLiteral("green"), -1525}, {QStringLiteral("blue"), -1860}};
    f.offsetSteps = 100;
    return f;
}

core::instrument::HeaterDescription testHeater()
{
    core::instrument::HeaterDescription h;
    h.kind = QStringLiteral("sim");
    h.simAmbientKelvin = kZeroC + 22.0;
    h.simSpeedup = 200.0;  // minutes of plant time in a second
    h.iPerMillePerKelvinSecond = 10.0;
    return h;
}

// A protocol as native JSON: `steps` is the JSON of the steps array.
core::protocol::Protocol protocolFrom(const QByteArray &steps)
{
    const QByteArray json
        = R"({"format": "scopesync-protocol", "version": 1, "name": "instrument test", "steps": )" + steps
        + "}";
    auto r = core::protocol::ProtocolReader::readBytes(json, QStringLiteral("instrument_test.json"));
    if (!r.protocol || r.diagnostics.hasErrors())
        qFatal("test protocol did not load: %s",
            qPrintable(r.diagnostics.isEmpty() ? QString() : r.diagnostics.all().first().toString()));
    return *r.protocol;
}

QByteArray image(const char *label, const char *led, const char *filter)
{
    return QByteArray(R"({"type": "image", "label": ")") + label + R"(", "filter": ")" + filter
        + R"(", "flashes": [{"led": ")" + led + R"(", "duration_ms": 20}]})";
}

struct InstrumentRun {
    RunOutcome outcome;
    QString folder;
    QStringList activities;
};

// Runs `protocol` on the simulated camera and LEDs with the devices `editRig` adds.
InstrumentRun runWithDevices(const QString &outDir, const core::protocol::Protocol &protocol,
    const std::function<void(RigDescription &)> &editRig, bool ignoreMissing = false,
    const std::function<void(DeviceRig &, const core::acquisition::SavedImage &)> &onImage = {},
    DeviceRig **rigOut = nullptr, std::function<void(DeviceRig &)> atEnd = {})
{
    InstrumentRun result;
    RigDescription desc = RigDescription::referenceSim();
    // The test devices stand in for the reference rig's own: each test adds the ones it needs.
    desc.filterWheel.reset();
    desc.focus.reset();
    desc.heater.reset();
    const auto settings = core::camera::CameraSettings::referenceRig();
    auto sim = hal::sim::SimRig::create(desc, settings, true);
    if (!sim.ok())
        qFatal("%s", qPrintable(sim.error().toString()));
    if (editRig)
        editRig(desc);
    DeviceRig rig(**sim, desc);
    if (rigOut)
        *rigOut = &rig;
    auto folder = core::storage::RunFolder::create(outDir);
    if (!folder.ok())
        qFatal("%s", qPrintable(folder.error().toString()));
    ProtocolRun run(rig, **folder, protocol, settings);
    run.setIgnoreMissingDevices(ignoreMissing);
    run.setProgressCallback([&](const RunProgress &p) {
        if (result.activities.isEmpty() || result.activities.last() != p.activity)
            result.activities << p.activity;
    });
    run.setImageCallback([&](const core::acquisition::SavedImage &s) {
        if (onImage)
            onImage(rig, s);
    });
    result.outcome = run.execute();
    result.folder = (*folder)->path();
    if (atEnd)
        atEnd(rig);
    return result;
}

QJsonObject summaryOf(const QString &folder)
{
    QFile f(QDir(folder).filePath(QStringLiteral("summary.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

}  // namespace

class TestInstrumentRun : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SCOPESYNC_SKIP_UNDER_TSAN_WHEN_REAL_TIME(); }
    void everyImageRecordsFilterFocusAndTemperature()
    {
        QTemporaryDir tmp;
        const auto protocol = protocolFrom("["
                                           R"({"type": "set_temperature", "label": "hot", "kelvin": 323.15},)"
            + image("645", "red", "red") + "," + image("525", "green", "green") + ","
            + image("any", "blue", "any_filter") + "," + image("590", "orange", "orange") + "]");
        double heaterDutyAtEnd = -1;
        int wheelMoves = -1;
        const auto r = runWithDevices(
            tmp.filePath(QStringLiteral("run")), protocol,
            [](RigDescription &d) {
                d.filterWheel = testWheel();
                d.focus = testFocus();
                d.heater = testHeater();
            },
            false, {}, nullptr,
            [&](DeviceRig &rig) {
                heaterDutyAtEnd = rig.plant->duty();
                wheelMoves = rig.wheel->moves();
            });
        QVERIFY2(r.outcome.completed, qPrintable(r.outcome.stopReason));
        QCOMPARE(r.outcome.imagesSaved, 4);
        QCOMPARE(heaterDutyAtEnd, 0.0);
        QVERIFY(r.outcome.heaterOffAtEnd);
        QCOMPARE(wheelMoves, 3);  // red, green, orange; any_filter leaves green in place
        QCOMPARE(r.outcome.filterMoves, 3);

        auto m = core::storage::ManifestReader::read(r.folder);
        QVERIFY(m.ok());
        m->entries = m->firstTakes();  // a retake under load is an extra
        QCOMPARE(m->entries.size(), 4);
        const QStringList inPlace {QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("green"),
            QStringLiteral("orange")};
        const auto focus = testFocus();
        for (int i = 0; i < 4; ++i) {
            const auto &e = m->entries[i];
            QCOMPARE(e.filterInPlace, inPlace[i]);
            QVERIFY(e.focusSteps);
            QCOMPARE(*e.focusSteps, focus.targetFor(inPlace[i]));
            QVERIFY(e.temperatureKelvin && e.setPointKelvin);
            QCOMPARE(*e.setPointKelvin, 323.15);
            QVERIFY2(std::abs(*e.temperatureKelvin - 323.15) <= 0.5,
                qPrintable(QStringLiteral("image %1 at %2 K").arg(i).arg(*e.temperatureKelvin)));
        }
        // The OME metadata says the same.
        const auto tiff = core::storage::TiffReader::read(QDir(r.folder).filePath(m->entries[1].file));
        QVERIFY(tiff.ok());
        const QString ome = QString::fromUtf8(tiff->description);
        QVERIFY2(
            ome.contains(QStringLiteral("<M K=\"filter_in_place\">green</M>")), qPrintable(ome.left(4000)));
        QVERIFY(ome.contains(
            QStringLiteral("<M K=\"focus_steps\">%1</M>").arg(focus.targetFor(QStringLiteral("green")))));
        QVERIFY(ome.contains(QStringLiteral("<M K=\"set_point_k\">323.15</M>")));
        QVERIFY(ome.contains(QStringLiteral("<M K=\"temperature_k\">")));

        // The progress showed the moves and the heating.
        QVERIFY2(r.activities.contains(QStringLiteral("filter red")), qPrintable(r.activities.join(u'|')));
        QVERIFY(r.activities.contains(QStringLiteral("focus")));
        bool heating = false;
        for (const auto &a : r.activities)
            heating = heating
                || (a.startsWith(QStringLiteral("heating ")) && a.endsWith(QStringLiteral("→ 50.0 °C")));
        QVERIFY2(heating, qPrintable(r.activities.join(u'|')));

        // The temperature trace is in the run folder and listed in the summary.
        QFile trace(QDir(r.folder).filePath(QStringLiteral("temperature.csv")));
        QVERIFY(trace.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = trace.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray(core::storage::TemperatureTrace::kHeader));
        QVERIFY2(lines.size() > 20, qPrintable(QString::number(lines.size())));
        const QList<QByteArray> row = lines[5].split(',');
        QCOMPARE(row.size(), 6);
        QVERIFY(row[2].toDouble() > 290.0);
        QCOMPARE(row[4], QByteArray("323.150"));
        const auto summary = summaryOf(r.folder);
        QCOMPARE(
            summary.value(QStringLiteral("temperature_trace")).toString(), QStringLiteral("temperature.csv"));
        QCOMPARE(summary.value(QStringLiteral("heater_off_at_end")).toBool(), true);
    }

    void setTemperatureWithoutHeaterIsRefused()
    {
        QTemporaryDir tmp;
        const auto protocol = protocolFrom("[" + image("645", "red", "any_filter")
            + R"(, {"type": "set_temperature", "label": "hot", "kelvin": 331.15}])");
        const auto r = runWithDevices(tmp.filePath(QStringLiteral("a")), protocol, {});
        QVERIFY(!r.outcome.completed);
        QCOMPARE(r.outcome.imagesSaved, 0);
        QVERIFY2(r.outcome.stopReason.startsWith(QStringLiteral("$.steps[1]: this rig has no heater")),
            qPrintable(r.outcome.stopReason));
        QVERIFY(r.outcome.stopReason.contains(QStringLiteral("58.0 °C")));

        // Told to ignore it: the run goes on and says what it did not apply.
        const auto ignored = runWithDevices(tmp.filePath(QStringLiteral("b")), protocol, {}, true);
        QVERIFY2(ignored.outcome.completed, qPrintable(ignored.outcome.stopReason));
        QCOMPARE(ignored.outcome.imagesSaved, 1);
        QVERIFY2(
            ignored.outcome.notes.join(u'\n').contains(QStringLiteral("331.15 K was recorded, not applied")),
            qPrintable(ignored.outcome.notes.join(u'\n')));
    }

    void filterWithoutWheelIsRefused()
    {
        QTemporaryDir tmp;
        const auto protocol = protocolFrom(
            "[" + image("645", "red", "no_filter") + "," + image("525", "green", "green") + "]");
        const auto r = runWithDevices(tmp.filePath(QStringLiteral("a")), protocol, {});
        QVERIFY(!r.outcome.completed);
        QVERIFY2(r.outcome.stopReason.startsWith(QStringLiteral("$.steps[1].filter:")),
            qPrintable(r.outcome.stopReason));
        const auto ignored = runWithDevices(tmp.filePath(QStringLiteral("b")), protocol, {}, true);
        QVERIFY2(ignored.outcome.completed, qPrintable(ignored.outcome.stopReason));
        QVERIFY(ignored.outcome.notes.join(u'\n').contains(
            QStringLiteral("\"green\" was recorded, not put in place")));

        // A filter the wheel does not hold is refused even when missing devices are ignored.
        const auto unknown = runWithDevices(
            tmp.filePath(QStringLiteral("c")), protocolFrom("[" + image("x", "red", "violet") + "]"),
            [](RigDescription &d) { d.filterWheel = testWheel(); }, true);
        QVERIFY(!unknown.outcome.completed);
        QVERIFY2(unknown.outcome.stopReason.contains(QStringLiteral("\"violet\" is not on this rig's wheel")),
            qPrintable(unknown.outcome.stopReason));
    }

    void sensorFailureMidRunStopsWithImagesKeptAndHeaterOff()
    {
        QTemporaryDir tmp;
        QByteArray steps = "["
                           R"({"type": "set_temperature", "label": "hot", "kelvin": 323.15})";
        for (int i = 0; i < 6; ++i)
            steps += "," + image("645", "red", "any_filter")
                + R"(, {"type": "wait", "label": "w", "duration_ms": 300})";
        steps += "]";
        double dutyAtEnd = -1;
        const auto r = runWithDevices(
            tmp.filePath(QStringLiteral("run")), protocolFrom(steps),
            [](RigDescription &d) { d.heater = testHeater(); }, false,
            [](DeviceRig &rig, const core::acquisition::SavedImage &s) {
                if (s.frameIndex == 1)
                    rig.plant->setSensorFailing(true);  // the sensor's wire comes off after the second image
            },
            nullptr, [&](DeviceRig &rig) { dutyAtEnd = rig.plant->duty(); });
        QVERIFY(!r.outcome.completed);
        QVERIFY2(r.outcome.stopReason.contains(QStringLiteral("heater: the heater's sensor failed")),
            qPrintable(r.outcome.stopReason));
        QVERIFY2(r.outcome.imagesSaved >= 2 && r.outcome.imagesSaved < 6,
            qPrintable(QString::number(r.outcome.imagesSaved)));
        QCOMPARE(dutyAtEnd, 0.0);
        QVERIFY(r.outcome.heaterOffAtEnd);
        const auto m = core::storage::ManifestReader::read(r.folder);
        QVERIFY(m.ok());
        QCOMPARE(m->firstTakes().size(), r.outcome.imagesSaved);
        const auto summary = summaryOf(r.folder);
        QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("stopped"));
        QVERIFY(summary.value(QStringLiteral("heater"))
                    .toObject()
                    .value(QStringLiteral("fault"))
                    .toString()
                    .contains(QStringLiteral("no answer")));
    }

    void planEstimateIncludesFilterMovesAndHeating()
    {
        const auto protocol
            = protocolFrom("["
                           R"({"type": "set_temperature", "label": "hot", "kelvin": 331.15},)"
                           R"({"type": "group", "label": "cycle", "iterations": 2, "steps": [)"
                + image("645", "red", "red") + "," + image("525", "green", "green") + ","
                + image("any", "blue", "any_filter") + "]}]");
        RigDescription desc = RigDescription::referenceSim();
        desc.filterWheel.reset();  // a rig without devices first
        desc.focus.reset();
        desc.heater.reset();
        core::camera::CameraSettings settings = core::camera::CameraSettings::referenceRig();
        const auto bare = core::timing::summarize(protocol, core::acquisition::rigPlanTiming(desc, settings));
        QVERIFY(bare.temperatureSteps);  // "heating time not estimated"
        QVERIFY(!bare.heatingEstimated);
        QCOMPARE(bare.filterMoveTime.count(), 0.0);

        desc.filterWheel = testWheel();
        desc.heater = core::instrument::HeaterDescription {};
        desc.heater->kind = QStringLiteral("sim");
        const auto timing = core::acquisition::rigPlanTiming(desc, settings);
        const auto full = core::timing::summarize(protocol, timing);
        // red, green, red, green: the first move, one inside the cycle, one back and one more inside.
        QCOMPARE(full.filterMoves, 4);
        QCOMPARE(full.filterMoveTime.count(), 4 * std::chrono::duration<double>(timing.filterMove).count());
        QVERIFY(full.heatingEstimated);
        QVERIFY(!full.temperatureSteps);
        // 36 K at the plant's 20 W / 60 J/K, plus the 10 s hold.
        QCOMPARE(qRound(full.heatingTime.count()), qRound(36.0 / (20.0 / 60.0) + 10.0));
        QCOMPARE(qRound((full.estimatedDuration - bare.estimatedDuration).count() * 1000),
            qRound((full.heatingTime + full.filterMoveTime).count() * 1000));
        qInfo("plan: %lld images, %lld filter moves (%.1f s), heating %.0f s, about %.0f s in all",
            qint64(full.frames), qint64(full.filterMoves), full.filterMoveTime.count(),
            full.heatingTime.count(), full.estimatedDuration.count());
    }
};

QTEST_GUILESS_MAIN(TestInstrumentRun)
#include "test_instrument_run.moc"
