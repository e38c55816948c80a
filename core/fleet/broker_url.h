// BrokerUrl: the --broker argument, mqtt://host[:port] or mqtts://host[:port] (TLS).
#pragma once

#include "core/common/result.h"

#include <QString>

namespace scopesync::core::fleet {

struct BrokerUrl {
    QString host;
    int port = 1883;
    bool tls = false;

    // Accepts "mqtt://host:1883", "mqtts://host:8883", "host" and "host:port"; IPv6 as [::1].
    static Result<BrokerUrl> parse(const QString &text);
    [[nodiscard]] QString toString() const;
};

}  // namespace scopesync::core::fleet
