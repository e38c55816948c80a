// The API server's listening options, shared by `scopesync serve` and `scopesync gui --api-token-file`:
// the token file, the ports, the address and the protocols folder, each checked with a sentence naming the
// option and the fix.
#pragma once

#include <QByteArray>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QHostAddress>
#include <QString>

#include <optional>

namespace scopesync::app {

namespace api {
class ApiServer;
}

struct ApiListenOptions {
    // `prefix` is put before each option's name: "" for serve (--port), "api-" for gui (--api-port).
    explicit ApiListenOptions(const QString &prefix);
    void addTo(QCommandLineParser &parser) const;

    QString prefix;
    QCommandLineOption tokenFile;
    QCommandLineOption port;
    QCommandLineOption eventsPort;
    QCommandLineOption bind;
    QCommandLineOption protocols;
};

struct ApiListen {
    QByteArray token;
    QHostAddress address;
    quint16 port = 0;
    quint16 eventsPort = 0;
    QString protocolsDir;  // absolute
};

struct ApiListenRead {
    std::optional<ApiListen> listen;  // none: `error` says why, and `exitCode` is the command's exit code
    QString error;
    int exitCode = 0;
};

// Reads and checks the options (the token file is required).
ApiListenRead readApiListen(const QCommandLineParser &parser, const ApiListenOptions &options);

// Starts `server` listening as `listen` says and prints where (scripts that start it on port 0 read the
// port from the first line). The API's URL, or nullopt with `error` naming the options to change.
std::optional<QString> startApi(
    api::ApiServer &server, const ApiListen &listen, const ApiListenOptions &options, QString *error);

}  // namespace scopesync::app
