// StatusStrip: the rig's state in one wrapping line — rig, sensor mode, trigger, fps, pulses, drops, LEDs.
#include "ui/main_window/status_strip.h"

namespace scopesync::ui {

StatusStrip::StatusStrip(QWidget *parent) : QLabel(parent)
{
    setWordWrap(true);  // at 800 px it takes two lines rather than cutting anything off
    setTextFormat(Qt::PlainText);
    setText(tr("No rig open"));
}

void StatusStrip::setStatus(const RigStatus &s)
{
    m_status = s;
    if (!s.open) {
        setText(tr("No rig open"));
        return;
    }
    const QString backend = s.backend == QLatin1String("sim") ? tr("simulated") : s.backend;
    const QString leds
        = s.ledsOff ? tr("LEDs off") : tr("LED on: %1").arg(s.litLeds.isEmpty() ? tr("run") : s.litLeds);
    const QString mode = s.running ? tr("running") : (s.live ? tr("live") : tr("idle"));
    setText(tr("%1 rig · %2 · %3 · %4 · %5 fps · missed %6, rejected %7 · preview dropped %8 of %9 · %10")
                .arg(backend, s.sensorMode, s.trigger, mode)
                .arg(s.framesPerSecond, 0, 'f', 1)
                .arg(s.strobe.missed)
                .arg(s.strobe.rejected)
                .arg(s.previewDropped)
                .arg(s.previewFrames)
                .arg(leds)
        + instrumentText(s));
}

QString StatusStrip::instrumentText(const RigStatus &s)
{
    QString out;
    if (s.hasFilterWheel)
        out += tr(" · filter %1").arg(s.filterInPlace.isEmpty() ? tr("moving") : s.filterInPlace);
    if (s.focusSteps)
        out += tr(" · focus %1").arg(*s.focusSteps);
    if (!s.heaterFault.isEmpty())
        out += tr(" · heater OFF: %1").arg(s.heaterFault);
    else if (s.temperatureKelvin && s.setPointKelvin)
        out += tr(" · %1 °C → %2 °C, heater %3 %")
                   .arg(*s.temperatureKelvin - 273.15, 0, 'f', 1)
                   .arg(*s.setPointKelvin - 273.15, 0, 'f', 1)
                   .arg(s.heaterDutyPerMille / 10.0, 0, 'f', 0);
    else if (s.temperatureKelvin)
        out += tr(" · %1 °C").arg(*s.temperatureKelvin - 273.15, 0, 'f', 1);
    return out;
}

}  // namespace scopesync::ui
