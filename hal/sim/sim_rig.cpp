// SimRig: the simulated rig — virtual sensor, simulated GPIO and the real strobe engine, wired together.
#include "hal/sim/sim_rig.h"

#include "core/acquisition/rig_timing.h"
#include "hal/sim/emission_filter.h"

namespace scopesync::hal::sim {

using core::acquisition::TriggerMode;
using namespace std::chrono_literals;

core::Result<std::unique_ptr<SimRig>> SimRig::create(const core::acquisition::RigDescription &rig,
    const core::camera::CameraSettings &settings, bool useSettingsFlips, SimRigOptions options)
{
    const auto *sensor = rig.sensorInfo();
    const auto *mode = rig.sensorMode();
    if (!sensor || !mode)
        return core::Error {
            QStringLiteral("the rig's sensor or mode is not in the catalog"), QStringLiteral("rig")};
    if (!settings.shutter || settings.shutter->count() <= 0)
        return core::Error {
            QStringLiteral("no shutter time: a run needs fixed camera settings; add 'shutter=250000' "
                           "to the camera config"),
            QStringLiteral("shutter")};

    std::unique_ptr<SimRig> r(new SimRig);
    r->m_rig = rig;
    r->m_framePeriod = core::acquisition::framePeriodFor(*mode, *settings.shutter, settings.framerateFps);

    const QStringList ledNames = rig.ledNames();
    r->m_leds = std::make_unique<SimLedBank>(ledNames);

    SimSensorConfig sc;
    sc.shutter = sensor->shutter;
    sc.mode = *mode;
    sc.exposure = *settings.shutter;
    sc.framePeriod = r->m_framePeriod;
    sc.analogueGain = settings.analogueGain.value_or(1.0);
    sc.trigger = rig.trigger;
    sc.sim = rig.sim;
    sc.alignToRealtimeGrid = rig.cameraSync != core::acquisition::CameraSync::Off;
    if (useSettingsFlips) {
        sc.sim.vflip = settings.vflip;
        sc.sim.hflip = settings.hflip;
    }
    if (rig.trigger == TriggerMode::XvsSink)
        r->m_xvs = std::make_unique<SimXvsInput>();
    if (rig.filterWheel)
        r->m_wheel = std::make_unique<SimFilterWheel>(*rig.filterWheel);
    if (rig.focus)
        r->m_focus = std::make_unique<SimFocus>(*rig.focus);
    if (rig.heater)
        r->m_thermal = std::make_unique<SimThermalStage>(*rig.heater);
    r->m_sensor = std::make_unique<SimSensor>(sc, *r->m_leds, r->m_xvs.get());
    if (SimFilterWheel *wheel = r->m_wheel.get()) {
        // What the slide emits under each LED reaches the sensor through the filter in place; none while
        // the wheel moves.
        r->m_sensor->setTransmission([wheel, ledNames](int led, MonoTime at) {
            const auto optics = wheel->opticsAt(at);
            return optics ? emissionTransmission(ledNames.value(led), optics->filter) * optics->pass : 0.0;
        });
    }
    if (SimFocus *focus = r->m_focus.get()) {
        // The slide is sharp at the objective's chromatic best focus for the filter in place.
        SimFilterWheel *wheel = r->m_wheel.get();
        r->m_sensor->setDefocus([focus, wheel](MonoTime at) {
            const auto filter = wheel ? wheel->filterAt(at) : std::optional<QString>();
            const int best = simBestFocusSteps(filter.value_or(QStringLiteral("no_filter")));
            return simDefocusBlurPx(focus->targetSteps() - best);
        });
    }
    if (rig.trigger == TriggerMode::XvsSource || rig.trigger == TriggerMode::External) {
        SimSensor *s = r->m_sensor.get();
        r->m_triggerOut = std::make_unique<SimTriggerOutput>(
            [s](bool active, MonoTime when) { s->onTrigger(active, when); });
    }

    auto wired
        = strobe::createRigEngine(rig, *sensor, *settings.shutter, r->m_framePeriod, rig.sim.pulsesPerFrame,
            options.requestRealtime, *r->m_sensor, *r->m_leds, r->m_xvs.get(), r->m_triggerOut.get());
    if (!wired.ok())
        return wired.error();
    r->m_predicted = std::move(wired->predicted);
    r->m_engine = std::move(wired->engine);
    return r;
}

SimRig::~SimRig()
{
    // The engine first: its last act turns every LED off, while the sensor still exists.
    if (m_engine)
        m_engine->stop();
    if (m_thermal)
        m_thermal->off();
    if (m_sensor)
        m_sensor->stop();
}

QString SimRig::summary() const
{
    return QStringLiteral("simulated rig: %1 %2x%3, %4, delay %5 ms%6")
               .arg(m_rig.sensor)
               .arg(m_rig.modeWidth)
               .arg(m_rig.modeHeight)
               .arg(core::acquisition::triggerModeName(m_rig.trigger))
               .arg(static_cast<double>(m_rig.delay.count()) / 1000.0)
               .arg(m_predicted
                       ? QStringLiteral(" (no trigger wire: LED timing predicted from frame timestamps, "
                                        "less precise than an XVS edge)")
                       : QString())
        + (m_rig.cameraSync != core::acquisition::CameraSync::Off
                ? QStringLiteral(", camera sync %1").arg(core::acquisition::cameraSyncName(m_rig.cameraSync))
                : QString());
}

}  // namespace scopesync::hal::sim
