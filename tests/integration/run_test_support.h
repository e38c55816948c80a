// Shared helpers for the simulated-rig integration tests: run a protocol in-process, read images back.
#pragma once

#include "core/acquisition/protocol_run.h"
#include "core/acquisition/rig_description.h"
#include "core/camera/rpicam_config_reader.h"
#include "core/protocol/protocol_reader.h"
#include "core/storage/manifest_reader.h"
#include "core/storage/run_folder.h"
#include "core/storage/tiff_reader.h"
#include "hal/sim/sim_rig.h"

#include <QRegularExpression>
#include <QTest>

#include <functional>
#include <optional>

namespace scopesync::testing {

inline QString dataPath(const QString &name)
{
    return QStringLiteral(SCOPESYNC_TEST_DATA_DIR "/") + name;
}

struct RunSetup {
    QString protocol = {};  // file under tests/data
    QString rig = {};  // file under tests/data, or empty for the reference simulated rig
    QString cameraConfig = {};  // file under tests/data, or empty for the reference rig's settings
    std::function<void(core::acquisition::RigDescription &)> editRig = {};
    std::function<void(hal::sim::SimRig &, core::storage::RunFolder &)> beforeRun = {};
    std::function<void(hal::sim::SimRig &)> duringRun = {};  // called from the progress callback
    // Also called from the progress callback, with what the run reports.
    std::function<void(hal::sim::SimRig &, const core::acquisition::RunProgress &)> onProgress = {};
};

struct RunResult {
    core::acquisition::RunOutcome outcome;
    QString folder;
};

// Runs in-process on a simulated rig; QVERIFY-style failures abort the calling test.
inline RunResult runOnSimRig(const QString &outDir, const RunSetup &setup)
{
    RunResult result;
    auto p = core::protocol::ProtocolReader::readFile(dataPath(setup.protocol));
    if (!p.protocol || p.diagnostics.hasErrors()) {
        QTest::qFail(qPrintable(QStringLiteral("protocol did not load: %1")
                                    .arg(p.diagnostics.isEmpty() ? QString()
                                                                 : p.diagnostics.all().first().toString())),
            __FILE__, __LINE__);
        return result;
    }
    core::acquisition::RigDescription rig = core::acquisition::RigDescription::referenceSim();
    if (!setup.rig.isEmpty()) {
        auto r = core::acquisition::RigReader::readFile(dataPath(setup.rig));
        if (!r.rig) {
            QTest::qFail("rig did not load", __FILE__, __LINE__);
            return result;
        }
        rig = *r.rig;
    }
    if (setup.editRig)
        setup.editRig(rig);
    core::camera::CameraSettings settings = core::camera::CameraSettings::referenceRig();
    if (!setup.cameraConfig.isEmpty()) {
        auto c = core::camera::readRpicamConfigFile(dataPath(setup.cameraConfig));
        if (c.diagnostics.hasErrors()) {
            QTest::qFail("camera config did not load", __FILE__, __LINE__);
            return result;
        }
        settings = c.settings;
    }
    auto simRig = hal::sim::SimRig::create(rig, settings, !setup.cameraConfig.isEmpty());
    if (!simRig.ok()) {
        QTest::qFail(qPrintable(simRig.error().toString()), __FILE__, __LINE__);
        return result;
    }
    auto folder = core::storage::RunFolder::create(outDir);
    if (!folder.ok()) {
        QTest::qFail(qPrintable(folder.error().toString()), __FILE__, __LINE__);
        return result;
    }
    if (setup.beforeRun)
        setup.beforeRun(**simRig, **folder);
    core::acquisition::ProtocolRun run(**simRig, **folder, *p.protocol, settings);
    if (setup.duringRun || setup.onProgress)
        run.setProgressCallback([&](const core::acquisition::RunProgress &progress) {
            if (setup.duringRun)
                setup.duringRun(**simRig);
            if (setup.onProgress)
                setup.onProgress(**simRig, progress);
        });
    result.outcome = run.execute();
    result.folder = (*folder)->path();
    return result;
}

// Mean signal above the black level of the top, middle and bottom tenth of an image's rows.
struct RowBands {
    double top = 0;
    double middle = 0;
    double bottom = 0;
};

inline RowBands rowBands(const core::Image16 &img)
{
    const auto band = [&](int from, int to) {
        double sum = 0;
        for (int y = from; y < to; ++y)
            for (int x = 0; x < img.width; ++x)
                sum += double(img.at(x, y)) - 256.0;
        return sum / double(img.width) / double(to - from);
    };
    const int tenth = img.height / 10;
    return {band(0, tenth), band(img.height / 2 - tenth / 2, img.height / 2 + tenth / 2),
        band(img.height - tenth, img.height)};
}

// How long `led` was really on in an image, from the edges the strobe engine measured and the writer
// recorded ("led_edge.N": "<led> on_ns=… off_ns=…"); nullopt when the image records none.
inline std::optional<double> measuredFlashMs(const QString &path, const QString &led)
{
    auto t = core::storage::TiffReader::read(path);
    if (!t.ok())
        return std::nullopt;
    static const QRegularExpression edge(QStringLiteral("(\\w+) on_ns=(-?\\d+) off_ns=(-?\\d+)"));
    for (auto it = edge.globalMatch(QString::fromUtf8(t->description)); it.hasNext();) {
        const auto m = it.next();
        if (m.captured(1) == led)
            return double(m.captured(3).toLongLong() - m.captured(2).toLongLong()) / 1e6;
    }
    return std::nullopt;
}

inline core::Image16 readImage(const QString &path)
{
    auto t = core::storage::TiffReader::read(path);
    if (!t.ok()) {
        QTest::qFail(qPrintable(t.error().toString()), __FILE__, __LINE__);
        return {};
    }
    return std::move(t).value().image;
}

}  // namespace scopesync::testing
