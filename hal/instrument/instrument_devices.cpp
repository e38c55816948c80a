// The instrument's devices of a Raspberry Pi rig, opened from the rig description.
#include "hal/instrument/instrument_devices.h"

#include "hal/gpiod/gpiod_output_lines.h"
#include "hal/gpiod/pwm_channel.h"
#include "hal/instrument/ads1115_thermometer.h"
#include "hal/instrument/ds18b20_thermometer.h"
#include "hal/instrument/pwm_channel_duty.h"
#include "hal/instrument/pwm_heater.h"
#include "hal/instrument/servo_filter_wheel.h"
#include "hal/instrument/software_pwm.h"
#include "hal/instrument/stepper_drive.h"
#include "hal/instrument/stepper_filter_wheel.h"

namespace scopesync::hal::instrument {

using namespace std::chrono_literals;
using core::instrument::StepperDescription;

namespace {

void addStepperLines(const StepperDescription &s, QList<int> &out)
{
    out << s.coilBcm;
    if (s.enableBcm >= 0)
        out << s.enableBcm;
}

// Coils (and the enable line when it has no hardware PWM) requested as outputs, low.
core::Result<std::unique_ptr<StepperDrive>> openStepper(const QString &chip, const QString &role,
    const StepperDescription &s, int minSteps, int maxSteps, QStringList &notes)
{
    if (s.coilBcm.size() != 4)
        return core::Error {QStringLiteral("the %1 stepper needs four coil lines, the rig file gives %2; fix "
                                           "$.%1.stepper.coils")
                                .arg(role)
                                .arg(s.coilBcm.size()),
            role};
    std::vector<gpiod::OutputLineSpec> specs;
    for (int i = 0; i < 4; ++i)
        specs.push_back({QStringLiteral("%1 coil %2").arg(role).arg(i + 1), s.coilBcm[i]});
    std::unique_ptr<DutyOutput> enable;
    if (s.enableBcm >= 0) {
        if (const auto ch = gpiod::PwmChannel::channelForBcm(s.enableBcm)) {
            // 20 kHz: above hearing, and far above the coils' L/R corner.
            auto pwm = gpiod::PwmChannel::open(s.enableBcm, *ch, 50us);
            if (pwm.ok()) {
                enable = std::make_unique<PwmChannelDuty>(std::move(pwm).value());
                notes << QStringLiteral("%1 stepper: enable on hardware PWM (BCM %2)")
                             .arg(role)
                             .arg(s.enableBcm);
            } else {
                notes << QStringLiteral("%1 stepper: enable BCM %2 on software PWM: %3")
                             .arg(role)
                             .arg(s.enableBcm)
                             .arg(pwm.error().message);
            }
        }
        if (!enable)
            specs.push_back({QStringLiteral("%1 enable").arg(role), s.enableBcm});
    }
    auto lines = gpiod::GpiodOutputLines::open(chip, specs, QStringLiteral("scopesync-%1").arg(role));
    if (!lines.ok())
        return lines.error();
    return std::make_unique<StepperDrive>(s, std::move(lines).value(), std::move(enable), minSteps, maxSteps);
}

}  // namespace

QList<int> InstrumentDevices::guardedLines(const core::acquisition::RigDescription &rig)
{
    QList<int> out;
    if (rig.heater && rig.heater->kind == QLatin1String("pwm") && rig.heater->bcm >= 0)
        out << rig.heater->bcm;
    if (rig.filterWheel && rig.filterWheel->kind == QLatin1String("stepper"))
        addStepperLines(rig.filterWheel->stepper, out);
    if (rig.focus && rig.focus->kind == QLatin1String("stepper"))
        addStepperLines(rig.focus->stepper, out);
    return out;
}

core::Result<std::unique_ptr<InstrumentDevices>> InstrumentDevices::open(
    const core::acquisition::RigDescription &rig)
{
    std::unique_ptr<InstrumentDevices> d(new InstrumentDevices);
    const QList<int> guarded = guardedLines(rig);
    if (!guarded.isEmpty()) {
        auto guard = gpiod::OutputGuard::start(rig.gpioChip, guarded);
        if (!guard.ok())
            return guard.error();
        d->m_guard = std::move(guard).value();
    }

    if (const auto &w = rig.filterWheel) {
        if (w->kind == QLatin1String("stepper")) {
            auto drive = openStepper(
                rig.gpioChip, QStringLiteral("filter_wheel"), w->stepper, INT_MIN, INT_MAX, d->m_notes);
            if (!drive.ok())
                return drive.error();
            d->m_wheel = std::make_unique<StepperFilterWheel>(*w, std::move(drive).value());
        } else if (w->kind == QLatin1String("servo")) {
            std::unique_ptr<DutyOutput> pulses;
            std::unique_ptr<gpiod::GpiodOutputLines> line;
            if (const auto ch = gpiod::PwmChannel::channelForBcm(w->servoBcm)) {
                auto pwm = gpiod::PwmChannel::open(w->servoBcm, *ch, ServoFilterWheel::kServoPeriod);
                if (pwm.ok())
                    pulses = std::make_unique<PwmChannelDuty>(std::move(pwm).value());
                else
                    d->m_notes << QStringLiteral("filter wheel servo: software PWM on BCM %1 (%2)")
                                      .arg(w->servoBcm)
                                      .arg(pwm.error().message);
            }
            if (!pulses) {
                auto l = gpiod::GpiodOutputLines::open(rig.gpioChip,
                    {{QStringLiteral("filter wheel servo"), w->servoBcm}}, QStringLiteral("scopesync-servo"));
                if (!l.ok())
                    return l.error();
                line = std::move(l).value();
                pulses = std::make_unique<SoftwarePwm>(*line, 0, ServoFilterWheel::kServoPeriod);
            }
            d->m_wheel = std::make_unique<ServoFilterWheel>(*w, std::move(pulses), std::move(line));
        } else {
            d->m_notes << QStringLiteral("filter wheel of kind '%1' is not driven on a Raspberry Pi rig")
                              .arg(w->kind);
        }
    }

    if (const auto &f = rig.focus; f && f->kind == QLatin1String("stepper")) {
        auto drive = openStepper(
            rig.gpioChip, QStringLiteral("focus"), f->stepper, f->minSteps, f->maxSteps, d->m_notes);
        if (!drive.ok())
            return drive.error();
        d->m_focus = std::move(drive).value();
    }

    if (const auto &h = rig.heater; h && h->kind == QLatin1String("pwm")) {
        const auto &s = h->sensor;
        if (s.kind == QLatin1String("ds18b20")) {
            auto t = Ds18b20Thermometer::open(s.w1Device);
            if (!t.ok())
                return t.error();
            d->m_thermometer = std::move(t).value();
        } else if (s.kind == QLatin1String("ntc-ads1115")) {
            auto t = Ads1115Thermometer::open(s);
            if (!t.ok())
                return t.error();
            d->m_thermometer = std::move(t).value();
        } else {
            return core::Error {
                QStringLiteral("the heater's sensor kind '%1' cannot be read on a Raspberry Pi rig; "
                               "set $.heater.sensor.kind to \"ds18b20\" or \"ntc-ads1115\"")
                    .arg(s.kind),
                QStringLiteral("heater")};
        }
        auto line = gpiod::GpiodOutputLines::open(
            rig.gpioChip, {{QStringLiteral("heater"), h->bcm}}, QStringLiteral("scopesync-heater"));
        if (!line.ok())
            return line.error();
        d->m_heater = std::make_unique<PwmHeater>(std::move(line).value(), h->maxPerMille);
        d->m_notes << QStringLiteral("heater: BCM %1, software PWM 1 s, at most %2 ‰; sensor %3")
                          .arg(h->bcm)
                          .arg(h->maxPerMille)
                          .arg(d->m_thermometer->name());
    }
    return d;
}

InstrumentDevices::~InstrumentDevices()
{
    // Outputs off before anything is released; the guard goes last.
    if (m_heater)
        m_heater->off();
    if (m_wheel)
        m_wheel->release();
    if (m_focus)
        m_focus->release();
    m_heater.reset();
    m_thermometer.reset();
    m_focus.reset();
    m_wheel.reset();
}

}  // namespace scopesync::hal::instrument
