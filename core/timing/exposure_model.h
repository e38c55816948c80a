// The rolling/global-shutter exposure model: row windows, flash energy per row, the valid flash window.
#pragma once

#include "core/timing/sensor_catalog.h"

#include <chrono>

namespace scopesync::core::timing {

using Micros = std::chrono::duration<double, std::micro>;

struct Interval {
    Micros start {0};
    Micros end {0};
    [[nodiscard]] Micros length() const { return end > start ? end - start : Micros(0); }
};

// Delays for which every row receives the whole flash, relative to the trigger event the software sees.
struct FlashWindow {
    Micros start {0};  // earliest flash start: R + o (rolling), o (global)
    Micros end {0};  // latest flash start: E − F + o
    bool feasible = false;

    // When infeasible: the smallest exposure that fits this flash, and the longest flash that fits this
    // exposure (zero if even an instant flash cannot light every row).
    Micros minimumExposure {0};
    Micros maximumFlash {0};
};

// One frame of one sensor mode at a fixed exposure. Times are relative to the trigger event; the
// exposure of row 0 starts at `offset` after it (the rig-specific `o` of DOMAIN.md §3: calibration
// measures it, the model only carries it).
class ExposureModel {
public:
    ExposureModel(ShutterType shutter, const SensorMode &mode, Micros exposure, Micros offset = Micros(0));

    [[nodiscard]] ShutterType shutter() const { return m_shutter; }
    [[nodiscard]] const SensorMode &mode() const { return m_mode; }
    [[nodiscard]] Micros exposure() const { return m_exposure; }
    [[nodiscard]] Micros offset() const { return m_offset; }
    [[nodiscard]] int rows() const { return m_mode.height; }

    // Time between row 0 and the last row starting to expose (0 for a global shutter).
    [[nodiscard]] Micros readout() const;
    // Row `row` integrates light during this window (sensor rows, before any flip).
    [[nodiscard]] Interval rowWindow(int row) const;
    // Fraction (0–1) of a flash [flashStart, flashStart + flash] that row `row` receives.
    [[nodiscard]] double rowEnergy(int row, Micros flashStart, Micros flash) const;
    // Fraction of a light interval that falls inside row `row`'s window, as absolute overlap time.
    [[nodiscard]] Micros rowOverlap(int row, Interval light) const;

    [[nodiscard]] FlashWindow validWindow(Micros flash) const;
    // Rows (0-based, sensor order) that receive less than `fraction` of the flash at this delay.
    [[nodiscard]] int underlitRows(Micros flashStart, Micros flash, double fraction = 0.999) const;

private:
    ShutterType m_shutter;
    SensorMode m_mode;
    Micros m_exposure;
    Micros m_offset;
};

}  // namespace scopesync::core::timing
