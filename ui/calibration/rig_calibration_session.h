// RigCalibrationSession: runs the wizard's calibration on the rig the controller owns, on its worker.
#pragma once

#include "ui/calibration/calibration_session.h"

#include <atomic>

namespace scopesync::ui {

class RigController;

class RigCalibrationSession : public CalibrationSession {
    Q_OBJECT

public:
    explicit RigCalibrationSession(RigController &controller, QObject *parent = nullptr);

    void startCalibration(const CalibrationChoice &choice) override;
    void cancelCalibration() override;

private:
    RigController &m_controller;
    // Set from the GUI thread, read by the worker's probe and progress callback.
    std::atomic<int> m_cancel {0};
};

}  // namespace scopesync::ui
