// Diagnostics: every problem found in an input file, each with its location and a fix.
#include "core/common/diagnostics.h"

#include <QJsonObject>

namespace scopesync::core {

QString Diagnostic::toString() const
{
    const QString kind = severity == Severity::Error ? QStringLiteral("error") : QStringLiteral("warning");
    return path.isEmpty() ? kind + QStringLiteral(": ") + message
                          : kind + QStringLiteral(": ") + path + QStringLiteral(": ") + message;
}

void Diagnostics::error(const QString &path, const QString &message)
{
    m_items.append({Severity::Error, path, message});
}

void Diagnostics::warning(const QString &path, const QString &message)
{
    m_items.append({Severity::Warning, path, message});
}

void Diagnostics::append(const Diagnostics &other)
{
    m_items.append(other.m_items);
}

bool Diagnostics::hasErrors() const
{
    return std::any_of(
        m_items.cbegin(), m_items.cend(), [](const Diagnostic &d) { return d.severity == Severity::Error; });
}

QList<Diagnostic> Diagnostics::errors() const
{
    QList<Diagnostic> out;
    for (const auto &d : m_items)
        if (d.severity == Severity::Error)
            out.append(d);
    return out;
}

QList<Diagnostic> Diagnostics::warnings() const
{
    QList<Diagnostic> out;
    for (const auto &d : m_items)
        if (d.severity == Severity::Warning)
            out.append(d);
    return out;
}

QJsonArray Diagnostics::toJson(Severity severity) const
{
    QJsonArray out;
    for (const auto &d : m_items)
        if (d.severity == severity)
            out.append(
                QJsonObject {{QStringLiteral("path"), d.path}, {QStringLiteral("message"), d.message}});
    return out;
}

QString jsonPathKey(const QString &parent, const QString &key)
{
    return parent + u'.' + key;
}

QString jsonPathIndex(const QString &parent, qsizetype index)
{
    return parent + u'[' + QString::number(index) + u']';
}

}  // namespace scopesync::core
