// ProtocolFields: the JSON reader plus the protocol values both file formats write alike.
#pragma once

#include "core/common/json_fields.h"
#include "core/protocol/protocol.h"

#include <chrono>
#include <optional>
#include <vector>

namespace scopesync::core::protocol {

class ProtocolFields : public JsonFields {
public:
    explicit ProtocolFields(DiagnosticSink &sink) : JsonFields(sink) { }

    // Durations are written as (possibly fractional) milliseconds; the model keeps whole microseconds
    // for flashes and whole milliseconds for steps. A value that is not whole in the model's unit is
    // rounded with a warning at `fieldPath`. Callers keep |ms| <= ProtocolLimits::kMaxRepresentableMs.
    std::chrono::microseconds toMicroseconds(double ms, const QString &fieldPath);
    std::chrono::milliseconds toMilliseconds(double ms, const QString &fieldPath);

    // The required "flashes" array of the object at `path`, each {"led", "duration_ms",
    // "intensity_per_mille"}; nullopt when the array is missing or not one. `illuminating`: the flashes
    // of an illuminate step, whose duration defaults to the step's (`defaultDuration`).
    std::optional<std::vector<Flash>> readFlashes(const QJsonObject &o, const QString &path,
        bool illuminating, std::optional<std::chrono::microseconds> defaultDuration);
    std::optional<Flash> readFlash(const QJsonObject &o, const QString &path, bool illuminating,
        std::optional<std::chrono::microseconds> defaultDuration);

    // A whole per-mille intensity at `key`; one too large for the model is reported at `limitPath`.
    Field<double> readIntensity(const QJsonObject &o, const QString &key, const QString &path,
        const QString &limitPath, int &perMille);
    // A group's optional repeat count; one too large for the model is reported at `limitPath`.
    void readIterations(const QJsonObject &o, const QString &path, const QString &limitPath, int &iterations);
    // A step duration in ms at `key`: the model value, or nullopt when missing, wrong or unrepresentable
    // (then `check` reports it at `limitPath`).
    std::optional<std::chrono::milliseconds> readStepDuration(const QJsonObject &o, const QString &path,
        const QString &key, bool (*check)(double, const QString &, DiagnosticSink &),
        const QString &limitPath);
};

}  // namespace scopesync::core::protocol
