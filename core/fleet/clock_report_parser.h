// ClockReportParser: reads the text chrony and linuxptp print into a ClockState (pure, no processes run).
#pragma once

#include "core/common/result.h"
#include "core/fleet/fleet_messages.h"

#include <QByteArray>

namespace scopesync::core::fleet {

class ClockReportParser {
public:
    // `chronyc -c tracking`: one CSV line — ref id, ref name, stratum, ref time, system time offset (s),
    // last offset, RMS offset, frequency, residual frequency, skew, root delay (s), root dispersion (s),
    // update interval, leap status. The error bound is chrony's documented one: |system time offset| +
    // root dispersion + root delay / 2. "Not synchronised" leap status (or stratum 0) → Unsynchronised.
    static Result<ClockState> parseChronyTracking(const QByteArray &csv);

    // `pmc -u -b 0 'GET TIME_STATUS_NP'`: the response block's master_offset (ns, PHC − grandmaster)
    // and gmPresent. gmPresent false → Unsynchronised (the port is its own grandmaster). The bound is
    // |master_offset|: the PHC's last measured offset (phc2sys adds its own, smaller, error).
    static Result<ClockState> parsePmcTimeStatus(const QByteArray &text);
};

}  // namespace scopesync::core::fleet
