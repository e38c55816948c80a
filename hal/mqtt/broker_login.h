// BrokerLogin: builds MqttOptions from the command line's broker address, account and TLS files.
#pragma once

#include "core/common/result.h"
#include "core/fleet/fleet_link.h"
#include "hal/mqtt/mqtt_client.h"

namespace scopesync::hal::mqtt {

struct BrokerLogin {
    QString broker;  // mqtt://host:port or mqtts://host:port
    QString user;
    QString passwordFile;  // first line is the password; keeps it out of `ps` and shell history
    QString caFile;
    QString certFile;
    QString keyFile;
    bool tlsInsecure = false;

    static BrokerLogin from(const core::fleet::FleetLogin &login)
    {
        return {
            login.broker, login.user, login.passwordFile, login.caFile, login.certFile, login.keyFile, false};
    }

    // Reads the password file; mqtts:// or any TLS file turns TLS on.
    [[nodiscard]] core::Result<MqttOptions> options(const QString &clientId) const;
};

}  // namespace scopesync::hal::mqtt
