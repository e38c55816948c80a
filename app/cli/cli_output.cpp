// Shared command-line conventions: exit codes, printing to stdout/stderr, JSON output.
#include "app/cli/cli_output.h"

#include <QJsonDocument>

#include <cstdio>

namespace scopesync::app {

namespace {
bool isControl(char16_t u)
{
    return (u < 0x20 && u != u'\n' && u != u'\t') || (u >= 0x7f && u <= 0x9f);
}
}  // namespace

QString terminalSafe(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (isControl(c.unicode()))
            out += QStringLiteral("\\x%1").arg(int(c.unicode()), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

QString counted(qint64 n, const QString &singular, const QString &plural)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? singular : plural);
}

void printOut(const QString &text)
{
    const QByteArray utf8 = terminalSafe(text).toUtf8();
    std::fwrite(utf8.constData(), 1, static_cast<size_t>(utf8.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    const QByteArray utf8 = terminalSafe(text).toUtf8();
    std::fwrite(utf8.constData(), 1, static_cast<size_t>(utf8.size()), stderr);
    std::fputc('\n', stderr);
}

void printJson(const QJsonObject &object)
{
    const QString json = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed();
    // Outside strings JSON has no control characters; inside them the only ones left are DEL and C1.
    QString out;
    out.reserve(json.size());
    for (const QChar c : json) {
        if (isControl(c.unicode()))
            out += QStringLiteral("\\u%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    printOut(out);
}

void printDiagnostics(const QString &file, const core::Diagnostics &diagnostics)
{
    for (const auto &d : diagnostics.all())
        printErr(file + QStringLiteral(": ") + d.toString());
}

}  // namespace scopesync::app
