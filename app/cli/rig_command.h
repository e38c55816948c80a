// `scopesync rig import`: a 454 instrument's hardware configuration file as a ScopeSync rig file.
#pragma once

#include <QStringList>

namespace scopesync::app {
int runRigCommand(const QStringList &args);
}
