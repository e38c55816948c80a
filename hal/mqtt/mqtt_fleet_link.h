// MqttFleetLink: core's FleetLink over MqttClient (libmosquitto), and the leader's connect function.
#pragma once

#include "core/fleet/fleet_link.h"
#include "hal/mqtt/mqtt_client.h"

namespace scopesync::hal::mqtt {

class MqttFleetLink : public core::fleet::FleetLink {
public:
    explicit MqttFleetLink(std::unique_ptr<MqttClient> client) : m_client(std::move(client)) { }
    ~MqttFleetLink() override { MqttFleetLink::disconnect(); }

    void setHandler(Handler handler) override;
    core::Status subscribe(const QString &topicFilter) override;
    core::Status publish(const QString &topic, const QByteArray &payload, bool waitAcked) override;
    void disconnect() override;

private:
    std::unique_ptr<MqttClient> m_client;
    bool m_disconnected = false;
};

// Reads the password file, sets up TLS for mqtts:// and connects as `clientId`.
core::Result<std::unique_ptr<core::fleet::FleetLink>> connectLeader(
    const core::fleet::FleetLogin &login, const QString &clientId);

}  // namespace scopesync::hal::mqtt
