// Loads what a run is made of — protocol, camera settings, rig — and validates them together.
#include "app/cli/run_inputs.h"

#include "app/cli/cli_output.h"
#include "core/acquisition/rig_timing.h"
#include "core/calibration/calibration_profile.h"
#include "core/camera/rpicam_config_reader.h"
#include "core/common/bounded_file_reader.h"
#include "core/protocol/protocol_reader.h"
#include "core/protocol/protocol_validator.h"
#include "core/storage/run_folder.h"
#include "core/timing/exposure_model.h"
#include "hal/rig_factory.h"

#include <QFileInfo>
#include <QSet>

namespace scopesync::app {

using namespace core;

namespace {
// The rig reader's limit: a rig file is a page of JSON.
constexpr qint64 kMaxRigFileBytes = qint64(1) << 20;

// Image file names keep only the start of a long label (RunFolder::imageFileName): said before the run,
// so the names in the folder are no surprise.
void warnLongLabels(const std::vector<protocol::Step> &steps, Diagnostics &diagnostics)
{
    // "000012_" comes before the label; the LEDs after it are not counted, so shorter labels may be cut too.
    constexpr int kLongest = storage::RunFolder::kMaxImageFileStem - 7;
    for (const protocol::Step &step : steps) {
        if ((step.kind == protocol::StepKind::Image || step.kind == protocol::StepKind::Illuminate)
            && step.label.size() > kLongest)
            diagnostics.warning(jsonPathKey(step.sourcePath, QStringLiteral("label")),
                QStringLiteral(
                    "the label is %1 characters long; image file names keep its first %2 characters "
                    "and end in a hash of the whole (the manifest and the OME metadata keep it "
                    "whole); shorten it for readable file names")
                    .arg(step.label.size())
                    .arg(kLongest - 9));
        warnLongLabels(step.children, diagnostics);
    }
}
}  // namespace

bool RunInputs::hasErrors() const
{
    return protocolFile.diagnostics.hasErrors() || cameraFile.diagnostics.hasErrors()
        || rigFile.diagnostics.hasErrors() || !protocol || !rig;
}

void RunInputs::print() const
{
    printDiagnostics(protocolFile.path, protocolFile.diagnostics);
    printDiagnostics(cameraFile.path.isEmpty() ? QStringLiteral("camera settings") : cameraFile.path,
        cameraFile.diagnostics);
    printDiagnostics(rigFile.path.isEmpty() ? QStringLiteral("rig") : rigFile.path, rigFile.diagnostics);
}

RunInputs loadRunInputs(const InputRequest &request)
{
    RunInputs in;
    in.protocolFile.path = request.protocolPath;

    // Rig: a file, the simulated reference rig, or — with no --rig — whatever hardware is present.
    if (request.rig.isEmpty()) {
        const auto choice = hal::detectBackend();
        in.rig = acquisition::RigDescription::referenceSim();
        in.rig->backend = choice.backend;
        if (choice.backend != QLatin1String("sim"))
            in.rig->name = QStringLiteral("reference HQ rig");
        in.rigFile.diagnostics.warning(QStringLiteral("backend"),
            QStringLiteral("no --rig given: using the %1 backend (%2)")
                .arg(choice.backend == QLatin1String("sim") ? QStringLiteral("simulated") : choice.backend,
                    choice.reason));
    } else if (request.rig == QLatin1String("sim")) {
        in.rig = acquisition::RigDescription::referenceSim();
    } else {
        in.rigFile.path = request.rig;
        auto bytes = BoundedFileReader::read(request.rig, kMaxRigFileBytes, QStringLiteral("rig file"));
        if (!bytes.ok()) {
            in.rigFile.diagnostics.error(QStringLiteral("$"), bytes.error().message);
        } else {
            in.rigFile.bytes = *bytes;
            auto r = acquisition::RigReader::readBytes(in.rigFile.bytes);
            in.rigFile.diagnostics = r.diagnostics;
            in.rig = r.rig;
        }
    }

    // Camera settings.
    if (request.cameraConfigPath.isEmpty()) {
        in.settings = camera::CameraSettings::referenceRig();
    } else {
        in.cameraConfigGiven = true;
        in.cameraFile.path = request.cameraConfigPath;
        auto bytes = BoundedFileReader::read(
            request.cameraConfigPath, camera::kMaxRpicamConfigBytes, QStringLiteral("camera config"));
        if (!bytes.ok()) {
            in.cameraFile.diagnostics.error(request.cameraConfigPath, bytes.error().message);
        } else {
            in.cameraFile.bytes = *bytes;
            auto c = camera::readRpicamConfig(in.cameraFile.bytes);
            in.settings = c.settings;
            in.cameraFile.diagnostics = c.diagnostics;
        }
    }

    // Sensor and mode: an explicit override, else the rig's.
    const timing::SensorInfo *sensor = in.rig ? in.rig->sensorInfo() : nullptr;
    const timing::SensorMode *mode = in.rig ? in.rig->sensorMode() : nullptr;
    if (!request.sensorOverride.isEmpty()) {
        sensor = timing::SensorCatalog::find(request.sensorOverride);
        mode = nullptr;
        if (!sensor) {
            in.rigFile.diagnostics.error(QStringLiteral("--sensor"),
                QStringLiteral("unknown sensor '%1'; known sensors: %2")
                    .arg(request.sensorOverride, timing::SensorCatalog::ids().join(u',')));
        } else if (!request.modeOverride.isEmpty()) {
            const auto wh = timing::parseModeName(request.modeOverride);
            mode = wh ? sensor->findMode(wh->first, wh->second) : nullptr;
            if (!mode)
                in.rigFile.diagnostics.error(QStringLiteral("--mode"),
                    QStringLiteral("'%1' is not a mode of the %2; use one of %3")
                        .arg(request.modeOverride, sensor->id, sensor->modeNames().join(u',')));
        } else {
            mode = &sensor->modes.front();
        }
    }

    // Protocol.
    // Read once: the copy in the run folder's inputs/ is written from these bytes, so a protocol from a
    // pipe (<(…)) is kept as it was run.
    auto protocolBytes = BoundedFileReader::read(
        request.protocolPath, protocol::ProtocolReader::kMaxFileBytes, QStringLiteral("protocol"));
    if (!protocolBytes.ok()) {
        in.protocolFile.diagnostics.error(request.protocolPath, protocolBytes.error().message);
        return in;
    }
    in.protocolFile.bytes = *protocolBytes;
    auto p = protocol::ProtocolReader::readBytes(in.protocolFile.bytes, request.protocolPath);
    in.protocolFile.diagnostics = p.diagnostics;
    if (!p.protocol)
        return in;

    protocol::ValidationContext ctx
        = in.rig ? acquisition::rigValidationContext(*in.rig, in.settings) : protocol::ValidationContext {};
    // --sensor/--mode replace the rig's mode; the frame period follows the same rule.
    ctx.sensor = sensor;
    ctx.mode = mode;
    ctx.exposure = in.settings.shutter.value_or(std::chrono::microseconds(0));
    // The rig's filter-change and heating terms stay; only the camera's timing follows --sensor/--mode.
    ctx.planTiming.exposure = ctx.exposure;
    ctx.planTiming.minFramePeriod = mode
        ? std::chrono::duration_cast<std::chrono::microseconds>(
            acquisition::framePeriodFor(*mode, ctx.exposure, in.settings.framerateFps))
        : std::chrono::microseconds(0);
    in.planTiming = ctx.planTiming;
    in.protocolFile.diagnostics.append(protocol::validateProtocol(*p.protocol, ctx));
    warnLongLabels(p.protocol->steps, in.protocolFile.diagnostics);

    // A saved calibration sets the flash delay, with a warning when the settings moved since.
    if (in.rig) {
        const QString profilePath = calibration::CalibrationProfile::pathFor(request.rig);
        if (QFileInfo::exists(profilePath)) {
            auto profile = calibration::CalibrationProfile::load(profilePath);
            if (!profile.ok()) {
                in.rigFile.diagnostics.warning(profilePath,
                    QStringLiteral("calibration profile ignored: %1").arg(profile.error().toString()));
            } else {
                in.calibrationProfile = profilePath;
                in.rig->delay = std::chrono::microseconds(qint64(std::llround(profile->recommended.count())));
                in.rig->allRowsExposing = calibration::allRowsExposing(*profile, *in.rig, in.settings);
                std::chrono::microseconds longest {0};
                std::vector<const protocol::Step *> steps;
                for (const auto &s : p.protocol->steps)
                    steps.push_back(&s);
                while (!steps.empty()) {
                    const protocol::Step *s = steps.back();
                    steps.pop_back();
                    for (const auto &c : s->children)
                        steps.push_back(&c);
                    if (s->kind == protocol::StepKind::Image)
                        for (const auto &f : s->flashes)
                            longest = std::max(longest, f.duration);
                }
                if (longest.count() > 0)
                    in.rigFile.diagnostics.append(
                        calibration::compare(*profile, *in.rig, in.settings, timing::Micros(longest)));
            }
        }
    }

    // The rig's flash delay against each flash's window: outside it the image will be banded.
    if (in.rig && sensor && mode && ctx.exposure.count() > 0 && !in.protocolFile.diagnostics.hasErrors()) {
        const timing::ExposureModel model(sensor->shutter, *mode, timing::Micros(ctx.exposure));
        QSet<qint64> reported;
        std::vector<const protocol::Step *> stack;
        for (const auto &s : p.protocol->steps)
            stack.push_back(&s);
        while (!stack.empty()) {
            const protocol::Step *s = stack.back();
            stack.pop_back();
            for (const auto &c : s->children)
                stack.push_back(&c);
            if (s->kind != protocol::StepKind::Image)
                continue;
            for (const auto &f : s->flashes) {
                const auto w = model.validWindow(timing::Micros(f.duration));
                const double d = double(in.rig->delay.count());
                if (!w.feasible || (d >= w.start.count() - 1e-6 && d <= w.end.count() + 1e-6)
                    || reported.contains(f.duration.count()))
                    continue;
                reported.insert(f.duration.count());
                in.protocolFile.diagnostics.warning(f.sourcePath,
                    QStringLiteral("the rig's flash delay %1 ms is outside the valid window %2–%3 ms for "
                                   "this %4 ms flash: "
                                   "the image will be dark at one edge; run 'scopesync calibrate' or set "
                                   "delay_us in the "
                                   "rig file")
                        .arg(d / 1000.0, 0, 'f', 3)
                        .arg(w.start.count() / 1000.0, 0, 'f', 3)
                        .arg(w.end.count() / 1000.0, 0, 'f', 3)
                        .arg(double(f.duration.count()) / 1000.0));
            }
        }
    }
    in.protocol = std::move(p.protocol);
    return in;
}

}  // namespace scopesync::app
