// MessageCodec: JSON encoding and strict decoding of every fleet message, with errors naming the field.
#pragma once

#include "core/common/result.h"
#include "core/fleet/fleet_messages.h"

#include <QByteArray>
#include <QJsonObject>

#include <variant>

namespace scopesync::core::fleet {

using Reply = std::variant<CaptureResult, Refusal, Pong>;

class MessageCodec {
public:
    static QByteArray encode(const Command &c);
    static QByteArray encode(const CaptureResult &r);
    static QByteArray encode(const Refusal &r);
    static QByteArray encode(const Pong &p);
    static QByteArray encode(const FollowerStatus &s);
    static QJsonObject toJson(const ClockState &c);
    static QJsonObject toJson(const CaptureResult &r);

    // Strict: unknown schema, missing or mistyped fields are errors whose `where` is the JSON path.
    static Result<Command> decodeCommand(const QByteArray &bytes);
    static Result<Reply> decodeReply(const QByteArray &bytes);
    static Result<FollowerStatus> decodeStatus(const QByteArray &bytes);

    // The id a malformed command carried, if any could be read (so a refusal can name it).
    static QString bestEffortId(const QByteArray &bytes);
    // Ids are also folder names: 1–64 characters of A–Z a–z 0–9 _ -.
    static bool isValidId(const QString &id);
};

}  // namespace scopesync::core::fleet
