// RigSetupProbe: measures one set-up axis of an open rig at a position — the filter wheel's raw position
// (to centre a filter) or the focus (to find a filter's sharpest position). It moves there, waits until
// settled, lights the chosen LED for a frame exposed wholly after the move and scores that frame: the mean
// level of the centre for the wheel, the variance of the Laplacian for the focus. The LED is off again
// after every measurement, whatever happens.
#pragma once

#include "core/acquisition/rig.h"
#include "core/analysis/focus_sweep.h"
#include "core/common/image.h"
#include "core/common/result.h"

#include <QString>

namespace scopesync::core::acquisition {

enum class SetupAxis { FilterWheel, Focus };

struct SetupSample {
    int at = 0;  // the position measured (wheel: raw units; focus: steps from home)
    double score = 0.0;  // wheel: mean level of the centre above black, 0–1 of full scale; focus: sharpness
    Image16 image;  // the frame scored
};

class RigSetupProbe {
public:
    // The centred fraction of width and height that is scored.
    static constexpr double kRegionFraction = 0.5;
    // The wheel's score is refused when more of the region than this is saturated (the peak would be flat).
    static constexpr double kMaxSaturatedFraction = 0.01;

    RigSetupProbe(Rig &rig, SetupAxis axis, QString filter, QString led, int intensityPerMille = 1000);
    // Stops the camera and the strobe it started (every LED off).
    ~RigSetupProbe();
    RigSetupProbe(const RigSetupProbe &) = delete;
    RigSetupProbe &operator=(const RigSetupProbe &) = delete;

    // Checks that the rig has the device and the LED, starts the strobe and the camera; for the focus,
    // puts `filter` in the light path.
    [[nodiscard]] Status prepare();
    // One measurement at `at` (raw wheel position, or focus steps); `prepare()` first.
    [[nodiscard]] Result<SetupSample> measure(int at);
    // measure() as a sweep's callback, keeping the last sample (for its image) in `last` when given.
    [[nodiscard]] analysis::FocusSweep::Measure measureFn(SetupSample *last = nullptr);

    [[nodiscard]] SetupAxis axis() const { return m_axis; }
    [[nodiscard]] const QString &filter() const { return m_filter; }
    [[nodiscard]] const QString &led() const { return m_led; }

private:
    [[nodiscard]] Status moveAndSettle(int at);
    [[nodiscard]] Result<double> score(const Image16 &image) const;

    Rig &m_rig;
    SetupAxis m_axis;
    QString m_filter;
    QString m_led;
    int m_intensity;
    bool m_started = false;
};

// The wheel's raw range a centring scan around `centre` may cover: half a filter spacing either side (the
// neighbours' nearest distance from `centre` in `positions`), at least 10 units.
int centringHalfRange(const QList<int> &positions, int centre);

// A centring scan's settings: `centre` ± `halfRange` in `points` positions, reported as brightness over
// raw positions.
analysis::FocusSweepSettings centringScan(int centre, int halfRange, int points = 11);

}  // namespace scopesync::core::acquisition
