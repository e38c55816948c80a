// RigFileEditor: saves set-up results (a filter's wheel position, a filter's focus, the heater's P and I)
// into an existing rig file, changing only that field: every other field is kept, the result must read back
// as a valid rig, and the file is replaced atomically (a temporary file renamed over it).
#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace scopesync::core::acquisition {

class RigFileEditor {
public:
    // `$.filter_wheel.positions[i].at` of `filter` (servo pulse width in µs or stepper position in steps).
    static Status setFilterPosition(const QString &path, const QString &filter, int at);
    // `$.focus.per_filter.<filter>` in steps.
    static Status setFocusForFilter(const QString &path, const QString &filter, int steps);
    // `$.heater.p_per_mille_per_k` and `$.heater.i_per_mille_per_k_s`.
    static Status setHeaterGains(
        const QString &path, double pPerMillePerKelvin, double iPerMillePerKelvinSecond);

private:
    // Reads, lets `change` edit the root object (an error names the missing section), validates, replaces.
    static Status edit(const QString &path, const std::function<Status(QJsonObject &root)> &change);
};

}  // namespace scopesync::core::acquisition
