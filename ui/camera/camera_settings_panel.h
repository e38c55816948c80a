// CameraSettingsPanel: edits the fixed camera settings; loads and saves rpicam-apps config files.
#pragma once

#include "core/camera/camera_settings.h"
#include "core/common/diagnostics.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QListWidget;
class QPushButton;

namespace scopesync::ui {

class TouchSpinBox;

class CameraSettingsPanel : public QWidget {
    Q_OBJECT

public:
    explicit CameraSettingsPanel(QWidget *parent = nullptr);

    void setSettings(const core::camera::CameraSettings &settings);
    // The shown settings; keys the panel does not show keep the values they were loaded with.
    [[nodiscard]] core::camera::CameraSettings settings() const;
    // Problems are listed with their line numbers; false when the file has errors (nothing applied).
    bool loadFile(const QString &path);
    bool saveFile(const QString &path);
    [[nodiscard]] QListWidget *problemList() const { return m_problems; }
    [[nodiscard]] QPushButton *applyButton() const { return m_apply; }
    [[nodiscard]] TouchSpinBox *shutterBox() const { return m_shutterUs; }
    [[nodiscard]] TouchSpinBox *gainBox() const { return m_gain; }
    void setBusy(bool busy);

Q_SIGNALS:
    // Applying reopens the camera with these settings (never during a run).
    void applyRequested(const core::camera::CameraSettings &settings);

private:
    void showProblems(const QString &file, const core::Diagnostics &diagnostics);

    core::camera::CameraSettings m_base;
    TouchSpinBox *m_shutterUs = nullptr;
    TouchSpinBox *m_gain = nullptr;
    QComboBox *m_awb = nullptr;
    TouchSpinBox *m_awbRed = nullptr;
    TouchSpinBox *m_awbBlue = nullptr;
    QComboBox *m_denoise = nullptr;
    TouchSpinBox *m_framerate = nullptr;
    QCheckBox *m_hflip = nullptr;
    QCheckBox *m_vflip = nullptr;
    QListWidget *m_problems = nullptr;
    QPushButton *m_load = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_apply = nullptr;
};

}  // namespace scopesync::ui
