// `scopesync calibrate`: finds a rig's valid flash-delay window and recommends a delay.
#pragma once

#include <QStringList>

namespace scopesync::app {

int runCalibrateCommand(const QStringList &args);

}  // namespace scopesync::app
