// StepPath: a step's position in the protocol tree (child index per level) and its native JSON path.
#include "ui/protocol_editor/step_path.h"

#include <QRegularExpression>

namespace scopesync::ui {

QString nativeJsonPath(const StepPath &path)
{
    QString text = QStringLiteral("$");
    for (const int row : path)
        text += QStringLiteral(".steps[%1]").arg(row);
    return text;
}

std::optional<StepPath> stepPathFromJson(const QString &jsonPath)
{
    static const QRegularExpression level(QStringLiteral("\\G\\.steps\\[(\\d+)\\]"));
    if (!jsonPath.startsWith(u'$'))
        return std::nullopt;
    StepPath path;
    qsizetype at = 1;
    for (;;) {
        const QRegularExpressionMatch m = level.match(jsonPath, at);
        if (!m.hasMatch())
            break;
        bool ok = false;
        const int row = m.captured(1).toInt(&ok);
        if (!ok)
            return std::nullopt;
        path.append(row);
        at = m.capturedEnd();
    }
    if (path.isEmpty())
        return std::nullopt;
    return path;
}

bool isWithin(const StepPath &path, const StepPath &ancestor)
{
    return path.size() >= ancestor.size() && path.mid(0, ancestor.size()) == ancestor;
}

std::optional<StepPath> pathAfterRemoval(const StepPath &path, const StepPath &removed)
{
    if (removed.isEmpty() || isWithin(path, removed))
        return std::nullopt;
    const qsizetype level = removed.size() - 1;
    StepPath result = path;
    if (path.size() > level && path.mid(0, level) == removed.mid(0, level) && path[level] > removed[level])
        --result[level];
    return result;
}

}  // namespace scopesync::ui
