// validateProtocol: checks a protocol against the limits and against the rig and camera it will run on.
#include "core/protocol/protocol_validator.h"

#include "core/common/diagnostic_sink.h"
#include "core/protocol/protocol_limits.h"
#include "core/timing/exposure_model.h"

#include <QHash>

#include <cmath>

namespace scopesync::core::protocol {

namespace {

using timing::Micros;

// Milliseconds to 0.1 ms, without a trailing ".0": "200 ms", "86.8 ms".
QString msText(double tenthsOfMs)
{
    QString text = QString::number(tenthsOfMs / 10.0, 'f', 1);
    if (text.endsWith(QStringLiteral(".0")))
        text.chop(2);
    return text + QStringLiteral(" ms");
}

QString ms1(double us)
{
    return msText(std::round(us / 100.0));
}

// Rounded in the safe direction: a shutter up, a flash down.
QString msUp(double us)
{
    return msText(std::ceil(us / 100.0 - 1e-9));
}

QString msDown(double us)
{
    return msText(std::floor(us / 100.0 + 1e-9));
}

class Validator {
public:
    Validator(const ValidationContext &context, DiagnosticSink &sink) : m_context(context), m_sink(sink)
    {
        if (context.sensor && context.mode && context.exposure.count() > 0)
            m_model.emplace(
                context.sensor->shutter, *context.mode, Micros(context.exposure), Micros(context.offset));
    }

    void run(const Protocol &protocol)
    {
        if (protocol.steps.empty())
            m_sink.warning(protocol.stepsPath.isEmpty() ? QStringLiteral("$.steps") : protocol.stepsPath,
                QStringLiteral("the protocol has no steps; add at least one"));

        struct Pending {
            const std::vector<Step> *steps;
            QString path;  // native path of the list, for steps without a sourcePath
            int depth;  // groups enclosing these steps
        };
        // Explicit stack: a protocol built in code can be nested arbitrarily deep.
        std::vector<Pending> stack {{&protocol.steps, QStringLiteral("$.steps"), 0}};
        while (!stack.empty()) {
            const Pending p = std::move(stack.back());
            stack.pop_back();
            for (std::size_t i = 0; i < p.steps->size(); ++i) {
                const Step &step = (*p.steps)[i];
                const QString path
                    = step.sourcePath.isEmpty() ? jsonPathIndex(p.path, qsizetype(i)) : step.sourcePath;
                checkStep(step, path);
                if (step.kind != StepKind::Group)
                    continue;
                if (p.depth + 1 > ProtocolLimits::kMaxNestingDepth) {
                    m_tooDeep = true;
                    m_sink.error(path,
                        QStringLiteral(
                            "groups are nested more than %1 deep here; flatten the protocol (move steps "
                            "out of inner groups or merge groups)")
                            .arg(ProtocolLimits::kMaxNestingDepth));
                    continue;
                }
                if (step.children.empty())
                    m_sink.warning(path, QStringLiteral("the group has no steps; add some or remove it"));
                stack.push_back({&step.children, jsonPathKey(path, QStringLiteral("steps")), p.depth + 1});
            }
        }
        checkFrameCount(protocol);
    }

private:
    void checkStep(const Step &step, const QString &path)
    {
        switch (step.kind) {
        case StepKind::Group:
            if (!ProtocolLimits::checkIterations(step.iterations, path, m_sink))
                m_countable = false;
            break;
        case StepKind::Image: checkFlashes(step, path, true); break;
        case StepKind::Wait: ProtocolLimits::checkWaitMs(double(step.duration.count()), path, m_sink); break;
        case StepKind::SetTemperature:
            ProtocolLimits::checkKelvin(step.temperatureKelvin, path, m_sink);
            break;
        case StepKind::Illuminate:
            ProtocolLimits::checkIlluminateMs(double(step.duration.count()), path, m_sink);
            if (step.flashes.empty())
                m_sink.error(path,
                    QStringLiteral("the illumination lights no LED; add a flash naming the LED to hold on"));
            if (step.capturePeriod)
                checkCapturePeriod(step, path);
            checkFlashes(step, path, false);
            break;
        }
    }

    void checkCapturePeriod(const Step &step, const QString &path)
    {
        const double periodMs = double(step.capturePeriod->count());
        if (!ProtocolLimits::checkCapturePeriodMs(periodMs, path, m_sink)) {
            m_countable = false;
            return;
        }
        if (step.duration.count() > 0 && *step.capturePeriod > step.duration)
            m_sink.warning(path,
                QStringLiteral(
                    "the capture period (%1 ms) is longer than the illumination (%2 ms): no frame is "
                    "captured; shorten the period or leave it out")
                    .arg(step.capturePeriod->count())
                    .arg(step.duration.count()));
        // Capture k is the first frame at or after k periods into the light, but no later than two frame
        // periods before the light goes off, so that its frame is exposed while the light is on (frames
        // come every frame period, so each such interval holds one).
        const auto framePeriod = m_context.planTiming.framePeriod();
        const auto period = std::chrono::microseconds(*step.capturePeriod);
        const auto duration = std::chrono::microseconds(step.duration);
        if (period.count() <= 0 || period > duration)
            return;
        if (period < framePeriod)
            m_sink.warning(path,
                QStringLiteral(
                    "the capture period (%1 ms) is shorter than one frame (%2); frames will come every "
                    "%2 at best: use a period of at least that")
                    .arg(step.capturePeriod->count())
                    .arg(ms1(double(framePeriod.count()))));
        const qint64 captures = duration / period;
        const auto latest = duration - 2 * framePeriod;
        const auto last = (captures - 1) * period;
        if (latest.count() < 0 || (captures > 1 && latest - (captures - 2) * period < framePeriod))
            m_sink.error(path,
                QStringLiteral("%1 captures every %2 ms do not fit in %3 ms of light with frames every %4: "
                               "the last would be exposed after the light goes off; lengthen the "
                               "illumination or lengthen the capture period")
                    .arg(captures)
                    .arg(step.capturePeriod->count())
                    .arg(step.duration.count())
                    .arg(ms1(double(framePeriod.count()))));
        else if (last > latest)
            m_sink.warning(path,
                QStringLiteral("the last capture is taken at %1 instead of %2, so that its frame is exposed "
                               "before the light goes off")
                    .arg(ms1(double(latest.count())), ms1(double(last.count()))));
    }

    void checkFlashes(const Step &step, const QString &stepPath, bool strobed)
    {
        for (std::size_t j = 0; j < step.flashes.size(); ++j) {
            const Flash &flash = step.flashes[j];
            const QString path = flash.sourcePath.isEmpty()
                ? jsonPathIndex(jsonPathKey(stepPath, QStringLiteral("flashes")), qsizetype(j))
                : flash.sourcePath;
            checkLed(flash, path);
            ProtocolLimits::checkIntensity(flash.intensityPerMille, path, m_sink);
            // A held LED's own duration only matters if it differs from the step's (checked above).
            const bool durationOk = (!strobed && flash.duration == step.duration)
                || ProtocolLimits::checkFlashMs(double(flash.duration.count()) / 1000.0, path, m_sink);
            // Flashes of one image start together, so each must fit the window by itself.
            if (strobed && durationOk) {
                checkWindow(flash, path);
                checkSafetyLimit(flash, path);
            }
        }
    }

    void checkSafetyLimit(const Flash &flash, const QString &path)
    {
        const auto it = m_context.flashMaxOn.constFind(flash.led);
        if (it == m_context.flashMaxOn.constEnd() || flash.duration <= *it)
            return;
        m_sink.warning(path,
            QStringLiteral("the %1 flash on %2 is longer than the rig's safety limit for it (led_max_on_ms "
                           "%3): the strobe cuts it to %3 ms and every such image is flagged as a dose error "
                           "and retaken; shorten the flash or raise the limit in the rig file")
                .arg(ms1(double(flash.duration.count())), flash.led)
                .arg(it->count()));
    }

    void checkLed(const Flash &flash, const QString &path)
    {
        if (m_context.leds.isEmpty() && !flash.led.isEmpty())
            return;
        if (m_context.leds.contains(flash.led))
            return;
        const QString known = m_context.leds.isEmpty()
            ? QStringLiteral("name the LED, e.g. red")
            : QStringLiteral("the rig has: %1").arg(m_context.leds.join(QStringLiteral(", ")));
        if (flash.led.isEmpty())
            m_sink.error(path, QStringLiteral("the flash names no LED; %1").arg(known));
        else
            m_sink.error(path, QStringLiteral("LED '%1' is not on this rig; %2").arg(flash.led, known));
    }

    void checkWindow(const Flash &flash, const QString &path)
    {
        if (!m_model)
            return;
        const auto cached = m_windows.constFind(flash.duration.count());
        const timing::FlashWindow w = cached != m_windows.constEnd()
            ? *cached
            : *m_windows.insert(flash.duration.count(), m_model->validWindow(Micros(flash.duration)));
        if (w.feasible)
            return;
        const double exposureUs = m_model->exposure().count();
        const double flashUs = double(flash.duration.count());
        const QString mode = m_context.mode->name();
        QString why;
        if (m_model->shutter() == timing::ShutterType::Rolling)
            why = QStringLiteral("shutter %1 < readout %2 + flash %3")
                      .arg(ms1(exposureUs), ms1(m_model->readout().count()), ms1(flashUs));
        else
            why = QStringLiteral("shutter %1 < flash %2").arg(ms1(exposureUs), ms1(flashUs));
        const QString fix = w.maximumFlash.count() > 0
            ? QStringLiteral("use a shutter ≥ %1 or a flash ≤ %2")
                  .arg(msUp(w.minimumExposure.count()), msDown(w.maximumFlash.count()))
            : QStringLiteral("use a shutter ≥ %1 (no flash fits the current one)")
                  .arg(msUp(w.minimumExposure.count()));
        m_sink.error(path,
            QStringLiteral(
                "the %1 flash cannot light every row of %2 %3: the valid delay window is empty: %4; %5")
                .arg(flash.led, m_context.sensor->id, mode, why, fix));
    }

    void checkFrameCount(const Protocol &protocol)
    {
        // summarize() recurses per group level and divides by capture periods: only call it on a
        // protocol within the limits it relies on.
        if (m_tooDeep || !m_countable)
            return;
        const timing::PlanSummary summary = timing::summarize(protocol, m_context.planTiming);
        if (summary.frames <= ProtocolLimits::kMaxFrames)
            return;
        const QString count = summary.frames >= timing::PlanSummary::kMaxCountable
            ? QStringLiteral("more than %1").arg(timing::PlanSummary::kMaxCountable)
            : QString::number(summary.frames);
        m_sink.error(QStringLiteral("$"),
            QStringLiteral(
                "the protocol captures %1 frames; at most %2 are allowed: reduce the iterations of its "
                "groups or the number of images")
                .arg(count)
                .arg(ProtocolLimits::kMaxFrames));
    }

    const ValidationContext &m_context;
    DiagnosticSink &m_sink;
    std::optional<timing::ExposureModel> m_model;
    QHash<qint64, timing::FlashWindow> m_windows;  // by flash duration (µs): images repeat their flashes
    bool m_tooDeep = false;
    bool m_countable = true;
};

}  // namespace

Diagnostics validateProtocol(const Protocol &protocol, const ValidationContext &context)
{
    Diagnostics diagnostics;
    {
        DiagnosticSink sink(diagnostics);
        Validator(context, sink).run(protocol);
    }
    return diagnostics;
}

Diagnostics validateProtocolForAnyRig(const Protocol &protocol)
{
    ValidationContext anyRig;  // no LEDs, sensor or flash limits to check against
    // The shortest frame period and exposure a rig can have: the frame count is an upper bound for any
    // rig, and no capture period is shorter than a frame.
    anyRig.planTiming = {std::chrono::microseconds(0), std::chrono::microseconds(1)};
    return validateProtocol(protocol, anyRig);
}

}  // namespace scopesync::core::protocol
