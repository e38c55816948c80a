// CalibrationWizard: finds a rig's XVS-to-flash delay window step by step, usable on the 800×480 screen.
#pragma once

#include "core/acquisition/rig_description.h"
#include "core/camera/camera_settings.h"
#include "ui/calibration/calibration_session.h"

#include <QWizard>

namespace scopesync::ui {

// Pages: checks (rig, trigger, fixed camera settings, slide in place) → LED, flash and target (with the
// predicted window, or why none exists and the fix) → the search running with the live frame and both
// plots → the result, applied (saved as the rig's calibration profile) or discarded.
class CalibrationWizard : public QWizard {
    Q_OBJECT

public:
    enum PageId { ChecksPage, SetupPage, RunPage, ResultPage };

    // `rigArgument` is "sim" or the rig file: it decides where the profile is saved.
    CalibrationWizard(CalibrationSession &session, core::acquisition::RigDescription rig,
        core::camera::CameraSettings settings, QString rigArgument, QWidget *parent = nullptr);

    [[nodiscard]] const std::optional<core::calibration::CalibrationResult> &result() const
    {
        return m_result;
    }
    [[nodiscard]] CalibrationChoice choice() const;
    // Where Finish saved the profile (empty until then).
    [[nodiscard]] const QString &savedProfile() const { return m_savedProfile; }

    void accept() override;

private:
    friend class CalibrationRunPage;
    friend class CalibrationResultPage;
    friend class CalibrationSetupPage;

    CalibrationSession &m_session;
    core::acquisition::RigDescription m_rig;
    core::camera::CameraSettings m_settings;
    QString m_rigArgument;
    std::optional<core::calibration::CalibrationResult> m_result;
    QString m_savedProfile;
    class CalibrationSetupPage *m_setup = nullptr;
};

}  // namespace scopesync::ui
