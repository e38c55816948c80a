// `scopesync doctor`: checks this machine against a rig and prints each problem with its fix.
#pragma once

#include <QStringList>

namespace scopesync::app {

int runDoctorCommand(const QStringList &args);

}  // namespace scopesync::app
