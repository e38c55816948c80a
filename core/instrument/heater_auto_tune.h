// HeaterAutoTune: tunes the heater's PI gains from a step response. Applies a fixed duty, records the
// temperature until it settles, fits a first-order-plus-dead-time model and proposes P and I with the SIMC
// rule; predicts the closed loop by running the rig's own PI law (PiController) against the fitted model.
#pragma once

#include "core/common/result.h"
#include "core/instrument/devices.h"
#include "core/instrument/instrument_description.h"
#include "core/instrument/pi_controller.h"

#include <QList>

#include <functional>

namespace scopesync::core::instrument {

struct StepPoint {
    double seconds = 0.0;  // plant time since the duty was applied
    double kelvin = 0.0;
};

struct StepResponse {
    double dutyPerMille = 0.0;  // the step applied (from off)
    double baselineKelvin = 0.0;  // the reading before the step
    QList<StepPoint> points;
    bool settled = false;  // ended because the temperature stopped rising (else on the time limit)
};

// Temperature rise = gain × duty, reached through a dead time and a first-order lag.
struct FopdtModel {
    double gainKelvinPerMille = 0.0;
    double timeConstantSeconds = 0.0;
    double deadTimeSeconds = 0.0;
    double baselineKelvin = 0.0;
    double rmsResidualKelvin = 0.0;  // of the fit against the recorded points
};

struct ClosedLoopPrediction {
    double setPointKelvin = 0.0;
    double overshootKelvin = 0.0;  // highest reading above the set point (0: none)
    // From the set point change until the reading enters the band for good; < 0: never within the span.
    double settlingSeconds = -1.0;
    QList<StepPoint> trace;  // the predicted reading
};

struct StepTestSettings {
    double dutyPerMille = 300.0;
    double samplePeriodSeconds = 1.0;  // plant time between readings
    double maxSeconds = 3600.0;  // plant time; the test ends here if the temperature is still rising
    double minSeconds = 120.0;  // never judged settled earlier
};

class HeaterAutoTune {
public:
    using Progress = std::function<void(const StepPoint &point, double elapsedFraction)>;

    // Runs the step test: heater off and a baseline read, then the duty held until the reading settles
    // (its rise over the last fifth of the test, at least a minute, is under 2 % of the whole rise) or
    // `maxSeconds`. The heater is off again on every way out (settled, timeout, cancel, sensor error,
    // over-temperature). `cancelled()` returning a reason stops it with that reason.
    static Result<StepResponse> runStepTest(Thermometer &thermometer, Heater &heater,
        const HeaterDescription &rig, const StepTestSettings &settings,
        const std::function<QString()> &cancelled, const Progress &progress = {});

    // Least-squares first-order-plus-dead-time fit; an error when the rise is too small to fit or the test
    // ended before the temperature had covered most of its rise.
    static Result<FopdtModel> fit(const StepResponse &response);

    // SIMC (Skogestad) PI tuning with the closed-loop time constant equal to the effective dead time (the
    // fitted one plus half the control period); the rig's bias and output limit are kept.
    static PiGains propose(const FopdtModel &model, const HeaterDescription &rig);

    // The rig's PI law, updated every control period, against the fitted model from the baseline to
    // `setPointKelvin`, for `spanSeconds` of plant time; settling uses the rig's reached band.
    static ClosedLoopPrediction predict(const FopdtModel &model, const PiGains &gains,
        const HeaterDescription &rig, double setPointKelvin, double spanSeconds);
};

}  // namespace scopesync::core::instrument
