// A mosquitto on 127.0.0.1 for the fleet test and benchmark: free ports, the ACL of docs/fleet.md, its
// config.
#pragma once

#include <QByteArray>
#include <QStandardPaths>
#include <QString>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace scopesync::testing {

// Also looks in the sbin directories, where Debian puts mosquitto.
inline QString findTool(const QString &name)
{
    QString p = QStandardPaths::findExecutable(name);
    if (p.isEmpty())
        p = QStandardPaths::findExecutable(name, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
    return p;
}

inline int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

inline bool loopbackPortOpen(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

// docs/fleet.md's ACL: only the leader writes commands; each follower writes only its own topics.
inline QByteArray fleetAcl()
{
    return "user leader\n"
           "topic write scopesync/+/command\n"
           "topic read scopesync/+/status/+\n"
           "topic read scopesync/+/reply/+\n"
           "pattern read scopesync/+/command\n"
           "pattern readwrite scopesync/+/status/%u\n"
           "pattern write scopesync/+/reply/%u\n";
}

// A password-only listener on 127.0.0.1:port with that ACL, no persistence.
inline QByteArray brokerConfig(int port, const QString &passwordFile, const QString &aclFile)
{
    QByteArray conf
        = QStringLiteral("listener %1 127.0.0.1\nallow_anonymous false\npassword_file %2\nacl_file %3\n"
                         "persistence false\nmax_queued_messages 10000\n")
              .arg(port)
              .arg(passwordFile, aclFile)
              .toUtf8();
    // Started as root, mosquitto would drop to the 'mosquitto' user, who cannot read our files.
    if (geteuid() == 0)
        conf += QByteArray("user ") + getpwuid(geteuid())->pw_name + '\n';
    return conf;
}

}  // namespace scopesync::testing
