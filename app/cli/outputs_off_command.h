// `scopesync outputs-off` (alias `leds-off`): drives every output of a rig low — LEDs, heater, stepper
// coils (the units' stop hook, and a manual safety).
#pragma once

#include <QStringList>

namespace scopesync::app {
int runOutputsOffCommand(const QStringList &args);
int runLedsOffAlias(const QStringList &args);
}  // namespace scopesync::app
