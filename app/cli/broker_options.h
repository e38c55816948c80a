// BrokerOptions: the broker, fleet, account and TLS options that `fleet` and `follow` share.
#pragma once

#include "core/fleet/fleet_link.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace scopesync::app {

class BrokerOptions {
public:
    // `fleetHelp` and `userHelp` say what the fleet name and the account mean to this command.
    BrokerOptions(const QString &fleetHelp, const QString &userHelp);

    [[nodiscard]] QList<QCommandLineOption> options() const { return {broker, fleet, user, password, ca, cert, key}; }
    // --broker and --fleet were given; otherwise prints the usage error for `command`.
    bool requiredGiven(const QCommandLineParser &parser, const QString &command) const;
    [[nodiscard]] core::fleet::FleetLogin login(const QCommandLineParser &parser) const;

    const QCommandLineOption broker;
    const QCommandLineOption fleet;
    const QCommandLineOption user;
    const QCommandLineOption password;
    const QCommandLineOption ca;
    const QCommandLineOption cert;
    const QCommandLineOption key;
};

}  // namespace scopesync::app
