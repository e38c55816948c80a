// ProtocolFields: the JSON reader plus the protocol values both file formats write alike.
#include "core/protocol/protocol_fields.h"

#include "core/protocol/protocol_limits.h"

#include <cmath>

namespace scopesync::core::protocol {

namespace {

// Larger whole numbers do not fit the model's int fields; they are range-checked by the reader.
constexpr double kMaxInt = 2147483647.0;

}  // namespace

std::chrono::microseconds ProtocolFields::toMicroseconds(double ms, const QString &fieldPath)
{
    const double us = ms * 1000.0;
    const double rounded = std::round(us);
    // 1e-6 µs absorbs the binary representation error of decimals such as 1.234 ms.
    if (std::abs(us - rounded) > 1e-6)
        sink().warning(fieldPath,
            QStringLiteral("%1 ms is rounded to %2 ms: flash durations are whole microseconds")
                .arg(ms, 0, 'g', 12)
                .arg(rounded / 1000.0, 0, 'g', 12));
    return std::chrono::microseconds(qint64(rounded));
}

std::chrono::milliseconds ProtocolFields::toMilliseconds(double ms, const QString &fieldPath)
{
    const double rounded = std::round(ms);
    if (std::abs(ms - rounded) > 1e-9)
        sink().warning(fieldPath,
            QStringLiteral("%1 ms is rounded to %2 ms: step durations are whole milliseconds")
                .arg(ms, 0, 'g', 12)
                .arg(rounded, 0, 'f', 0));
    return std::chrono::milliseconds(qint64(rounded));
}

std::optional<std::vector<Flash>> ProtocolFields::readFlashes(const QJsonObject &o, const QString &path,
    bool illuminating, std::optional<std::chrono::microseconds> defaultDuration)
{
    const Field<QJsonArray> array = this->array(o, QStringLiteral("flashes"), path, true);
    if (!array)
        return std::nullopt;
    const QString arrayPath = jsonPathKey(path, QStringLiteral("flashes"));
    std::vector<Flash> flashes;
    for (qsizetype i = 0; i < array->size(); ++i) {
        const QString flashPath = jsonPathIndex(arrayPath, i);
        if (!expectObject(array->at(i), flashPath))
            continue;
        if (auto flash = readFlash(array->at(i).toObject(), flashPath, illuminating, defaultDuration))
            flashes.push_back(std::move(*flash));
    }
    return flashes;
}

std::optional<Flash> ProtocolFields::readFlash(const QJsonObject &o, const QString &path, bool illuminating,
    std::optional<std::chrono::microseconds> defaultDuration)
{
    warnUnknownKeys(o, path,
        {QStringLiteral("led"), QStringLiteral("duration_ms"), QStringLiteral("intensity_per_mille")});
    Flash flash;
    flash.sourcePath = path;
    const Field<QString> led = string(o, QStringLiteral("led"), path, true);
    bool ok = led.usable();
    flash.led = led.value;

    // In an illuminate step the light lasts as long as the step unless said otherwise.
    const Field<double> ms = number(o, QStringLiteral("duration_ms"), path, !illuminating);
    const bool representable = ms.usable() && std::abs(ms.value) <= ProtocolLimits::kMaxRepresentableMs;
    if (representable) {
        flash.duration = toMicroseconds(ms.value, jsonPathKey(path, QStringLiteral("duration_ms")));
    } else if (ms.usable()) {
        ProtocolLimits::checkFlashMs(ms.value, path, sink());
        ok = false;
    } else if (!ms.present && defaultDuration) {
        flash.duration = *defaultDuration;
    } else {
        ok = false;
    }

    const Field<double> intensity
        = readIntensity(o, QStringLiteral("intensity_per_mille"), path, path, flash.intensityPerMille);
    if (ok)
        return flash;
    // Left out of the model: check what could be read, since validation will not see it.
    if (representable)
        ProtocolLimits::checkFlashMs(ms.value, path, sink());
    if (intensity.usable() && std::abs(intensity.value) <= kMaxInt)
        ProtocolLimits::checkIntensity(intensity.value, path, sink());
    return std::nullopt;
}

Field<double> ProtocolFields::readIntensity(
    const QJsonObject &o, const QString &key, const QString &path, const QString &limitPath, int &perMille)
{
    const Field<double> intensity = wholeNumber(o, key, path, false);
    if (intensity.usable()) {
        if (std::abs(intensity.value) <= kMaxInt)
            perMille = int(intensity.value);  // out of range but representable: the validator says so
        else
            ProtocolLimits::checkIntensity(intensity.value, limitPath, sink());
    }
    return intensity;
}

void ProtocolFields::readIterations(
    const QJsonObject &o, const QString &path, const QString &limitPath, int &iterations)
{
    const Field<double> n = wholeNumber(o, QStringLiteral("iterations"), path, false);
    if (!n.usable())
        return;
    if (std::abs(n.value) <= kMaxInt)
        iterations = int(n.value);  // out of range but representable: the validator says so
    else
        ProtocolLimits::checkIterations(n.value, limitPath, sink());
}

std::optional<std::chrono::milliseconds> ProtocolFields::readStepDuration(const QJsonObject &o,
    const QString &path, const QString &key, bool (*check)(double, const QString &, DiagnosticSink &),
    const QString &limitPath)
{
    const Field<double> ms = number(o, key, path, true);
    if (!ms.usable())
        return std::nullopt;
    if (std::abs(ms.value) > ProtocolLimits::kMaxRepresentableMs) {
        check(ms.value, limitPath, sink());
        return std::nullopt;
    }
    return toMilliseconds(ms.value, jsonPathKey(path, key));
}

}  // namespace scopesync::core::protocol
