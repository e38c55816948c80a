// Helpers shared by the protocol tests: finding a diagnostic by path and message gist, loading test files.
#pragma once

#include "core/common/diagnostics.h"
#include "core/protocol/protocol.h"

#include <QFile>
#include <QString>
#include <QStringList>

namespace scopesync::tests {

inline QString dump(const core::Diagnostics &d)
{
    QStringList lines;
    for (const auto &item : d.all())
        lines << item.toString();
    return lines.join(u'\n');
}

// Number of diagnostics of `severity` at exactly `path` whose message contains every one of `gist`.
inline int count(
    const core::Diagnostics &d, core::Severity severity, const QString &path, const QStringList &gist)
{
    int n = 0;
    for (const auto &item : d.all()) {
        if (item.severity != severity || item.path != path)
            continue;
        bool all = true;
        for (const auto &g : gist)
            all = all && item.message.contains(g);
        n += all ? 1 : 0;
    }
    return n;
}

inline bool hasError(const core::Diagnostics &d, const QString &path, const QStringList &gist)
{
    return count(d, core::Severity::Error, path, gist) == 1;
}

inline bool hasWarning(const core::Diagnostics &d, const QString &path, const QStringList &gist)
{
    return count(d, core::Severity::Warning, path, gist) == 1;
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

inline int depthOf(const std::vector<core::protocol::Step> &steps)
{
    int deepest = 0;
    for (const auto &s : steps)
        if (s.kind == core::protocol::StepKind::Group)
            deepest = std::max(deepest, 1 + depthOf(s.children));
    return deepest;
}

}  // namespace scopesync::tests

// QVERIFY2 with the diagnostics printed on failure.
#define VERIFY_DIAG(cond, diags) QVERIFY2((cond), qPrintable(scopesync::tests::dump(diags)))
