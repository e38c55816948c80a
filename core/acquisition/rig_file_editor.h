// RigFileEditor: saves set-up results (a filter's wheel position, a filter's focus, the heater's P and I)
// into an existing rig file (and the first run's rig choice into a new one), changing only that field: every
// other field is kept, the result must read back as a valid rig, and the file is replaced atomically (a
// temporary file renamed over it).
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

    // The rig chosen at first run kept as `target` (where the kiosk or the settings expected a rig file),
    // its folder made: "sim" writes the reference simulated rig, anything else is a rig file whose bytes are
    // copied. Refused, with nothing written, when the chosen file cannot be read or does not read as a rig.
    static Status saveChoiceAs(const QString &choice, const QString &target);

private:
    // Reads, lets `change` edit the root object (an error names the missing section), validates, replaces.
    static Status edit(const QString &path, const std::function<Status(QJsonObject &root)> &change);
    // `bytes` replace `path` atomically once they read back as a rig; `what` names them in the refusal.
    static Status writeChecked(const QString &path, const QByteArray &bytes, const QString &what);
};

}  // namespace scopesync::core::acquisition
