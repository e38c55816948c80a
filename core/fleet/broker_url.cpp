// BrokerUrl: the --broker argument, mqtt://host[:port] or mqtts://host[:port] (TLS).
#include "core/fleet/broker_url.h"

#include <QRegularExpression>

namespace scopesync::core::fleet {

Result<BrokerUrl> BrokerUrl::parse(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^(?:(mqtts?)://)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+)(?::([0-9]{1,5}))?/?$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return Error {
            QStringLiteral("'%1' is not a broker address; use mqtt://HOST:PORT or mqtts://HOST:PORT")
                .arg(text),
            QStringLiteral("--broker")};
    BrokerUrl u;
    u.tls = m.captured(1) == QLatin1String("mqtts");
    u.host = m.captured(2);
    if (u.host.startsWith(QLatin1Char('[')))
        u.host = u.host.mid(1, u.host.size() - 2);
    u.port = u.tls ? 8883 : 1883;
    if (!m.captured(3).isEmpty()) {
        const int p = m.captured(3).toInt();
        if (p < 1 || p > 65535)
            return Error {QStringLiteral("port %1 is out of range 1–65535").arg(m.captured(3)),
                QStringLiteral("--broker")};
        u.port = p;
    }
    return u;
}

QString BrokerUrl::toString() const
{
    const QString h = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host;
    return QStringLiteral("%1://%2:%3")
        .arg(tls ? QStringLiteral("mqtts") : QStringLiteral("mqtt"), h)
        .arg(port);
}

}  // namespace scopesync::core::fleet
