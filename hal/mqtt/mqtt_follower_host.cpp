// MqttFollowerHost: replies over MQTT, clock state, SCHED_FIFO for the hand-off.
#include "hal/mqtt/mqtt_follower_host.h"

#include <pthread.h>
#include <sched.h>

namespace scopesync::hal::mqtt {

namespace {
// SCHED_FIFO for the calling thread, then the old policy back. Where real-time scheduling is not
// permitted the thread stays as it was (the doctor says how to allow it).
class FifoBoost final : public core::fleet::PriorityBoost {
public:
    explicit FifoBoost(int priority)
    {
        if (pthread_getschedparam(pthread_self(), &m_policy, &m_param) != 0)
            return;
        sched_param fifo {};
        fifo.sched_priority = priority;
        m_raised = pthread_setschedparam(pthread_self(), SCHED_FIFO, &fifo) == 0;
    }
    ~FifoBoost() override
    {
        if (m_raised)
            pthread_setschedparam(pthread_self(), m_policy, &m_param);
    }
    FifoBoost(const FifoBoost &) = delete;
    FifoBoost &operator=(const FifoBoost &) = delete;

private:
    int m_policy = SCHED_OTHER;
    sched_param m_param {};
    bool m_raised = false;
};
}  // namespace

void MqttFollowerHost::publishReply(const QByteArray &payload)
{
    if (!m_client)
        return;
    if (auto s = m_client->publish(m_topics.reply(m_name), payload, 1, false); !s.ok())
        m_log(QStringLiteral("could not publish a reply: %1").arg(s.error().toString()));
}

std::unique_ptr<core::fleet::PriorityBoost> MqttFollowerHost::raisePriority(int priority)
{
    return std::make_unique<FifoBoost>(priority);
}

}  // namespace scopesync::hal::mqtt
