// Synthetic calibration frames: the simulated slide rendered under the per-row dose the exposure model gives.
#pragma once

#include "core/calibration/calibration_request.h"
#include "core/timing/exposure_model.h"
#include "hal/sim/slide_renderer.h"

#include <functional>
#include <utility>

namespace scopesync::testing {

// A camera without a clock: the frame a flash at `delay` would give, with the rig's trigger offset.
class SyntheticFrames {
public:
    SyntheticFrames(const QString &sensor, int w, int h, double exposureUs, double flashUs, bool vflip,
        bool hflip, double offsetUs = 0, quint64 seed = 7)
        : m_info(core::timing::SensorCatalog::find(sensor)),
          m_mode(*m_info->findMode(w, h)),
          m_model(m_info->shutter, m_mode, core::timing::Micros(exposureUs), core::timing::Micros(offsetUs)),
          m_flash(flashUs),
          m_vflip(vflip),
          m_hflip(hflip),
          m_renderer(w, h, seed)
    {
    }

    core::Image16 frame(double delayUs) { return frame(delayUs, delayUs + m_flash); }
    core::Image16 frame(double onUs, double offUs)
    {
        ++m_frames;
        std::vector<double> dose(std::size_t(m_mode.height));
        for (int r = 0; r < m_mode.height; ++r)
            dose[std::size_t(r)]
                = m_model.rowOverlap(r, {core::timing::Micros(onUs), core::timing::Micros(offUs)}).count();
        return m_renderer.render(dose, 8.0, m_vflip, m_hflip);
    }

    // A busy machine: frame n's flash is driven on `lateness(n).first` µs and off `.second` µs after
    // the asked times. The shot reports the edges as driven, as the strobe engine measures them.
    void setLateness(std::function<std::pair<double, double>(int frame)> lateness)
    {
        m_lateness = std::move(lateness);
    }

    core::calibration::MeasureFn measure()
    {
        return [this](core::timing::Micros d) -> core::Result<core::calibration::DelayShot> {
            const auto [onLate, offLate] = m_lateness ? m_lateness(m_frames) : std::pair {0.0, 0.0};
            const double on = d.count() + onLate, off = d.count() + m_flash + offLate;
            return core::calibration::DelayShot {
                frame(on, off), core::timing::Micros(on), core::timing::Micros(off)};
        };
    }

    core::calibration::CalibrationRequest request() const
    {
        core::calibration::CalibrationRequest r;
        r.shutter = m_info->shutter;
        r.mode = m_mode;
        r.exposure = m_model.exposure();
        r.flash = core::timing::Micros(m_flash);
        r.vflip = m_vflip;
        r.hflip = m_hflip;
        return r;
    }

    [[nodiscard]] int frames() const { return m_frames; }
    [[nodiscard]] double lineUs() const { return m_mode.lineTime.count() / 1000.0; }
    [[nodiscard]] const core::timing::ExposureModel &model() const { return m_model; }

private:
    const core::timing::SensorInfo *m_info;
    core::timing::SensorMode m_mode;
    core::timing::ExposureModel m_model;
    double m_flash;
    bool m_vflip;
    bool m_hflip;
    hal::sim::SlideRenderer m_renderer;
    int m_frames = 0;
    std::function<std::pair<double, double>(int)> m_lateness;
};

}  // namespace scopesync::testing
