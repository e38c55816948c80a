// BrokerOptions: the broker, fleet, account and TLS options that `fleet` and `follow` share.
#include "app/cli/broker_options.h"

#include "app/cli/cli_output.h"

namespace scopesync::app {

BrokerOptions::BrokerOptions(const QString &fleetHelp, const QString &userHelp)
    : broker(QStringLiteral("broker"), QStringLiteral("mqtt://HOST:PORT or mqtts://HOST:PORT."), QStringLiteral("URL")),
      fleet(QStringLiteral("fleet"), fleetHelp, QStringLiteral("NAME")),
      user(QStringLiteral("user"), userHelp, QStringLiteral("U")),
      password(QStringLiteral("password-file"), QStringLiteral("File whose first line is the password."),
          QStringLiteral("F")),
      ca(QStringLiteral("ca-file"), QStringLiteral("TLS: the CA certificate."), QStringLiteral("FILE")),
      cert(QStringLiteral("cert-file"), QStringLiteral("TLS: client certificate."), QStringLiteral("FILE")),
      key(QStringLiteral("key-file"), QStringLiteral("TLS: client key."), QStringLiteral("FILE"))
{
}

bool BrokerOptions::requiredGiven(const QCommandLineParser &parser, const QString &command) const
{
    if (parser.isSet(broker) && parser.isSet(fleet))
        return true;
    printErr(QStringLiteral("scopesync %1: --broker and --fleet are required. Try 'scopesync %1 --help'.")
                 .arg(command));
    return false;
}

core::fleet::FleetLogin BrokerOptions::login(const QCommandLineParser &parser) const
{
    return {parser.value(broker), parser.value(fleet), parser.value(user), parser.value(password), parser.value(ca),
        parser.value(cert), parser.value(key)};
}

}  // namespace scopesync::app
