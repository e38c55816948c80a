// ClockProbe: asks chrony (chronyc) or linuxptp (pmc) how well this machine's clock is synchronised.
#pragma once

#include "core/fleet/fleet_messages.h"

#include <chrono>

namespace scopesync::hal::clock {

// Read-only: runs `chronyc -c tracking`, then `pmc -u -b 0 'GET TIME_STATUS_NP'`, each with a short
// timeout, and never changes the system. chrony comes first because it reports the system clock
// (CLOCK_REALTIME, the clock T is on); pmc reports the PTP hardware clock, which phc2sys copies into
// the system clock. Neither answering → Unsynchronised with the reasons in `detail`.
class ClockProbe {
public:
    explicit ClockProbe(std::chrono::milliseconds timeout = std::chrono::milliseconds(1000))
        : m_timeout(timeout)
    {
    }
    [[nodiscard]] core::fleet::ClockState read() const;

private:
    std::chrono::milliseconds m_timeout;
};

}  // namespace scopesync::hal::clock
