// PiRig: the Raspberry Pi rig — libcamera camera (or a Qt Multimedia camera), libgpiod lines and the strobe
// engine, wired together.
#pragma once

#include "core/acquisition/rig.h"
#include "core/camera/camera_settings.h"
#include "hal/gpiod/gpiod_output_lines.h"
#include "hal/gpiod/gpiod_trigger_input.h"
#include "hal/instrument/instrument_devices.h"
#include "hal/libcamera/libcamera_camera.h"
#include "hal/strobe/predicted_frame_starts.h"
#include "hal/strobe/strobe_engine.h"

#include <QSize>

#include <functional>
#include <memory>

namespace scopesync::hal::pi {

// The preview stream's size for a sensor mode: the mode divided by the smallest whole number that fits it
// within maxSide × maxSide with even sides (what YUV 4:2:0 needs); empty when no divisor up to 16 does.
QSize previewStreamSize(QSize mode, int maxSide);

struct PiRigOptions {
    bool requestRealtime = true;
    bool rawStream = true;  // false: the ISP's processed stream
    QString cameraId;  // empty: the first camera of the rig's sensor
    // > 0: ask the camera for a preview stream (the ISP's downscaled output) no larger than this on
    // either side, for the live preview; 0: none (runs and the command line need none).
    int previewMaxSide = 0;
};

class PiRig final : public core::acquisition::Rig {
public:
    // Opens the lines (XVS input or trigger output, LEDs) and the camera. In free-run (no trigger wire)
    // the strobe engine follows frame starts predicted from the camera's timestamps.
    static core::Result<std::unique_ptr<PiRig>> create(const core::acquisition::RigDescription &rig,
        const core::camera::CameraSettings &settings, PiRigOptions options = {});
    ~PiRig() override;

    [[nodiscard]] const core::acquisition::RigDescription &description() const override { return m_rig; }
    core::acquisition::Camera &camera() override { return *m_camera; }
    core::acquisition::StrobeController &strobe() override { return *m_engine; }
    [[nodiscard]] QString summary() const override;
    [[nodiscard]] std::chrono::nanoseconds framePeriod() const override { return m_framePeriod; }
    core::instrument::FilterChanger *filterChanger() override
    {
        return m_devices ? m_devices->filterChanger() : nullptr;
    }
    core::instrument::FocusDrive *focusDrive() override
    {
        return m_devices ? m_devices->focusDrive() : nullptr;
    }
    core::instrument::Thermometer *thermometer() override
    {
        return m_devices ? m_devices->thermometer() : nullptr;
    }
    core::instrument::Heater *heater() override { return m_devices ? m_devices->heater() : nullptr; }

    // What the backends chose or could not do (PWM or on/off per LED, stream, missing controls).
    [[nodiscard]] QStringList notes() const override;

private:
    PiRig() = default;
    static core::Status openQtCamera(
        PiRig &r, const core::acquisition::RigDescription &rig, const core::camera::CameraSettings &settings);

    core::acquisition::RigDescription m_rig;
    std::chrono::nanoseconds m_framePeriod {0};
    // Filter wheel, focus, heater and the output guard; first, so it is released last.
    std::unique_ptr<instrument::InstrumentDevices> m_devices;
    std::unique_ptr<gpiod::GpiodOutputLines> m_leds;
    std::unique_ptr<gpiod::GpiodTriggerInput> m_xvs;
    std::unique_ptr<gpiod::GpiodOutputLines> m_triggerOut;
    std::unique_ptr<strobe::PredictedFrameStarts> m_predicted;  // free-run: outlives camera and engine
    // libcamera's camera, or a Qt Multimedia camera ("camera": {"backend": "qt"}); the typed pointer is
    // for what only that backend tells.
    std::unique_ptr<core::acquisition::Camera> m_camera;
    libcamera::LibcameraCamera *m_libcamera = nullptr;
    std::function<QStringList()> m_qtCameraNotes;  // a Qt Multimedia camera's notes
    QString m_qtCameraName;
    std::unique_ptr<strobe::StrobeEngine> m_engine;
};

}  // namespace scopesync::hal::pi
