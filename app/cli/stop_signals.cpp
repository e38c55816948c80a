// SIGINT/SIGTERM handling for headless runs: the first signal asks the run to stop cleanly.
#include "app/cli/stop_signals.h"

#include <csignal>

namespace scopesync::app {

namespace {
std::atomic<int> g_stop {0};
static_assert(std::atomic<int>::is_always_lock_free, "the flag is written from a signal handler");

extern "C" void onStopSignal(int sig)
{
    if (g_stop.exchange(sig) != 0)
        std::signal(sig, SIG_DFL);
}
}  // namespace

const std::atomic<int> &installStopSignals()
{
    struct sigaction sa { };
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    return g_stop;
}

}  // namespace scopesync::app
