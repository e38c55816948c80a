// `scopesync run`: executes a protocol on a rig, headless, into a run folder of OME-TIFFs.
#pragma once

#include <QStringList>

namespace scopesync::app {
int runRunCommand(const QStringList &args);
}
