// Legacy454Importer: imports the 454 Bio instrument's *.454sp.json protocols into the model.
//
// The 454 format (tirf-ui's sequencing_protocol_schema.json) is one root event; every event has
// "label", "event_type" and its arguments under "<event_type>_args":
//   Group          {"iterations": 1, "events": [EVENT, …]}
//   ReactionCycle  {"iterations": 16, "events": [EVENT, …], "cleaving": {"schema_version": 0,
//                   "cleaving_duration_ms": 2000, "capture_period_ms": 0 (0 or absent = no capture),
//                   "cleaving_led": "uv" (optional), "cleaving_intensity_per_mille": 1000 (optional)}}
//   ImageSequence  {"schema_version": 0, "images": [{"label": "645", "filter": "red",
//                   "flashes": [{"led": "red", "duration_ms": 50, "intensity_per_mille": 1000}]}, …]}
//   SetTemperature {"temperature_kelvin": 334.15}
//   Wait           {"duration_ms": 600000}
//
// Mapping: the root Group, when it runs once, becomes the protocol (its label the name); any other root
// becomes the single top-level step. Group → group. ReactionCycle → group whose children are its events
// followed by an illuminate step "Cleave" (the cleaving LED, default uv, for cleaving_duration_ms,
// capturing every capture_period_ms), as the 454 HAL cleaves after every iteration. ImageSequence → a
// group run once, labelled like the sequence, with one image step per image. Paths in diagnostics and in
// Step/Flash::sourcePath follow the 454 file ("$.Group_args.events[2].ImageSequence_args.images[0]").
// As in NativeProtocolReader, shape problems are reported here and value ranges by validateProtocol().
#pragma once

#include "core/common/diagnostic_sink.h"
#include "core/protocol/protocol.h"

#include <QJsonObject>

#include <optional>

namespace scopesync::core::protocol {

class Legacy454Importer {
public:
    static constexpr auto kFileSuffix = ".454sp.json";

    static std::optional<Protocol> read(const QJsonObject &root, DiagnosticSink &sink);
};

}  // namespace scopesync::core::protocol
