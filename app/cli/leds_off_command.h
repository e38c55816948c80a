// `scopesync leds-off`: drives every LED line of a rig low (the kiosk unit's stop hook, and a manual safety).
#pragma once

#include <QStringList>

namespace scopesync::app {
int runLedsOffCommand(const QStringList &args);
}
