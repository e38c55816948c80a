// The API's guards: the token file, the bearer-token comparison and the protocols folder's boundary.
#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QString>

namespace scopesync::app::api {

// The token, trimmed, from a regular file of mode 600 owned by this user; anything else is refused with a
// sentence naming the file and the fix.
core::Result<QByteArray> readTokenFile(const QString &path);

// True when `header` is "Bearer <token>"; the comparison takes the same time wherever the first
// difference is.
bool bearerMatches(const QByteArray &header, const QByteArray &token);

// The canonical path of protocol `name` inside `folder`, or empty when the name is absolute, contains
// "..", does not exist or resolves (through links) outside the folder.
QString resolveProtocolName(const QString &folder, const QString &name);

}  // namespace scopesync::app::api
