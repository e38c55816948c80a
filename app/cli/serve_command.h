// `scopesync serve`: the local HTTP/JSON API for scripts, on the controller the GUI uses.
#pragma once

#include <QStringList>

namespace scopesync::app {

int runServeCommand(const QStringList &args);

}  // namespace scopesync::app
