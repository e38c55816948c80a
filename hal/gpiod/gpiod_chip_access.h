// Opening a GPIO chip and explaining why it failed: missing chip, no permission (naming the group), busy
// line.
#pragma once

#include "core/common/result.h"

#include <QString>

#include <optional>

namespace scopesync::hal::gpiod {

// "gpiochip0", "/dev/gpiochip0" or "0" → "/dev/gpiochip0".
QString chipDevicePath(const QString &chip);

// The error for a chip that could not be opened, from errno: a missing chip lists the chips that
// exist; a refused one names the group owning the device node and the command that adds the user.
core::Error chipOpenError(const QString &chip, int errorNumber);

// The error for a line that could not be requested; `consumer` is the current holder when known.
core::Error lineRequestError(
    const QString &chip, int offset, const QString &role, int errorNumber, const QString &consumer);

// Who holds a line: nullopt when free, else the consumer's name ("unnamed" when it gave none).
core::Result<std::optional<QString>> lineConsumer(const QString &chip, int offset);

// The libgpiod version this build was compiled and runs against, e.g. "1.6.3".
QString libgpiodVersion();

}  // namespace scopesync::hal::gpiod
