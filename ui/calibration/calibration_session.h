// CalibrationSession: what the calibration wizard needs from the rig — start, cancel, progress, result.
#pragma once

#include "core/calibration/calibration_result.h"
#include "core/calibration/delay_sweep.h"

#include <QImage>
#include <QObject>
#include <QVector>

#include <optional>

namespace scopesync::ui {

// What the user chose on the wizard's setup page.
struct CalibrationChoice {
    QString led;
    std::chrono::microseconds flash {150'000};
    bool earliest = false;  // start + margin instead of the centre
    std::chrono::microseconds margin {500};
    std::optional<core::calibration::SweepRange> sweep;  // a plain sweep instead of the model-guided search
};

// One frame of the calibration, for the live page.
struct CalibrationStep {
    int frame = 0;
    double delayMs = 0;
    QString phase;
    double uniformity = 0;
    double litFraction = 0;
    QString darkEdge;  // "none", "top", "bottom", "both"
    double windowStartMs = 0;
    double windowEndMs = 0;
    bool startMeasured = false;
    bool endMeasured = false;
    QVector<double> rowProfile;  // mean signal per sensor row, downsampled for plotting
    QImage frameImage;  // downscaled 8-bit view of the frame
};

// Implemented by the rig controller, which owns the rig on its worker thread. Signals arrive queued on
// the GUI thread.
class CalibrationSession : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    ~CalibrationSession() override = default;

    virtual void startCalibration(const CalibrationChoice &choice) = 0;
    virtual void cancelCalibration() = 0;

Q_SIGNALS:
    void calibrationStep(const scopesync::ui::CalibrationStep &step);
    // `error` is empty on success; `kept` says where the result was saved (after apply).
    void calibrationFinished(
        const scopesync::core::calibration::CalibrationResult &result, const QString &error);
};

}  // namespace scopesync::ui
