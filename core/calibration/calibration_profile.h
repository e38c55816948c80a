// CalibrationProfile: a rig's calibrated flash delay, saved per rig, used by runs and compared with their
// settings.
#pragma once

#include "core/acquisition/rig_description.h"
#include "core/calibration/calibration_result.h"
#include "core/camera/camera_settings.h"
#include "core/common/diagnostics.h"
#include "core/common/result.h"

#include <QDateTime>
#include <QJsonObject>

namespace scopesync::core::calibration {

struct CalibrationProfile {
    QString sensor;
    int modeWidth = 0;
    int modeHeight = 0;
    QString trigger;  // triggerModeName()
    Micros shutter {0};
    Micros flash {0};
    QString led;
    QDateTime date;  // UTC
    Micros windowStart {0};
    Micros windowEnd {0};
    Micros recommended {0};
    QString method;
    int framesUsed = 0;

    static CalibrationProfile from(const CalibrationResult &result, const acquisition::RigDescription &rig,
        Micros shutter, Micros flash, const QString &led);

    [[nodiscard]] QJsonObject toJson() const;
    static Result<CalibrationProfile> fromJson(const QJsonObject &o);
    static Result<CalibrationProfile> load(const QString &path);
    [[nodiscard]] Status save(const QString &path) const;  // atomic: written aside, then renamed

    // Where a rig's profile lives: next to its rig file as <name>.calibration.json (lab.json →
    // lab.calibration.json); for the built-in simulated rig ("sim" or empty),
    // $XDG_CONFIG_HOME/scopesync/calibration/sim.json (~/.config when XDG_CONFIG_HOME is unset).
    static QString pathFor(const QString &rigArgument);
};

// Warnings (never errors: a run may still go ahead) when the run's settings differ from those the
// profile was calibrated with, each saying how the window moves and what to do.
// When every row is exposing, from the trigger edge, as the profile measured it (its window of flash starts
// plus its flash), its end moved by the change of shutter; none when the profile was measured on another
// sensor mode or trigger.
std::optional<acquisition::RigDescription::Span> allRowsExposing(const CalibrationProfile &profile,
    const acquisition::RigDescription &rig, const camera::CameraSettings &settings);

Diagnostics compare(const CalibrationProfile &profile, const acquisition::RigDescription &rig,
    const camera::CameraSettings &settings, Micros flash);

}  // namespace scopesync::core::calibration
