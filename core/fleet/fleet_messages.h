// The fleet's message types (schema scopesync.fleet/1): commands, results, refusals, pongs, status.
#pragma once

#include "core/common/clocks.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <map>
#include <optional>
#include <vector>

namespace scopesync::core::fleet {

// CLOCK_REALTIME times. On the wire always a decimal string: epoch nanoseconds (≈1.7e18) do not fit the
// 53-bit mantissa of a JSON number.
using core::WallTime;

inline constexpr const char *kSchema = "scopesync.fleet/1";

// Where a follower's clock gets its time and how good it says it is.
struct ClockState {
    enum class Source { Chrony, Ptp, Unsynchronised };
    Source source = Source::Unsynchronised;
    std::optional<std::chrono::nanoseconds> offset;  // system (or PHC) clock minus the reference
    std::optional<std::chrono::nanoseconds> errorBound;  // estimated maximum error of the clock
    QString detail;  // "chrony: ref 192.168.1.1 stratum 3", or why unsynchronised

    static QString sourceName(Source s);
    static std::optional<Source> sourceFromName(const QString &name);
};

// One LED pulse of a fleet image, relative to the trigger edge at T.
struct FleetPulse {
    QString led;
    std::optional<std::chrono::microseconds> delay;  // unset: the follower's rig delay
    std::chrono::microseconds duration {0};
    int intensityPerMille = 1000;
};

struct FleetImage {
    std::vector<FleetPulse> pulses;  // empty: a frame without flash
};

struct Command {
    enum class Type { Capture, Run, Ping };
    Type type = Type::Capture;
    QString id;  // [A-Za-z0-9_-]{1,64}; also the run folder's name on each follower
    WallTime issued {};  // leader's CLOCK_REALTIME when it sent the command
    WallTime at {};  // Capture/Run: the trigger edge of the first image (CLOCK_REALTIME)
    std::vector<FleetImage> images;  // Capture: one frame each, at T + k·interval
    // Capture with several images: between their T; 0: the follower's choice. Run: the slot per image
    // of the fleet timeline (core/fleet/fleet_schedule.h); 0: the follower's own time per image.
    std::chrono::milliseconds interval {0};
    QByteArray protocol;  // Run: the protocol file's bytes (JSON)
    // Capture/Run: followers named here fire at their own T instead of `at` ("at_ns_by_follower" on the
    // wire, optional). It staggers followers on purpose, e.g. so that followers sharing one machine do
    // not fire together. A follower that predates the field fires at `at` and reports that as intended_ns,
    // so the leader still sees which T each follower used.
    std::map<QString, WallTime> atByFollower;

    // The command as `follower` executes it: `at` is its own T, the per-follower table dropped.
    [[nodiscard]] Command forFollower(const QString &follower) const;
};

// A command a follower refused without acting on it.
struct Refusal {
    enum class Reason { Malformed, Past, TooFarAhead, Duplicate, Busy, Unsupported, Invalid, Failed };
    QString id;  // empty when the payload was too malformed to carry one
    QString follower;
    Reason reason = Reason::Malformed;
    QString message;  // a sentence a person can act on

    static QString reasonName(Reason r);
};

struct CaptureResult {
    QString id;
    QString follower;
    WallTime intended {};  // T of the first image
    WallTime edge {};  // measured trigger edge of the first image (CLOCK_REALTIME)
    std::vector<WallTime> edges;  // every image's measured edge
    // Largest |measured edge − its own T| over every image ("worst_error_ns", optional): for runs and
    // multi-image captures, where later images have their own T.
    std::optional<std::chrono::nanoseconds> worstError;
    ClockState clock;  // read just before firing
    QString folder;  // where the images went (absolute path on the follower)
    QStringList images;  // file names inside `folder`
    bool ok = true;
    QString message;  // on failure: what stopped it; images already saved are listed and kept

    [[nodiscard]] std::chrono::nanoseconds firingError() const { return edge - intended; }
};

struct Pong {
    QString id;
    QString follower;
    WallTime received {};  // follower's CLOCK_REALTIME when the ping arrived
};

struct FollowerStatus {
    QString follower;
    bool online = false;
    ClockState clock;
    QString rig;  // the rig summary
    QString version;
    // The shortest slot one image needs on this rig: exposure, readout and saving ("image_time_ms",
    // optional). The leader lays a fleet run out with the slowest follower's.
    std::optional<std::chrono::milliseconds> imageTime;
};

}  // namespace scopesync::core::fleet
