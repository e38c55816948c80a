// NativeProtocolReader: reads ScopeSync's own versioned JSON protocol format into the model.
//
// The format (version 1); durations are milliseconds and may be fractional:
//
//   {"format": "scopesync-protocol", "version": 1, "name": "…", "description": "…", "steps": [STEP, …]}
//
//   STEP is one of
//     {"type": "group", "label": "…", "iterations": 1, "steps": [STEP, …]}
//     {"type": "image", "label": "…", "filter": "…" (optional), "flashes": [FLASH, …]}
//     {"type": "wait", "label": "…", "duration_ms": 600000}
//     {"type": "set_temperature", "label": "…", "kelvin": 334.15}
//     {"type": "illuminate", "label": "…", "flashes": [FLASH, …], "duration_ms": 2000,
//      "capture_period_ms": 1000 (optional: none = no capture), "filter": "…" (optional)}
//   FLASH is {"led": "red", "duration_ms": 150, "intensity_per_mille": 1000 (optional, default 1000)};
//   inside an illuminate step a flash's duration_ms is optional and defaults to the step's.
//   "label" is optional everywhere (default ""); "iterations" defaults to 1.
//
// Shape problems (wrong types, missing keys, unknown step types) are reported here with the path of the
// offending key. Values that fit the model are kept as written, even out of range, so that
// validateProtocol() reports range problems once for files and editor-built protocols alike; an element
// that cannot be represented is reported, has its readable values range-checked here, and is left out.
#pragma once

#include "core/common/diagnostic_sink.h"
#include "core/protocol/protocol.h"

#include <QJsonObject>

#include <optional>

namespace scopesync::core::protocol {

class NativeProtocolReader {
public:
    static constexpr auto kFormatName = "scopesync-protocol";

    // nullopt when the file is not a readable native protocol at all (wrong format, newer version).
    static std::optional<Protocol> read(const QJsonObject &root, DiagnosticSink &sink);
};

}  // namespace scopesync::core::protocol
