// OutputGuard: starts scopesync-output-guard, the process that drives the heater and stepper lines low
// when this process dies, however it dies (a released GPIO line keeps its level).
#pragma once

#include "core/common/result.h"

#include <QList>
#include <QString>

#include <chrono>
#include <memory>
#include <sys/types.h>

namespace scopesync::hal::gpiod {

class OutputGuard {
public:
    // The helper: $SCOPESYNC_OUTPUT_GUARD, else next to this executable or in ../libexec/scopesync/
    // from it, else the configured install path, else the build tree's; empty when none exists.
    static QString helperPath();

    // Starts the guard for `lines` of `chip` and waits (up to 2 s) until it reports ready. `hold` keeps
    // the lines requested (low) that long after driving them, for chips that return a released line to
    // its pull (gpio-sim); a Raspberry Pi's pin keeps its level, so rigs leave it at 0.
    static core::Result<std::unique_ptr<OutputGuard>> start(
        const QString &chip, const QList<int> &lines, std::chrono::milliseconds hold = {});
    // Closes the pipe (the guard then drives the lines low: by now they should be low and released) and
    // reaps the guard.
    ~OutputGuard();
    OutputGuard(const OutputGuard &) = delete;
    OutputGuard &operator=(const OutputGuard &) = delete;

    [[nodiscard]] pid_t pid() const { return m_pid; }

private:
    OutputGuard() = default;
    pid_t m_pid = -1;
    int m_pipeFd = -1;  // write end; never written, its closing is the message
};

}  // namespace scopesync::hal::gpiod
