// ProtocolReader: reads a protocol file, native ScopeSync JSON or 454 Bio *.454sp.json, with every problem.
#pragma once

#include "core/common/diagnostics.h"
#include "core/protocol/protocol.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace scopesync::core::protocol {

// The formats are described where they are read: native_protocol_reader.h (ScopeSync's own) and
// legacy_454_importer.h (454 Bio); resources/protocols/README.md is the user-facing version.
struct ReadResult {
    // Set whenever the file's structure could be read, even when `diagnostics` has errors (the
    // unreadable parts are left out), so validateProtocol() can report the remaining problems in the
    // same pass. Run a protocol only when neither step found an error.
    std::optional<Protocol> protocol;
    Diagnostics diagnostics;
};

class ProtocolReader {
public:
    static constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;

    static ReadResult readFile(const QString &path);
    // Detects the format by content; a `fileNameHint` ending in ".454sp.json" decides when the content
    // does not (a 454 file missing its event_type is then reported as such).
    static ReadResult readBytes(const QByteArray &bytes, const QString &fileNameHint = {});
};

}  // namespace scopesync::core::protocol
