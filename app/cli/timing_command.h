// `scopesync timing`: the valid flash window of a sensor mode, shutter and flash.
#pragma once

#include <QStringList>

namespace scopesync::app {
int runTimingCommand(const QStringList &args);
}
