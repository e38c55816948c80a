// Diagnostics: every problem found in an input file, each with its location and a fix.
#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

namespace scopesync::core {

enum class Severity { Error, Warning };

struct Diagnostic {
    Severity severity = Severity::Error;
    QString path;  // JSON path ("$.steps[0].flashes[1].led") or "line N" for line-based files
    QString message;  // what is wrong and what to change

    [[nodiscard]] QString toString() const;
    friend bool operator==(const Diagnostic &, const Diagnostic &) = default;
};

// Collects problems instead of stopping at the first one, so a user fixes a file in one pass.
class Diagnostics {
public:
    void error(const QString &path, const QString &message);
    void warning(const QString &path, const QString &message);
    void append(const Diagnostics &other);

    [[nodiscard]] bool hasErrors() const;
    [[nodiscard]] QList<Diagnostic> errors() const;
    [[nodiscard]] QList<Diagnostic> warnings() const;
    [[nodiscard]] const QList<Diagnostic> &all() const { return m_items; }
    [[nodiscard]] bool isEmpty() const { return m_items.isEmpty(); }

    // [{"path": ..., "message": ...}] for the given severity, as printed by `--json`.
    [[nodiscard]] QJsonArray toJson(Severity severity) const;

private:
    QList<Diagnostic> m_items;
};

// JSON path helpers: "$" + ".key" or "[index]".
QString jsonPathKey(const QString &parent, const QString &key);
QString jsonPathIndex(const QString &parent, qsizetype index);

}  // namespace scopesync::core
