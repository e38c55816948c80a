// MqttFollowerHost: core's FollowerHost on a follower machine — replies over MQTT, the clock state from
// chrony/linuxptp, SCHED_FIFO for the hand-off, messages on stderr.
#pragma once

#include "core/fleet/fleet_topics.h"
#include "core/fleet/follower_host.h"
#include "hal/clock/clock_probe.h"
#include "hal/mqtt/mqtt_client.h"

#include <functional>

namespace scopesync::hal::mqtt {

class MqttFollowerHost final : public core::fleet::FollowerHost {
public:
    // `client` is borrowed and may be set later (attach); `log` takes the operator's lines.
    MqttFollowerHost(core::fleet::FleetTopics topics, QString name, std::function<void(const QString &)> log)
        : m_topics(std::move(topics)), m_name(std::move(name)), m_log(std::move(log))
    {
    }
    void attach(MqttClient *client) { m_client = client; }

    void publishReply(const QByteArray &payload) override;
    [[nodiscard]] core::fleet::ClockState clockState() const override { return m_probe.read(); }
    std::unique_ptr<core::fleet::PriorityBoost> raisePriority(int priority) override;
    void log(const QString &line) override { m_log(line); }

private:
    core::fleet::FleetTopics m_topics;
    QString m_name;
    std::function<void(const QString &)> m_log;
    MqttClient *m_client = nullptr;
    clock::ClockProbe m_probe;
};

}  // namespace scopesync::hal::mqtt
