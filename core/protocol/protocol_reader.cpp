// ProtocolReader: reads a protocol file, native ScopeSync JSON or 454 Bio *.454sp.json, with every problem.
#include "core/protocol/protocol_reader.h"

#include "core/common/bounded_file_reader.h"
#include "core/protocol/legacy_454_importer.h"
#include "core/protocol/native_protocol_reader.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace scopesync::core::protocol {

namespace {

QString tooLarge(qint64 bytes)
{
    return QStringLiteral("the file is %1 MB; protocol files are at most %2 MB: is it the right file?")
        .arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1)
        .arg(ProtocolReader::kMaxFileBytes / (1024 * 1024));
}

// 1-based line and column (in bytes) of a byte offset, as editors show them.
std::pair<int, int> lineColumn(const QByteArray &bytes, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, bytes.size());
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (bytes.at(i) == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return {line, int(offset - lineStart) + 1};
}

}  // namespace

ReadResult ProtocolReader::readFile(const QString &path)
{
    auto bytes = BoundedFileReader::read(path, kMaxFileBytes, QStringLiteral("protocol"));
    if (!bytes.ok()) {
        ReadResult result;
        result.diagnostics.error(path, bytes.error().message);
        return result;
    }
    return readBytes(*bytes, path);
}

ReadResult ProtocolReader::readBytes(const QByteArray &bytes, const QString &fileNameHint)
{
    ReadResult result;
    if (bytes.size() > kMaxFileBytes) {
        result.diagnostics.error(fileNameHint, tooLarge(bytes.size()));
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const auto [line, column] = lineColumn(bytes, parseError.offset);
        result.diagnostics.error(QStringLiteral("%1:%2").arg(line).arg(column),
            QStringLiteral("not valid JSON: %1 at line %2, column %3; fix the syntax there")
                .arg(parseError.errorString())
                .arg(line)
                .arg(column));
        return result;
    }
    if (!document.isObject()) {
        result.diagnostics.error(QStringLiteral("$"),
            QStringLiteral("expected an object at the top level, found %1; a protocol is an object with "
                           "\"format\" (ScopeSync) or \"event_type\" (454)")
                .arg(document.isArray() ? QStringLiteral("an array") : QStringLiteral("a single value")));
        return result;
    }
    const QJsonObject root = document.object();
    // The sink adds its closing summary when it goes out of scope, before `result` is returned.
    {
        DiagnosticSink sink(result.diagnostics);
        const bool hinted454
            = fileNameHint.endsWith(QLatin1String(Legacy454Importer::kFileSuffix), Qt::CaseInsensitive);
        if (root.contains(QStringLiteral("format")))
            result.protocol = NativeProtocolReader::read(root, sink);
        else if (root.contains(QStringLiteral("event_type")) || hinted454)
            result.protocol = Legacy454Importer::read(root, sink);
        else if (root.contains(QStringLiteral("steps")))
            result.protocol = NativeProtocolReader::read(root, sink);  // reports the missing "format"
        else
            sink.error(QStringLiteral("$"),
                QStringLiteral(
                    "this is neither a ScopeSync protocol (no \"format\": \"%1\") nor a 454 protocol (no "
                    "\"event_type\"); check that it is a protocol file")
                    .arg(QString::fromLatin1(NativeProtocolReader::kFormatName)));
    }
    return result;
}

}  // namespace scopesync::core::protocol
