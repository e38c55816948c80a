// JsonFields: typed access to JSON object members that reports every wrong or missing field with its path.
#pragma once

#include "core/common/diagnostic_sink.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace scopesync::core {

// A member read from an object: absent (and optional), present and valid, or reported as wrong.
template <typename T> struct Field {
    bool present = false;
    bool valid = true;  // false once a problem has been reported for it
    T value {};

    [[nodiscard]] bool usable() const { return present && valid; }
    explicit operator bool() const { return usable(); }
    const T &operator*() const { return value; }
    const T *operator->() const { return &value; }
};

// The sane values of a number, for "5 ms is out of range; use 1 to 3 ms".
struct NumberRange {
    double min = 0;
    double max = 0;
    QString unit;  // empty for a count or a ratio
};

// One reader for every JSON input (protocols, rig files, fleet messages), so all of them word a
// problem alike: "expected a string, found a number", "'led' is missing; add it".
class JsonFields {
public:
    explicit JsonFields(DiagnosticSink &sink) : m_sink(sink) { }

    // "a string", "a number", "an array", …, for "expected X, found Y" messages.
    static QString typeName(const QJsonValue &value);
    // A number as a message shows it: whole numbers without an exponent.
    static QString formatNumber(double value);

    // Warns once per key of `object` not in `known`.
    void warnUnknownKeys(const QJsonObject &object, const QString &path, const QStringList &known);

    Field<QString> string(const QJsonObject &object, const QString &key, const QString &path, bool required);
    // A finite number; with a range, one outside it is reported.
    Field<double> number(const QJsonObject &object, const QString &key, const QString &path, bool required,
        const std::optional<NumberRange> &range = std::nullopt);
    // A number without a fraction. Without a range any magnitude passes (the caller's check names the
    // sane range); with one, the value also fits the integer types within it.
    Field<double> wholeNumber(const QJsonObject &object, const QString &key, const QString &path,
        bool required, const std::optional<NumberRange> &range = std::nullopt);
    Field<bool> boolean(const QJsonObject &object, const QString &key, const QString &path, bool required);
    Field<QJsonArray> array(
        const QJsonObject &object, const QString &key, const QString &path, bool required);
    Field<QJsonObject> object(
        const QJsonObject &object, const QString &key, const QString &path, bool required);

    // Reports an element of an array that is not an object; true when it is one.
    bool expectObject(const QJsonValue &value, const QString &path);

    // "'key' is missing (why); add it" at path.key.
    void missing(const QString &path, const QString &key, const QString &why = {});
    // "expected <expected>, found <what `found` is>" at `path`.
    void wrongType(const QString &path, const QString &expected, const QJsonValue &found);
    DiagnosticSink &sink() { return m_sink; }

private:
    // Shared lookup: nullopt when absent (reported if required), else the value.
    std::optional<QJsonValue> lookup(
        const QJsonObject &object, const QString &key, const QString &path, bool required);
    // The member when present and `convert` takes it; otherwise "expected <expected>, found …".
    template <typename T>
    Field<T> typed(const QJsonObject &object, const QString &key, const QString &path, bool required,
        const QString &expected, std::optional<T> (*convert)(const QJsonValue &));

    DiagnosticSink &m_sink;
};

}  // namespace scopesync::core
