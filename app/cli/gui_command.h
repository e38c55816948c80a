// `scopesync gui`: the instrument window on a simulated or real rig (the default command).
#pragma once

#include <QStringList>

namespace scopesync::app {

int runGuiCommand(const QStringList &args);

}  // namespace scopesync::app
