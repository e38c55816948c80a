// StepPath: a step's position in the protocol tree (child index per level) and its native JSON path.
#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace scopesync::ui {

// {1, 0} is the first child of the second top-level step: "$.steps[1].steps[0]".
using StepPath = QList<int>;

// "$.steps[1].steps[0]", the path validateProtocol() reports for steps built in code.
QString nativeJsonPath(const StepPath &path);

// The step a native JSON path points into ("$.steps[1].steps[0].flashes[2]" → {1, 0}); nullopt when the
// path names no step ("$", "$.steps", "$.name").
std::optional<StepPath> stepPathFromJson(const QString &jsonPath);

// Where `path` is once the step at `removed` has been taken out of the tree (later siblings of `removed`
// and their descendants move up by one); nullopt when `path` is `removed` or lies inside it.
std::optional<StepPath> pathAfterRemoval(const StepPath &path, const StepPath &removed);

// True when `path` is `ancestor` or lies inside it.
bool isWithin(const StepPath &path, const StepPath &ancestor);

}  // namespace scopesync::ui
