// ManifestReader: parses manifest.jsonl line by line, tolerating a torn final line.
#include "core/storage/manifest_reader.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

namespace scopesync::core::storage {

Result<Manifest> ManifestReader::read(const QString &runDir)
{
    const QString path = QDir(runDir).filePath(QLatin1String(kFileName));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error {QStringLiteral("Could not open %1: %2").arg(path, f.errorString()), path};
    return parse(f.readAll());
}

Manifest ManifestReader::parse(const QByteArray &contents)
{
    Manifest m;
    qsizetype start = 0;
    int lineNo = 0;
    while (start < contents.size()) {
        const qsizetype nl = contents.indexOf('\n', start);
        ++lineNo;
        if (nl < 0) {
            // The writer appends "json\n" in one write(); without its newline a line is incomplete even
            // if the JSON happens to parse, so it is never trusted.
            m.truncatedTail = true;
            break;
        }
        const QByteArray line = contents.mid(start, nl - start).trimmed();
        start = nl + 1;
        if (line.isEmpty())
            continue;
        QJsonParseError err {};
        const auto doc = QJsonDocument::fromJson(line, &err);
        const auto entry = (err.error == QJsonParseError::NoError && doc.isObject())
            ? ManifestEntry::fromJson(doc.object())
            : std::nullopt;
        if (entry)
            m.entries.append(*entry);
        else
            m.badLines.append(lineNo);
    }
    return m;
}

}  // namespace scopesync::core::storage
