// MqttClient: a small adapter over libmosquitto — authenticated, optionally TLS, QoS 1, its own thread.
#include "hal/mqtt/mqtt_client.h"

#include <algorithm>
#include <mosquitto.h>
#include <mutex>
#include <thread>

namespace scopesync::hal::mqtt {

namespace {
std::once_flag g_libInit;

core::Error mqttError(const QString &what, int code)
{
    return core::Error {
        QStringLiteral("%1: %2").arg(what, MqttClient::errorText(code)), QStringLiteral("mqtt")};
}

core::Error tlsFailure(const MqttOptions &options, const QString &libraryText)
{
    return core::Error {QStringLiteral("the TLS connection to the broker at %1:%2 failed (%3); check that "
                                       "--ca-file holds the CA that signed the broker's certificate and that "
                                       "the certificate names the host you connect to")
                            .arg(options.host)
                            .arg(options.port)
                            .arg(libraryText),
        QStringLiteral("mqtt")};
}
}  // namespace

QString MqttClient::errorText(int code)
{
    return QString::fromUtf8(mosquitto_strerror(code));
}

MqttClient::MqttClient() = default;

MqttClient::~MqttClient()
{
    disconnect();
}

core::Result<std::unique_ptr<MqttClient>> MqttClient::connectRetrying(const MqttOptions &options,
    const std::function<bool()> &stop,
    const std::function<void(const core::Error &, std::chrono::seconds)> &onRetry)
{
    std::chrono::seconds delay {1};
    for (;;) {
        bool unreachable = false;
        auto client = connect(options, std::chrono::seconds(10), &unreachable);
        if (client.ok() || !unreachable || stop())
            return client;
        if (onRetry)
            onRetry(client.error(), delay);
        // Sleep in short steps so that a stop request is seen within a tenth of a second.
        const auto until = std::chrono::steady_clock::now() + delay;
        while (std::chrono::steady_clock::now() < until) {
            if (stop())
                return client;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        delay = std::min(delay * 2, std::chrono::seconds(10));
    }
}

core::Result<std::unique_ptr<MqttClient>> MqttClient::connect(
    const MqttOptions &options, std::chrono::milliseconds timeout, bool *unreachable)
{
    if (unreachable)
        *unreachable = false;
    std::call_once(g_libInit, [] { mosquitto_lib_init(); });
    std::unique_ptr<MqttClient> c(new MqttClient);
    const QByteArray id = options.clientId.toUtf8();
    c->m_mosq = mosquitto_new(id.isEmpty() ? nullptr : id.constData(), true, c.get());
    if (!c->m_mosq)
        return core::Error {
            QStringLiteral("could not create an MQTT client (out of memory)"), QStringLiteral("mqtt")};
    mosquitto_int_option(c->m_mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    // Fleet messages are small and latency-bound. With Nagle's algorithm a follower's pong, written right
    // after the PUBACK of the ping it answers, waits for the broker's delayed ACK (40 ms on Linux).
    mosquitto_int_option(c->m_mosq, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_connect_callback_set(c->m_mosq, &MqttClient::onConnect);
    mosquitto_disconnect_callback_set(c->m_mosq, &MqttClient::onDisconnect);
    mosquitto_message_callback_set(c->m_mosq, &MqttClient::onMessage);
    mosquitto_publish_callback_set(c->m_mosq, &MqttClient::onPublish);
    mosquitto_log_callback_set(c->m_mosq, &MqttClient::onLog);
    // Reconnect after a broker restart or network loss: 1 s, doubling, at most 10 s.
    mosquitto_reconnect_delay_set(c->m_mosq, 1, 10, true);

    if (!options.username.isEmpty()) {
        const QByteArray u = options.username.toUtf8();
        const QByteArray p = options.password.toUtf8();
        if (int rc
            = mosquitto_username_pw_set(c->m_mosq, u.constData(), p.isEmpty() ? nullptr : p.constData());
            rc != MOSQ_ERR_SUCCESS)
            return mqttError(QStringLiteral("setting the user name failed"), rc);
    }
    if (options.tls) {
        const QByteArray ca = options.tls->caFile.toLocal8Bit();
        const QByteArray cert = options.tls->certFile.toLocal8Bit();
        const QByteArray key = options.tls->keyFile.toLocal8Bit();
        if (int rc = mosquitto_tls_set(c->m_mosq, ca.isEmpty() ? nullptr : ca.constData(), nullptr,
                cert.isEmpty() ? nullptr : cert.constData(), key.isEmpty() ? nullptr : key.constData(),
                nullptr);
            rc != MOSQ_ERR_SUCCESS)
            return mqttError(
                QStringLiteral("TLS set-up failed (check --ca-file, --cert-file, --key-file)"), rc);
        if (options.tls->insecure)
            mosquitto_tls_insecure_set(c->m_mosq, true);
    }
    if (!options.willTopic.isEmpty()) {
        const QByteArray t = options.willTopic.toUtf8();
        if (int rc = mosquitto_will_set(c->m_mosq, t.constData(), int(options.willPayload.size()),
                options.willPayload.constData(), 1, options.willRetain);
            rc != MOSQ_ERR_SUCCESS)
            return mqttError(QStringLiteral("setting the last will failed"), rc);
    }
    const QByteArray host = options.host.toUtf8();
    if (int rc
        = mosquitto_connect_async(c->m_mosq, host.constData(), options.port, int(options.keepAlive.count()));
        rc != MOSQ_ERR_SUCCESS) {
        if (rc == MOSQ_ERR_TLS) {
            const std::lock_guard lock(c->m_mutex);
            return tlsFailure(options, c->m_tlsError.isEmpty() ? errorText(rc) : c->m_tlsError);
        }
        if (unreachable)
            *unreachable = true;
        return mqttError(
            QStringLiteral("cannot reach the broker at %1:%2").arg(options.host).arg(options.port), rc);
    }
    if (int rc = mosquitto_loop_start(c->m_mosq); rc != MOSQ_ERR_SUCCESS)
        return mqttError(QStringLiteral("cannot start the MQTT network thread"), rc);
    c->m_loopRunning = true;

    std::unique_lock lock(c->m_mutex);
    if (!c->m_changed.wait_for(
            lock, timeout, [&] { return c->m_connack.has_value() || !c->m_tlsError.isEmpty(); })) {
        if (!c->m_tlsError.isEmpty())
            return tlsFailure(options, c->m_tlsError);
        if (unreachable)
            *unreachable = true;
        return core::Error {QStringLiteral("the broker at %1:%2 did not answer within %3 ms; is mosquitto "
                                           "running and the address right?")
                                .arg(options.host)
                                .arg(options.port)
                                .arg(timeout.count()),
            QStringLiteral("mqtt")};
    }
    if (!c->m_connack)
        return tlsFailure(options, c->m_tlsError);
    if (*c->m_connack != 0)
        return core::Error {QStringLiteral("the broker refused the connection: %1 (check the user name and "
                                           "password file)")
                                .arg(QString::fromUtf8(mosquitto_connack_string(*c->m_connack))),
            QStringLiteral("mqtt")};
    lock.unlock();
    return c;
}

void MqttClient::setHandler(Handler handler)
{
    const std::lock_guard lock(m_mutex);
    m_handler = std::move(handler);
}

core::Status MqttClient::subscribe(const QString &topicFilter, int qos)
{
    {
        const std::lock_guard lock(m_mutex);
        m_subscriptions.emplace_back(topicFilter, qos);
    }
    const QByteArray t = topicFilter.toUtf8();
    if (int rc = mosquitto_subscribe(m_mosq, nullptr, t.constData(), qos); rc != MOSQ_ERR_SUCCESS)
        return mqttError(QStringLiteral("subscribing to %1 failed").arg(topicFilter), rc);
    return core::Ok {};
}

core::Status MqttClient::publish(const QString &topic, const QByteArray &payload, int qos, bool retain,
    bool waitAcked, std::chrono::milliseconds timeout)
{
    if (retain) {
        const std::lock_guard lock(m_mutex);
        m_retained[topic] = {payload, qos};
    }
    const QByteArray t = topic.toUtf8();
    int mid = 0;
    if (int rc = mosquitto_publish(
            m_mosq, &mid, t.constData(), int(payload.size()), payload.constData(), qos, retain);
        rc != MOSQ_ERR_SUCCESS)
        return mqttError(QStringLiteral("publishing to %1 failed").arg(topic), rc);
    if (!waitAcked || qos == 0)
        return core::Ok {};
    std::unique_lock lock(m_mutex);
    if (!m_changed.wait_for(lock, timeout, [&] { return m_acked.count(mid) > 0; }))
        return core::Error {QStringLiteral("the broker did not acknowledge the message to %1 within %2 ms")
                                .arg(topic)
                                .arg(timeout.count()),
            QStringLiteral("mqtt")};
    m_acked.erase(mid);
    return core::Ok {};
}

void MqttClient::disconnect(const QString &finalTopic, const QByteArray &finalPayload)
{
    if (!m_mosq)
        return;
    if (!finalTopic.isEmpty() && connected())
        (void)publish(finalTopic, finalPayload, 1, true, true, std::chrono::seconds(2));
    mosquitto_disconnect(m_mosq);
    if (m_loopRunning)
        mosquitto_loop_stop(m_mosq, false);
    m_loopRunning = false;
    mosquitto_destroy(m_mosq);
    m_mosq = nullptr;
}

bool MqttClient::connected() const
{
    const std::lock_guard lock(m_mutex);
    return m_connected;
}

void MqttClient::onConnect(mosquitto *m, void *self, int rc)
{
    auto *c = static_cast<MqttClient *>(self);
    std::vector<std::pair<QString, int>> subs;
    std::map<QString, std::pair<QByteArray, int>> retained;
    {
        const std::lock_guard lock(c->m_mutex);
        c->m_connack = rc;
        c->m_connected = rc == 0;
        subs = c->m_subscriptions;
        retained = c->m_retained;
    }
    c->m_changed.notify_all();
    if (rc != 0) {
        // A refused login does not get better by retrying: stop the reconnect loop.
        mosquitto_disconnect(m);
        return;
    }
    // Clean sessions forget subscriptions: renew them after every reconnect.
    for (const auto &[topic, qos] : subs) {
        const QByteArray t = topic.toUtf8();
        mosquitto_subscribe(m, nullptr, t.constData(), qos);
    }
    // The state this client keeps on the broker, again: the broker may have published the will since.
    for (const auto &[topic, message] : retained) {
        const QByteArray t = topic.toUtf8();
        mosquitto_publish(m, nullptr, t.constData(), int(message.first.size()), message.first.constData(),
            message.second, true);
    }
}

void MqttClient::onLog(mosquitto *, void *self, int level, const char *text)
{
    // The library reports a failed TLS handshake only through its log ("OpenSSL Error[0]: …certificate
    // verify failed"), then keeps retrying: catch it so the caller hears why at once.
    if (level != MOSQ_LOG_ERR || !text)
        return;
    const QString line = QString::fromUtf8(text);
    if (!line.contains(QLatin1String("OpenSSL"), Qt::CaseInsensitive)
        && !line.contains(QLatin1String("TLS"), Qt::CaseInsensitive))
        return;
    auto *c = static_cast<MqttClient *>(self);
    {
        const std::lock_guard lock(c->m_mutex);
        if (c->m_tlsError.isEmpty())
            c->m_tlsError = line;
    }
    c->m_changed.notify_all();
}

void MqttClient::onDisconnect(mosquitto *, void *self, int)
{
    auto *c = static_cast<MqttClient *>(self);
    {
        const std::lock_guard lock(c->m_mutex);
        c->m_connected = false;
    }
    c->m_changed.notify_all();
}

void MqttClient::onMessage(mosquitto *, void *self, const mosquitto_message *msg)
{
    auto *c = static_cast<MqttClient *>(self);
    Handler h;
    {
        const std::lock_guard lock(c->m_mutex);
        h = c->m_handler;
    }
    if (!h || !msg)
        return;
    MqttMessage m;
    m.topic = QString::fromUtf8(msg->topic);
    m.payload = QByteArray(static_cast<const char *>(msg->payload), msg->payloadlen);
    m.retained = msg->retain;
    h(m);
}

void MqttClient::onPublish(mosquitto *, void *self, int mid)
{
    auto *c = static_cast<MqttClient *>(self);
    {
        const std::lock_guard lock(c->m_mutex);
        c->m_acked.insert(mid);
        // Nobody waits for most acknowledgements: keep only the most recent ones.
        while (c->m_acked.size() > 4096)
            c->m_acked.erase(c->m_acked.begin());
    }
    c->m_changed.notify_all();
}

}  // namespace scopesync::hal::mqtt
