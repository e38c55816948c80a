// Reads and writes the rig file's instrument sections (`filter_wheel`, `focus`, `heater` with its `sensor`),
// reporting every problem with its JSON path. Called by the rig file reader, which owns line claims.
#pragma once

#include "core/common/json_fields.h"
#include "core/instrument/instrument_description.h"

#include <QJsonObject>
#include <QList>

#include <functional>
#include <optional>

namespace scopesync::core::instrument {

// A GPIO line a section uses, with the JSON path that names it (for "used twice" errors).
using ClaimLine = std::function<void(int bcm, const QString &path)>;

std::optional<FilterWheelDescription> readFilterWheel(
    const QJsonObject &o, const QString &path, const QString &backend, JsonFields &f, const ClaimLine &claim);
std::optional<FocusDescription> readFocus(
    const QJsonObject &o, const QString &path, const QString &backend, JsonFields &f, const ClaimLine &claim);
std::optional<HeaterDescription> readHeater(
    const QJsonObject &o, const QString &path, const QString &backend, JsonFields &f, const ClaimLine &claim);

QJsonObject toJson(const FilterWheelDescription &wheel);
QJsonObject toJson(const FocusDescription &focus);
QJsonObject toJson(const HeaterDescription &heater);

}  // namespace scopesync::core::instrument
