// JsonFields: typed access to JSON object members that reports every wrong or missing field with its path.
#include "core/common/json_fields.h"

#include <QLocale>

#include <cmath>

namespace scopesync::core {

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

QString JsonFields::formatNumber(double value)
{
    if (value == std::floor(value) && std::abs(value) < 9.0e15)
        return QString::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
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

template <typename T>
Field<T> JsonFields::typed(const QJsonObject &object, const QString &key, const QString &path, bool required,
    const QString &expected, std::optional<T> (*convert)(const QJsonValue &))
{
    Field<T> f;
    const auto v = lookup(object, key, path, required);
    f.valid = v.has_value() || !required;
    if (!v)
        return f;
    f.present = true;
    std::optional<T> value = convert(*v);
    if (!value) {
        wrongType(jsonPathKey(path, key), expected, *v);
        f.valid = false;
        return f;
    }
    f.value = std::move(*value);
    return f;
}

Field<QString> JsonFields::string(
    const QJsonObject &object, const QString &key, const QString &path, bool required)
{
    return typed<QString>(object, key, path, required, QStringLiteral("a string"),
        [](const QJsonValue &v) { return v.isString() ? std::optional(v.toString()) : std::nullopt; });
}

Field<double> JsonFields::number(const QJsonObject &object, const QString &key, const QString &path,
    bool required, const std::optional<NumberRange> &range)
{
    Field<double> f
        = typed<double>(object, key, path, required, QStringLiteral("a number"), [](const QJsonValue &v) {
              return v.isDouble() && std::isfinite(v.toDouble()) ? std::optional(v.toDouble()) : std::nullopt;
          });
    if (f.usable() && range && (f.value < range->min || f.value > range->max)) {
        const QString unit = range->unit.isEmpty() ? QString() : u' ' + range->unit;
        m_sink.error(jsonPathKey(path, key),
            QStringLiteral("%1%2 is out of range; use %3 to %4%2")
                .arg(formatNumber(f.value), unit, formatNumber(range->min), formatNumber(range->max)));
        f.valid = false;
    }
    return f;
}

Field<double> JsonFields::wholeNumber(const QJsonObject &object, const QString &key, const QString &path,
    bool required, const std::optional<NumberRange> &range)
{
    Field<double> f = number(object, key, path, required, range);
    if (f.usable() && f.value != std::floor(f.value)) {
        m_sink.error(jsonPathKey(path, key),
            QStringLiteral("expected a whole number, found %1; remove the fraction").arg(f.value));
        f.valid = false;
    }
    return f;
}

Field<bool> JsonFields::boolean(
    const QJsonObject &object, const QString &key, const QString &path, bool required)
{
    return typed<bool>(object, key, path, required, QStringLiteral("true or false"),
        [](const QJsonValue &v) { return v.isBool() ? std::optional(v.toBool()) : std::nullopt; });
}

Field<QJsonArray> JsonFields::array(
    const QJsonObject &object, const QString &key, const QString &path, bool required)
{
    return typed<QJsonArray>(object, key, path, required, QStringLiteral("an array"),
        [](const QJsonValue &v) { return v.isArray() ? std::optional(v.toArray()) : std::nullopt; });
}

Field<QJsonObject> JsonFields::object(
    const QJsonObject &object, const QString &key, const QString &path, bool required)
{
    return typed<QJsonObject>(object, key, path, required, QStringLiteral("an object"),
        [](const QJsonValue &v) { return v.isObject() ? std::optional(v.toObject()) : std::nullopt; });
}

bool JsonFields::expectObject(const QJsonValue &value, const QString &path)
{
    if (value.isObject())
        return true;
    wrongType(path, QStringLiteral("an object"), value);
    return false;
}

}  // namespace scopesync::core
