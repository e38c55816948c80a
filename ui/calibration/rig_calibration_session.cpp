// RigCalibrationSession: runs the wizard's calibration on the rig the controller owns, on its worker.
#include "ui/calibration/rig_calibration_session.h"

#include "core/analysis/uniformity_scorer.h"
#include "core/calibration/delay_search.h"
#include "core/calibration/delay_sweep.h"
#include "core/calibration/rig_delay_probe.h"
#include "ui/calibration/frame_thumbnail.h"
#include "ui/common/gui_handoff.h"
#include "ui/common/rig_controller.h"

namespace scopesync::ui {

namespace {

QVector<double> downsample(const std::vector<double> &v, int points)
{
    QVector<double> out;
    if (v.empty())
        return out;
    const std::size_t n = std::min<std::size_t>(std::size_t(points), v.size());
    out.reserve(qsizetype(n));
    for (std::size_t i = 0; i < n; ++i)
        out.append(v[i * v.size() / n]);
    return out;
}

}  // namespace

RigCalibrationSession::RigCalibrationSession(RigController &controller, QObject *parent)
    : CalibrationSession(parent), m_controller(controller)
{
}

void RigCalibrationSession::cancelCalibration()
{
    m_cancel = 1;
}

void RigCalibrationSession::startCalibration(const CalibrationChoice &choice)
{
    m_cancel = 0;
    const auto rig = m_controller.description();
    const auto settings = m_controller.settings();
    m_controller.withRig([this, choice, rig, settings](core::acquisition::Rig *open) {
        const auto finish = [this](const core::calibration::CalibrationResult &r, const QString &error) {
            queueOnThreadOf(this, [this, r, error] { Q_EMIT calibrationFinished(r, error); });
        };
        if (!open)
            return finish({}, tr("no rig is open"));
        auto request = core::calibration::RigDelayProbe::requestFor(rig, settings, true, choice.flash);
        if (!request.ok())
            return finish({}, request.error().toString());
        request->earliest = choice.earliest;
        request->margin = choice.margin;
        core::calibration::RigDelayProbe probe(*open, choice.led, choice.flash, &m_cancel);
        if (auto s = probe.start(); !s.ok())
            return finish({}, s.error().toString());
        const auto progress = [this, &request](const core::calibration::SearchProgress &p) {
            CalibrationStep step;
            step.frame = p.frame;
            step.delayMs = p.delay.count() / 1000.0;
            step.phase = p.phase;
            step.uniformity = p.score.uniformity;
            step.litFraction = p.score.litFraction;
            step.darkEdge = core::analysis::imageEdgeName(p.score.darkEdge);
            step.windowStartMs = p.windowStart.count() / 1000.0;
            step.windowEndMs = p.windowEnd.count() / 1000.0;
            step.startMeasured = p.startMeasured;
            step.endMeasured = p.endMeasured;
            if (p.image) {
                const auto profile
                    = core::analysis::RowProfile::measure(*p.image, request->vflip, request->blackLevel);
                step.rowProfile = downsample(profile.values(), 400);
                step.frameImage = frameThumbnail(*p.image, 480);
            }
            queueOnThreadOf(this, [this, step] { Q_EMIT calibrationStep(step); });
            return m_cancel.load() == 0;
        };
        core::Result<core::calibration::CalibrationResult> result = core::Error {};
        if (choice.sweep)
            result = core::calibration::DelaySweep(*request, *choice.sweep).run(probe.measureFn(), progress);
        else
            result = core::calibration::DelaySearch(*request).run(probe.measureFn(), progress);
        probe.stop();  // every LED off before the result is shown
        if (!result.ok())
            return finish({}, m_cancel ? tr("cancelled") : result.error().toString());
        if (const QString note = probe.retakeNote(); !note.isEmpty())
            result->notes << note;
        finish(result.value(), QString());
    });
}

}  // namespace scopesync::ui
