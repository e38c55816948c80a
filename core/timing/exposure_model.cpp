// The rolling/global-shutter exposure model: row windows, flash energy per row, the valid flash window.
#include "core/timing/exposure_model.h"

#include <algorithm>

namespace scopesync::core::timing {

ExposureModel::ExposureModel(ShutterType shutter, const SensorMode &mode, Micros exposure, Micros offset)
    : m_shutter(shutter), m_mode(mode), m_exposure(exposure), m_offset(offset)
{
}

Micros ExposureModel::readout() const
{
    return m_shutter == ShutterType::Global ? Micros(0) : Micros(m_mode.readout());
}

Interval ExposureModel::rowWindow(int row) const
{
    const Micros rowStart = m_shutter == ShutterType::Global ? Micros(0) : Micros(m_mode.lineTime * row);
    return {m_offset + rowStart, m_offset + rowStart + m_exposure};
}

Micros ExposureModel::rowOverlap(int row, Interval light) const
{
    const Interval w = rowWindow(row);
    const Micros start = std::max(w.start, light.start);
    const Micros end = std::min(w.end, light.end);
    return end > start ? end - start : Micros(0);
}

double ExposureModel::rowEnergy(int row, Micros flashStart, Micros flash) const
{
    if (flash <= Micros(0))
        return 0.0;
    return rowOverlap(row, {flashStart, flashStart + flash}) / flash;
}

FlashWindow ExposureModel::validWindow(Micros flash) const
{
    FlashWindow w;
    const Micros r = readout();
    w.start = r + m_offset;
    w.end = m_exposure - flash + m_offset;
    // Compare in nanoseconds rounded, so that a window of exactly zero width counts as feasible.
    w.feasible = flash > Micros(0) && (w.end - w.start) > Micros(-1e-6);
    w.minimumExposure = r + flash;
    w.maximumFlash = std::max(Micros(0), m_exposure - r);
    return w;
}

int ExposureModel::underlitRows(Micros flashStart, Micros flash, double fraction) const
{
    int n = 0;
    for (int row = 0; row < rows(); ++row)
        if (rowEnergy(row, flashStart, flash) < fraction)
            ++n;
    return n;
}

}  // namespace scopesync::core::timing
