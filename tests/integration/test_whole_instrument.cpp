// The whole simulated instrument end to end: a 454-format protocol with four filters, a set point of
// 58 °C and two reaction cycles on the reference rig's wheel, focus and heater (the plant sped up).
// Every image must be exposed through its own filter (recorded, and visible: a green flash through the
// red filter is dark), every image after the set point within ±0.5 K, and the trace kept.
#include "core/storage/manifest_reader.h"

#include <QFile>
#include <QTemporaryDir>

#include "run_test_support.h"

using namespace scopesync;
using namespace scopesync::testing;

namespace {

constexpr double kSetPointK = 331.15;

double meanAboveBlack(const core::Image16 &img)
{
    const RowBands b = rowBands(img);
    return (b.top + b.middle + b.bottom) / 3.0;
}

}  // namespace

class TestWholeInstrument : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void heatsAndImagesEachColourThroughItsFilter()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        RunResult r = runOnSimRig(dir.filePath(QStringLiteral("run")),
            {.protocol = QStringLiteral("integration/heat_four_filters.454sp.json"),
                .editRig = [](core::acquisition::RigDescription &rig) {
                    // Minutes of plant time in seconds; the reference rig heats at a real rig's rate.
                    rig.heater->simSpeedup = 100.0;
                    rig.heater->holdTime = std::chrono::seconds(10);
                    rig.modeWidth = 2028;  // the binned mode: a quarter of the pixels to render and save
                    rig.modeHeight = 1520;
                }});
        QVERIFY2(r.outcome.completed, qPrintable(r.outcome.stopReason));
        QCOMPARE(r.outcome.imagesSaved, 10);

        auto manifest = core::storage::ManifestReader::read(r.folder);
        QVERIFY(manifest.ok());
        manifest->entries = manifest->firstTakes();  // a retake under load is an extra
        QCOMPARE(int(manifest->entries.size()), 10);
        double lit = 1e9;
        for (const auto &e : manifest->entries) {
            // Exposed with the filter the protocol asked for in place, at the focus for that filter.
            QCOMPARE(e.filterInPlace, e.filter);
            QVERIFY(e.focusSteps.has_value());
            QVERIFY(e.temperatureKelvin.has_value());
            QVERIFY2(std::abs(*e.temperatureKelvin - kSetPointK) <= 0.5,
                qPrintable(QStringLiteral("%1 at %2 K").arg(e.file).arg(*e.temperatureKelvin)));
            const double mean = meanAboveBlack(readImage(r.folder + QLatin1Char('/') + e.file));
            qInfo("%s: filter %s, focus %d steps, %.2f °C, mean %.1f DN above black", qPrintable(e.file),
                qPrintable(e.filterInPlace), *e.focusSteps, *e.temperatureKelvin - 273.15, mean);
            if (e.label == QLatin1String("525 through red"))
                QVERIFY2(mean < 0.02 * lit, qPrintable(QStringLiteral("wrong filter lit: %1").arg(mean)));
            else
                lit = std::min(lit, mean);
        }
        QVERIFY2(
            lit > 50.0, qPrintable(QStringLiteral("an image through its own filter is dark: %1").arg(lit)));

        QFile trace(r.folder + QStringLiteral("/temperature.csv"));
        QVERIFY(trace.open(QIODevice::ReadOnly));
        QVERIFY(trace.readAll().count('\n') > 20);
    }
};

QTEST_GUILESS_MAIN(TestWholeInstrument)
#include "test_whole_instrument.moc"
