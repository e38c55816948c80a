// The API's guards: the token file, the bearer-token comparison and the protocols folder's boundary.
#include "app/api/api_security.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>
#include <unistd.h>

namespace scopesync::app::api {

core::Result<QByteArray> readTokenFile(const QString &path)
{
    const auto fail = [&path](const QString &why) {
        return core::Result<QByteArray>(core::Error {QStringLiteral("token file %1: %2").arg(path, why), {}});
    };
    struct stat st { };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return fail(QStringLiteral("cannot be read; create it with a secret on one line, then "
                                   "'chmod 600 %1'")
                        .arg(path));
    if (!S_ISREG(st.st_mode))
        return fail(QStringLiteral("is not a regular file; give a plain file (not a link or a device) "
                                   "with 'chmod 600 %1'")
                        .arg(path));
    if (st.st_uid != ::getuid())
        return fail(
            QStringLiteral("belongs to another user; use a file you own, with 'chmod 600 %1'").arg(path));
    if ((st.st_mode & 0777) != 0600)
        return fail(QStringLiteral("has mode %1, readable or writable by others; run 'chmod 600 %2'")
                        .arg(QString::number(st.st_mode & 0777, 8), path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.errorString());
    const QByteArray token = file.read(4096).trimmed();
    if (token.size() < 16)
        return fail(QStringLiteral("holds a token of %1 characters; write at least 16 random characters, "
                                   "e.g. 'head -c 32 /dev/urandom | base64 > %2'")
                        .arg(token.size())
                        .arg(path));
    return token;
}

bool bearerMatches(const QByteArray &header, const QByteArray &token)
{
    static const QByteArray prefix = QByteArrayLiteral("Bearer ");
    if (!header.startsWith(prefix) || token.isEmpty())
        return false;
    const QByteArray given = header.mid(prefix.size()).trimmed();
    // Every byte of the longer one is visited; the lengths only add to the difference.
    unsigned diff = unsigned(given.size() ^ token.size());
    const qsizetype n = std::max(given.size(), token.size());
    for (qsizetype i = 0; i < n; ++i) {
        const auto a = i < given.size() ? uchar(given[i]) : uchar(0);
        const auto b = i < token.size() ? uchar(token[i]) : uchar(0);
        diff |= unsigned(a ^ b);
    }
    return diff == 0;
}

QString resolveProtocolName(const QString &folder, const QString &name)
{
    if (name.isEmpty() || QDir::isAbsolutePath(name) || name.contains(QLatin1String("..")))
        return {};
    const QString root = QFileInfo(folder).canonicalFilePath();
    if (root.isEmpty())
        return {};
    const QFileInfo info(QDir(root).filePath(name));
    const QString canonical = info.canonicalFilePath();
    if (canonical.isEmpty() || !canonical.startsWith(root + u'/') || !QFileInfo(canonical).isFile())
        return {};
    return canonical;
}

}  // namespace scopesync::app::api
