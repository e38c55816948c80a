// BrokerLogin: builds MqttOptions from the command line's broker address, account and TLS files.
#include "hal/mqtt/broker_login.h"

#include "core/common/bounded_file_reader.h"
#include "core/fleet/broker_url.h"

#include <QFile>

namespace scopesync::hal::mqtt {

core::Result<MqttOptions> BrokerLogin::options(const QString &clientId) const
{
    auto url = core::fleet::BrokerUrl::parse(broker);
    if (!url.ok())
        return url.error();
    MqttOptions o;
    o.host = url->host;
    o.port = url->port;
    o.clientId = clientId;
    o.username = user;
    if (!passwordFile.isEmpty()) {
        // A password file is one line: 64 KiB is generous and keeps /dev/zero or a FIFO from hanging.
        auto bytes = core::BoundedFileReader::read(passwordFile, 64 * 1024, QStringLiteral("password file"));
        if (!bytes.ok())
            return core::Error {bytes.error().message, QStringLiteral("--password-file")};
        const qsizetype eol = bytes->indexOf('\n');
        o.password = QString::fromUtf8(eol < 0 ? *bytes : bytes->first(eol)).trimmed();
        if (o.password.isEmpty())
            return core::Error {
                QStringLiteral("the password file's first line is empty"), QStringLiteral("--password-file")};
        if (user.isEmpty())
            return core::Error {
                QStringLiteral("a password needs a user name; add --user"), QStringLiteral("--user")};
    }
    if (url->tls || !caFile.isEmpty() || !certFile.isEmpty()) {
        if (caFile.isEmpty())
            return core::Error {
                QStringLiteral("TLS needs the CA certificate that signed the broker's; add --ca-file"),
                QStringLiteral("--ca-file")};
        if (certFile.isEmpty() != keyFile.isEmpty())
            return core::Error {
                QStringLiteral("a client certificate needs its key and the other way round; give "
                               "both --cert-file and --key-file"),
                QStringLiteral("--cert-file")};
        o.tls = TlsOptions {caFile, certFile, keyFile, tlsInsecure};
    }
    return o;
}

}  // namespace scopesync::hal::mqtt
