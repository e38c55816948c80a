// ProtocolWriter: writes a protocol in the native ScopeSync JSON format (see native_protocol_reader.h).
#pragma once

#include "core/common/result.h"
#include "core/protocol/protocol.h"

#include <QByteArray>
#include <QString>

namespace scopesync::core::protocol {

// Output is deterministic (fixed key order, two-space indent, durations in ms with at most three decimals),
// so read(write(p)) == p and writing what was read gives the same bytes: files diff cleanly in version
// control.
class ProtocolWriter {
public:
    static QByteArray toJson(const Protocol &protocol);
    // Atomic: the file is either the old one or the complete new one, never half written.
    static Status writeFile(const Protocol &protocol, const QString &path);
};

}  // namespace scopesync::core::protocol
