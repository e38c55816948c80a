// Shared command-line conventions: exit codes, printing to stdout/stderr, JSON output.
#include "app/cli/cli_output.h"

#include <QJsonDocument>

#include <cstdio>

namespace scopesync::app {

void printOut(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, static_cast<size_t>(utf8.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, static_cast<size_t>(utf8.size()), stderr);
    std::fputc('\n', stderr);
}

void printJson(const QJsonObject &object)
{
    printOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed());
}

void printDiagnostics(const QString &file, const core::Diagnostics &diagnostics)
{
    for (const auto &d : diagnostics.all())
        printErr(file + QStringLiteral(": ") + d.toString());
}

}  // namespace scopesync::app
