// SIGINT/SIGTERM handling for headless runs: the first signal asks the run to stop cleanly.
#pragma once

#include <atomic>

namespace scopesync::app {

// Installs handlers that store the signal number in the returned flag. A second signal of the same
// kind while stopping restores the default action, so a stuck stop can still be killed.
const std::atomic<int> &installStopSignals();

}  // namespace scopesync::app
