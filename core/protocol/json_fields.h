// JsonFields: typed access to JSON object members that reports every wrong or missing field with its path.
#pragma once

#include "core/protocol/diagnostic_sink.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <chrono>
#include <optional>

namespace scopesync::core::protocol {

// A member read from an object: absent (and optional), present and valid, or reported as wrong.
template <typename T> struct Field {
    bool present = false;
    bool valid = true;  // false once a problem has been reported for it
    T value {};

    [[nodiscard]] bool usable() const { return present && valid; }
};

class JsonFields {
public:
    explicit JsonFields(DiagnosticSink &sink) : m_sink(sink) { }

    // "a string", "a number", "an array", …, for "expected X, found Y" messages.
    static QString typeName(const QJsonValue &value);

    // Warns once per key of `object` not in `known`.
    void warnUnknownKeys(const QJsonObject &object, const QString &path, const QStringList &known);

    Field<QString> string(const QJsonObject &object, const QString &key, const QString &path, bool required);
    Field<double> number(const QJsonObject &object, const QString &key, const QString &path, bool required);
    // A number without a fraction (any magnitude: the caller's range check names the sane range).
    Field<double> wholeNumber(
        const QJsonObject &object, const QString &key, const QString &path, bool required);
    Field<QJsonArray> array(
        const QJsonObject &object, const QString &key, const QString &path, bool required);
    Field<QJsonObject> object(
        const QJsonObject &object, const QString &key, const QString &path, bool required);

    // Reports an element of an array that is not an object; true when it is one.
    bool expectObject(const QJsonValue &value, const QString &path);

    // Durations are written as (possibly fractional) milliseconds; the model keeps whole microseconds
    // for flashes and whole milliseconds for steps. A value that is not whole in the model's unit is
    // rounded with a warning at `fieldPath`. Callers keep |ms| <= ProtocolLimits::kMaxRepresentableMs.
    std::chrono::microseconds toMicroseconds(double ms, const QString &fieldPath);
    std::chrono::milliseconds toMilliseconds(double ms, const QString &fieldPath);

    void missing(const QString &path, const QString &key, const QString &why = {});
    DiagnosticSink &sink() { return m_sink; }

private:
    // Shared lookup: nullopt when absent (reported if required), else the value.
    std::optional<QJsonValue> lookup(
        const QJsonObject &object, const QString &key, const QString &path, bool required);
    void wrongType(const QString &path, const QString &expected, const QJsonValue &found);

    DiagnosticSink &m_sink;
};

}  // namespace scopesync::core::protocol
