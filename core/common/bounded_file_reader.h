// BoundedFileReader: reads an input file once, whole, refusing devices and anything past a size limit.
#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QString>

#include <chrono>

namespace scopesync::core {

// Every file a user names (rig, protocol, camera config, password, calibration profile) is read through
// here, once: a regular file, or a pipe such as a shell's <(…) that ends within `streamTimeout`. Devices
// (/dev/zero, /dev/urandom, a camera node), directories and sockets are refused before any byte is read;
// the size limit is enforced while reading, so a file that grows or lies about its size is stopped at
// `maxBytes` + 1 bytes. Errors name the file and the limit.
class BoundedFileReader {
public:
    // `what` names the input in errors: "rig file", "protocol", "password file".
    static Result<QByteArray> read(const QString &path, qint64 maxBytes, const QString &what,
        std::chrono::milliseconds streamTimeout = std::chrono::seconds(10));

    // "1 MiB", "16 MiB", "512 bytes": the limit as errors state it.
    static QString sizeText(qint64 bytes);
};

}  // namespace scopesync::core
