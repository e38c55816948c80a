// MqttFleetLink: core's FleetLink over MqttClient.
#include "hal/mqtt/mqtt_fleet_link.h"

#include "hal/mqtt/broker_login.h"

namespace scopesync::hal::mqtt {

void MqttFleetLink::setHandler(Handler handler)
{
    m_client->setHandler([h = std::move(handler)](const MqttMessage &m) { h({m.topic, m.payload}); });
}

core::Status MqttFleetLink::subscribe(const QString &topicFilter)
{
    return m_client->subscribe(topicFilter);
}

core::Status MqttFleetLink::publish(const QString &topic, const QByteArray &payload, bool waitAcked)
{
    return m_client->publish(topic, payload, 1, false, waitAcked);
}

void MqttFleetLink::disconnect()
{
    if (m_disconnected)
        return;
    m_disconnected = true;
    m_client->disconnect();
}

core::Result<std::unique_ptr<core::fleet::FleetLink>> connectLeader(
    const core::fleet::FleetLogin &login, const QString &clientId)
{
    auto options = BrokerLogin::from(login).options(clientId);
    if (!options.ok())
        return options.error();
    auto client = MqttClient::connect(options.value());
    if (!client.ok())
        return client.error();
    return std::unique_ptr<core::fleet::FleetLink>(
        std::make_unique<MqttFleetLink>(std::move(client.value())));
}

}  // namespace scopesync::hal::mqtt
