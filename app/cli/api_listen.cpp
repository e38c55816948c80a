// The API server's listening options.
#include "app/cli/api_listen.h"

#include "app/api/api_security.h"
#include "app/api/api_server.h"
#include "app/cli/cli_output.h"

#include <QDir>

namespace scopesync::app {

ApiListenOptions::ApiListenOptions(const QString &p)
    : prefix(p),
      tokenFile(p + QStringLiteral("token-file"),
          QStringLiteral("A file of mode 600 holding the bearer token (at least 16 characters)%1.")
              .arg(p.isEmpty() ? QStringLiteral("; required") : QStringLiteral("; turns the API on")),
          QStringLiteral("FILE")),
      port(p + QStringLiteral("port"), QStringLiteral("TCP port of the API (default 8750)."),
          QStringLiteral("PORT"), QStringLiteral("8750")),
      eventsPort(p + QStringLiteral("events-port"),
          QStringLiteral(
              "TCP port pushing run events over WebSocket (default: the API's port + 1; 0 with port 0)."),
          QStringLiteral("PORT")),
      bind(p + QStringLiteral("bind"),
          QStringLiteral("Address the API listens on (default 127.0.0.1, this machine only)."),
          QStringLiteral("ADDRESS"), QStringLiteral("127.0.0.1")),
      protocols(p + QStringLiteral("protocols"),
          QStringLiteral(
              "Folder of protocols that POST /api/v1/runs {\"name\": ...} may run (default: protocols)."),
          QStringLiteral("DIR"), QStringLiteral("protocols"))
{
}

void ApiListenOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({tokenFile, port, eventsPort, bind, protocols});
}

ApiListenRead readApiListen(const QCommandLineParser &parser, const ApiListenOptions &o)
{
    const auto usage = [](const QString &why) { return ApiListenRead {std::nullopt, why, kExitUsage}; };
    const QString p = QStringLiteral("--") + o.prefix;
    if (!parser.isSet(o.tokenFile))
        return usage(
            QStringLiteral("%1token-file FILE is required: write a secret to a file and 'chmod 600' it, "
                           "e.g. 'head -c 32 /dev/urandom | base64 > token && chmod 600 token'.")
                .arg(p));
    const auto token = api::readTokenFile(parser.value(o.tokenFile));
    if (!token.ok())
        return {std::nullopt, token.error().toString(), kExitInvalidInput};
    bool ok = false;
    const uint port = parser.value(o.port).toUInt(&ok);
    if (!ok || port > 65535)
        return usage(QStringLiteral("%1port takes a TCP port from 0 to 65535, not '%2'.")
                         .arg(p, parser.value(o.port)));
    uint events = port == 0 ? 0 : port + 1;
    if (parser.isSet(o.eventsPort)) {
        events = parser.value(o.eventsPort).toUInt(&ok);
        if (!ok || events > 65535 || (events == port && port != 0))
            return usage(
                QStringLiteral("%1events-port takes a TCP port from 0 to 65535 other than %1port, not '%2'.")
                    .arg(p, parser.value(o.eventsPort)));
    } else if (events > 65535) {
        return usage(
            QStringLiteral("%1port 65535 leaves no port for the run events; give %1events-port.").arg(p));
    }
    const QHostAddress address(parser.value(o.bind));
    if (address.isNull())
        return usage(QStringLiteral("%1bind takes an IP address such as 127.0.0.1, not '%2'.")
                         .arg(p, parser.value(o.bind)));
    const QDir protocols(parser.value(o.protocols));
    if (!protocols.exists())
        return {std::nullopt,
            QStringLiteral("the protocols folder '%1' does not exist; create it or give %2protocols DIR.")
                .arg(parser.value(o.protocols), p),
            kExitInvalidInput};
    return {ApiListen {*token, address, quint16(port), quint16(events), protocols.absolutePath()}, {}, 0};
}

std::optional<QString> startApi(
    api::ApiServer &server, const ApiListen &listen, const ApiListenOptions &options, QString *error)
{
    const QString host = listen.address.toString();
    const quint16 bound = server.listen(listen.address, listen.port, listen.eventsPort);
    if (bound == 0) {
        const QString p = QStringLiteral("--") + options.prefix;
        *error = QStringLiteral("cannot listen on %1:%2 (in use, or not an address of this machine); give "
                                "another %3port, %3events-port or %3bind.")
                     .arg(host)
                     .arg(listen.port)
                     .arg(p);
        return std::nullopt;
    }
    const QString url = QStringLiteral("http://%1:%2/api/v1/").arg(host).arg(bound);
    printOut(QStringLiteral("listening on %1").arg(url));
    printOut(QStringLiteral("run events pushed on ws://%1:%2/api/v1/runs/{id}/events")
                 .arg(host)
                 .arg(server.eventsPort()));
    return url;
}

}  // namespace scopesync::app
