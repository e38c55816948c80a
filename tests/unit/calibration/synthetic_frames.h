// Synthetic calibration frames: the simulated slide rendered under the per-row dose the exposure model gives.
#pragma once

#include "core/calibration/calibration_request.h"
#include "core/timing/exposure_model.h"
#include "hal/sim/slide_renderer.h"

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

    core::Image16 frame(double delayUs)
    {
        ++m_frames;
        std::vector<double> dose(std::size_t(m_mode.height));
        for (int r = 0; r < m_mode.height; ++r)
            dose[std::size_t(r)]
                = m_model
                      .rowOverlap(r, {core::timing::Micros(delayUs), core::timing::Micros(delayUs + m_flash)})
                      .count();
        return m_renderer.render(dose, 8.0, m_vflip, m_hflip);
    }

    core::calibration::MeasureFn measure()
    {
        return [this](core::timing::Micros d) -> core::Result<core::Image16> { return frame(d.count()); };
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
};

}  // namespace scopesync::testing
