// `scopesync validate`: checks a protocol against a rig and camera settings and reports every problem.
#pragma once

#include <QStringList>

namespace scopesync::app {
int runValidateCommand(const QStringList &args);
}
