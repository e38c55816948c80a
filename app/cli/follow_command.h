// `scopesync follow`: a headless fleet follower — captures at the leader's absolute time T and reports.
#pragma once

#include <QStringList>

namespace scopesync::app {
int runFollowCommand(const QStringList &args);
}
