// FleetLink: the leader's port to the fleet's message broker (hal/mqtt implements it over libmosquitto).
#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace scopesync::core::fleet {

struct FleetMessage {
    QString topic;
    QByteArray payload;
};

class FleetLink {
public:
    // Called on the link's own network thread; must be quick and thread-safe.
    using Handler = std::function<void(const FleetMessage &)>;

    virtual ~FleetLink() = default;
    virtual void setHandler(Handler handler) = 0;  // before subscribing
    virtual Status subscribe(const QString &topicFilter) = 0;
    // QoS 1, not retained; with `waitAcked` returns once the broker has acknowledged it.
    virtual Status publish(const QString &topic, const QByteArray &payload, bool waitAcked) = 0;
    virtual void disconnect() = 0;
};

// Where the broker is and which account speaks for this machine (leader or follower), as on the command
// line (`scopesync fleet --help`, `scopesync follow --help`).
struct FleetLogin {
    QString broker;  // mqtt://host:port or mqtts://host:port
    QString fleet;
    QString user;
    QString passwordFile;
    QString caFile;
    QString certFile;
    QString keyFile;
};

// Connects (blocking, up to ~10 s); a refusal is an error naming the cause and the fix.
using FleetConnectFn = std::function<Result<std::unique_ptr<FleetLink>>(const FleetLogin &)>;

}  // namespace scopesync::core::fleet
