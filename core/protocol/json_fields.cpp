// JsonFields: typed access to JSON object members that reports every wrong or missing field with its path.
#include "core/protocol/json_fields.h"

#include <cmath>

namespace scopesync::core::protocol {

QString JsonFields::typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

void JsonFields::warnUnknownKeys(const QJsonObject &object, const QString &path, const QStringList &known)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (known.contains(it.key()))
            continue;
        m_sink.warning(jsonPathKey(path, it.key()),
            QStringLiteral("unknown key '%1' is ignored; known keys: %2")
                .arg(it.key(), known.join(QStringLiteral(", "))));
    }
}

void JsonFields::missing(const QString &path, const QString &key, const QString &why)
{
    m_sink.error(jsonPathKey(path, key),
        QStringLiteral("'%1' is missing%2; add it")
            .arg(key, why.isEmpty() ? QString() : QStringLiteral(" (") + why + u')'));
}

void JsonFields::wrongType(const QString &path, const QString &expected, const QJsonValue &found)
{
    m_sink.error(path, QStringLiteral("expected %1, found %2").arg(expected, typeName(found)));
}

std::optional<QJsonValue> JsonFields::lookup(
    const QJsonObject &object, const QString &key, const QString &path, bool required)
{
    const auto it = object.constFind(key);
    if (it == object.constEnd()) {
        if (required)
            missing(path, key);
        return std::nullopt;
    }
    return it.value();
}

Field<QString> JsonFields::string(
    const QJsonObject &object, const QString &key, const QString &path, bool required)
{
    Field<QString> f;
    const auto v = lookup(object, key, path, required);
    f.valid = v.has_value() || !required;
    if (!v)
        return f;
    f.present = true;
    if (!v->isString()) {
        wrongType(jsonPathKey(path, key), QStringLiteral("a string"), *v);
        f.valid = false;
        return f;
    }
    f.value = v->toString();
    return f;
}

Field<double> JsonFields::number(
    const QJsonObject &object, const QString &key, const QString &path, bool required)
{
    Field<double> f;
    const auto v = lookup(object, key, path, required);
    f.valid = v.has_value() || !required;
    if (!v)
        return f;
    f.present = true;
    if (!v->isDouble() || !std::isfinite(v->toDouble())) {
        wrongType(jsonPathKey(path, key), QStringLiteral("a number"), *v);
        f.valid = false;
        return f;
    }
    f.value = v->toDouble();
    return f;
}

Field<double> JsonFields::wholeNumber(
    const QJsonObject &object, const QString &key, const QString &path, bool required)
{
    Field<double> f = number(object, key, path, required);
    if (f.usable() && f.value != std::floor(f.value)) {
        m_sink.error(jsonPathKey(path, key),
            QStringLiteral("expected a whole number, found %1; remove the fraction").arg(f.value));
        f.valid = false;
    }
    return f;
}

Field<QJsonArray> JsonFields::array(
    const QJsonObject &object, const QString &key, const QString &path, bool required)
{
    Field<QJsonArray> f;
    const auto v = lookup(object, key, path, required);
    f.valid = v.has_value() || !required;
    if (!v)
        return f;
    f.present = true;
    if (!v->isArray()) {
        wrongType(jsonPathKey(path, key), QStringLiteral("an array"), *v);
        f.valid = false;
        return f;
    }
    f.value = v->toArray();
    return f;
}

Field<QJsonObject> JsonFields::object(
    const QJsonObject &object, const QString &key, const QString &path, bool required)
{
    Field<QJsonObject> f;
    const auto v = lookup(object, key, path, required);
    f.valid = v.has_value() || !required;
    if (!v)
        return f;
    f.present = true;
    if (!v->isObject()) {
        wrongType(jsonPathKey(path, key), QStringLiteral("an object"), *v);
        f.valid = false;
        return f;
    }
    f.value = v->toObject();
    return f;
}

std::chrono::microseconds JsonFields::toMicroseconds(double ms, const QString &fieldPath)
{
    const double us = ms * 1000.0;
    const double rounded = std::round(us);
    // 1e-6 µs absorbs the binary representation error of decimals such as 1.234 ms.
    if (std::abs(us - rounded) > 1e-6)
        m_sink.warning(fieldPath,
            QStringLiteral("%1 ms is rounded to %2 ms: flash durations are whole microseconds")
                .arg(ms, 0, 'g', 12)
                .arg(rounded / 1000.0, 0, 'g', 12));
    return std::chrono::microseconds(qint64(rounded));
}

std::chrono::milliseconds JsonFields::toMilliseconds(double ms, const QString &fieldPath)
{
    const double rounded = std::round(ms);
    if (std::abs(ms - rounded) > 1e-9)
        m_sink.warning(fieldPath,
            QStringLiteral("%1 ms is rounded to %2 ms: step durations are whole milliseconds")
                .arg(ms, 0, 'g', 12)
                .arg(rounded, 0, 'f', 0));
    return std::chrono::milliseconds(qint64(rounded));
}

bool JsonFields::expectObject(const QJsonValue &value, const QString &path)
{
    if (value.isObject())
        return true;
    wrongType(path, QStringLiteral("an object"), value);
    return false;
}

}  // namespace scopesync::core::protocol
