// `scopesync fleet`: the leader — follower status, capture at now + lead, firing-error report.
#pragma once

#include <QStringList>

namespace scopesync::app {
int runFleetCommand(const QStringList &args);
}
