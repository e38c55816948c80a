// InstrumentSetupSession: set-up measurements on the controller's worker, reported on the GUI thread.
#include "ui/calibration/instrument_setup_session.h"

#include "ui/calibration/frame_thumbnail.h"
#include "ui/common/gui_handoff.h"
#include "ui/common/rig_controller.h"

#include <QPointer>

namespace scopesync::ui {

namespace {
constexpr int kThumbnailSide = 480;
}

InstrumentSetupSession::InstrumentSetupSession(RigController &controller, QObject *parent)
    : QObject(parent), m_controller(controller)
{
}

void InstrumentSetupSession::cancel()
{
    m_cancel->store(true);
}

void InstrumentSetupSession::start(QObject *owner, std::function<QString(core::acquisition::Rig &rig)> work)
{
    m_busy = true;
    m_owner = owner;
    m_cancel->store(false);
    QPointer<InstrumentSetupSession> self(this);
    m_controller.withRig([self, work = std::move(work)](core::acquisition::Rig *rig) {
        const QString error = rig ? work(*rig) : tr("no rig is open");
        if (!self)
            return;
        queueOnThreadOf(self.data(), [self, error] {
            if (!self)
                return;
            QObject *finished = self->m_owner;
            self->m_busy = false;
            if (!error.isEmpty())
                Q_EMIT self->failed(error);
            Q_EMIT self->idle();
            // Unless a handler of idle() asked for the next request already.
            if (self && !self->m_busy && self->m_owner == finished)
                self->m_owner = nullptr;
        });
    });
}

void InstrumentSetupSession::measure(QObject *owner, const SetupTarget &target, int at)
{
    QPointer<InstrumentSetupSession> self(this);
    start(owner, [self, target, at](core::acquisition::Rig &rig) -> QString {
        core::acquisition::RigSetupProbe probe(
            rig, target.axis, target.filter, target.led, target.intensityPerMille);
        if (auto st = probe.prepare(); !st.ok())
            return st.error().toString();
        auto sample = probe.measure(at);
        if (!sample.ok())
            return sample.error().toString();
        const QImage frame = frameThumbnail(sample->image, kThumbnailSide);
        const double score = sample->score;
        if (self)
            queueOnThreadOf(self.data(), [self, at, score, frame] {
                if (self)
                    Q_EMIT self->sampleMeasured(at, score, frame);
            });
        return {};
    });
}

void InstrumentSetupSession::scan(
    QObject *owner, const SetupTarget &target, const core::analysis::FocusSweepSettings &settings)
{
    QPointer<InstrumentSetupSession> self(this);
    auto cancel = m_cancel;
    start(owner, [self, cancel, target, settings](core::acquisition::Rig &rig) -> QString {
        core::acquisition::RigSetupProbe probe(
            rig, target.axis, target.filter, target.led, target.intensityPerMille);
        if (auto st = probe.prepare(); !st.ok())
            return st.error().toString();
        core::acquisition::SetupSample last;
        const auto measure = probe.measureFn(&last);
        const auto progress = [&](int done, int total, const core::analysis::FocusSample &s) {
            const QImage frame = frameThumbnail(last.image, kThumbnailSide);
            if (self)
                queueOnThreadOf(self.data(), [self, done, total, s, frame] {
                    if (!self)
                        return;
                    Q_EMIT self->sampleMeasured(s.steps, s.score, frame);
                    Q_EMIT self->scanProgress(done, total);
                });
        };
        const auto result = core::analysis::FocusSweep(settings).run(
            measure, progress, [cancel] { return cancel->load(); });
        if (!result.ok())
            return result.error().toString();
        const auto r = *result;
        if (self)
            queueOnThreadOf(self.data(), [self, r] {
                if (self)
                    Q_EMIT self->scanFinished(r);
            });
        return {};
    });
}

void InstrumentSetupSession::runStepTest(QObject *owner, const core::instrument::StepTestSettings &settings)
{
    QPointer<InstrumentSetupSession> self(this);
    auto cancel = m_cancel;
    start(owner, [self, cancel, settings](core::acquisition::Rig &rig) -> QString {
        const auto &desc = rig.description();
        if (!desc.heater || !rig.heater() || !rig.thermometer())
            return tr("the rig has no heater with a thermometer");
        const auto response = core::instrument::HeaterAutoTune::runStepTest(
            *rig.thermometer(), *rig.heater(), *desc.heater, settings,
            [cancel]() -> QString { return cancel->load() ? tr("cancelled") : QString(); },
            [self](const core::instrument::StepPoint &p, double fraction) {
                if (self)
                    queueOnThreadOf(self.data(), [self, p, fraction] {
                        if (self)
                            Q_EMIT self->heaterPoint(p.seconds, p.kelvin, fraction);
                    });
            });
        if (!response.ok())
            return response.error().toString();
        const auto r = *response;
        if (self)
            queueOnThreadOf(self.data(), [self, r] {
                if (self)
                    Q_EMIT self->stepTestFinished(r);
            });
        return {};
    });
}

}  // namespace scopesync::ui
