// ProtocolFields: the JSON reader plus the protocol values both file formats write alike.
#include "core/protocol/protocol_fields.h"

#include <cmath>

namespace scopesync::core::protocol {

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

}  // namespace scopesync::core::protocol
