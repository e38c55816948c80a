// ManifestEntry: the JSON shape of a manifest line (keys are snake_case, stable across versions).
#include "core/storage/manifest_entry.h"

#include <QJsonArray>

namespace scopesync::core::storage {

QString ManifestEntry::crc32Hex() const
{
    return QStringLiteral("%1").arg(crc32, 8, 16, QLatin1Char('0'));
}

QJsonObject ManifestEntry::toJson() const
{
    // 64-bit integers go through doubles in JSON; nanosecond timestamps below 2^53 (104 days of uptime)
    // are exact, so they are also written as strings for readers that care.
    QJsonObject o {
        {QStringLiteral("file"), file},
        {QStringLiteral("frame"), frameIndex},
        {QStringLiteral("label"), label},
        {QStringLiteral("led"), led},
        {QStringLiteral("monotonic_ns"), QString::number(monotonicNs)},
        {QStringLiteral("wall_time"), wallTime},
        {QStringLiteral("bytes"), bytes},
        {QStringLiteral("crc32"), crc32Hex()},
        {QStringLiteral("width"), width},
        {QStringLiteral("height"), height},
    };
    if (!filter.isEmpty())
        o.insert(QStringLiteral("filter"), filter);
    if (!filterInPlace.isEmpty())
        o.insert(QStringLiteral("filter_in_place"), filterInPlace);
    if (focusSteps)
        o.insert(QStringLiteral("focus_steps"), *focusSteps);
    if (temperatureKelvin)
        o.insert(QStringLiteral("temperature_k"), *temperatureKelvin);
    if (setPointKelvin)
        o.insert(QStringLiteral("set_point_k"), *setPointKelvin);
    if (!doseProblems.isEmpty())
        o.insert(QStringLiteral("dose_errors"), QJsonArray::fromStringList(doseProblems));
    if (retake > 0)
        o.insert(QStringLiteral("retake"), retake);
    return o;
}

std::optional<ManifestEntry> ManifestEntry::fromJson(const QJsonObject &o)
{
    const auto file = o.value(QStringLiteral("file"));
    const auto frame = o.value(QStringLiteral("frame"));
    const auto bytes = o.value(QStringLiteral("bytes"));
    const auto crc = o.value(QStringLiteral("crc32"));
    if (!file.isString() || file.toString().isEmpty() || !frame.isDouble() || !bytes.isDouble()
        || !crc.isString())
        return std::nullopt;
    bool ok = false;
    const auto crcValue = crc.toString().toUInt(&ok, 16);
    if (!ok)
        return std::nullopt;
    ManifestEntry e;
    e.file = file.toString();
    e.frameIndex = frame.toInteger();
    e.label = o.value(QStringLiteral("label")).toString();
    e.led = o.value(QStringLiteral("led")).toString();
    e.monotonicNs = o.value(QStringLiteral("monotonic_ns")).toString().toLongLong();
    e.wallTime = o.value(QStringLiteral("wall_time")).toString();
    e.bytes = bytes.toInteger();
    e.crc32 = crcValue;
    e.width = o.value(QStringLiteral("width")).toInt();
    e.height = o.value(QStringLiteral("height")).toInt();
    // Optional: manifests written before the instrument's devices were recorded have none of these.
    e.filter = o.value(QStringLiteral("filter")).toString();
    e.filterInPlace = o.value(QStringLiteral("filter_in_place")).toString();
    if (const auto v = o.value(QStringLiteral("focus_steps")); v.isDouble())
        e.focusSteps = v.toInt();
    if (const auto v = o.value(QStringLiteral("temperature_k")); v.isDouble())
        e.temperatureKelvin = v.toDouble();
    if (const auto v = o.value(QStringLiteral("set_point_k")); v.isDouble())
        e.setPointKelvin = v.toDouble();
    for (const auto &v : o.value(QStringLiteral("dose_errors")).toArray())
        e.doseProblems << v.toString();
    if (const auto v = o.value(QStringLiteral("retake")); v.isDouble())
        e.retake = v.toInt();
    return e;
}

}  // namespace scopesync::core::storage
