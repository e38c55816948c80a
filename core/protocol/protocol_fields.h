// ProtocolFields: the JSON reader plus the protocol values both file formats write alike.
#pragma once

#include "core/common/json_fields.h"

#include <chrono>

namespace scopesync::core::protocol {

class ProtocolFields : public JsonFields {
public:
    explicit ProtocolFields(DiagnosticSink &sink) : JsonFields(sink) { }

    // Durations are written as (possibly fractional) milliseconds; the model keeps whole microseconds
    // for flashes and whole milliseconds for steps. A value that is not whole in the model's unit is
    // rounded with a warning at `fieldPath`. Callers keep |ms| <= ProtocolLimits::kMaxRepresentableMs.
    std::chrono::microseconds toMicroseconds(double ms, const QString &fieldPath);
    std::chrono::milliseconds toMilliseconds(double ms, const QString &fieldPath);
};

}  // namespace scopesync::core::protocol
