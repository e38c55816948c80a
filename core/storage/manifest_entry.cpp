// ManifestEntry: the JSON shape of a manifest line (keys are snake_case, stable across versions).
#include "core/storage/manifest_entry.h"

namespace scopesync::core::storage {

QString ManifestEntry::crc32Hex() const
{
    return QStringLiteral("%1").arg(crc32, 8, 16, QLatin1Char('0'));
}

QJsonObject ManifestEntry::toJson() const
{
    // 64-bit integers go through doubles in JSON; nanosecond timestamps below 2^53 (104 days of uptime)
    // are exact, so they are also written as strings for readers that care.
    return QJsonObject {
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
    return e;
}

}  // namespace scopesync::core::storage
