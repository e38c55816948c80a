// MainWindow: the instrument window — preview in the middle, panels in docks, primary actions always in
// reach.
#pragma once

#include "core/acquisition/rig_description.h"
#include "core/camera/camera_settings.h"
#include "core/fleet/fleet_link.h"
#include "core/protocol/protocol.h"
#include "ui/common/rig_controller.h"
#include "ui/doctor/doctor_fn.h"

#include <QMainWindow>
#include <QPointer>

#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QToolBar;

namespace scopesync::ui {

class CameraSettingsPanel;
class ManualControls;
class InstrumentControls;
class PreviewPanel;
class ProtocolEditor;
class RunPanel;
class StatusStrip;
class TimingView;

struct MainWindowOptions {
    core::acquisition::RigDescription rig = core::acquisition::RigDescription::referenceSim();
    core::camera::CameraSettings settings = core::camera::CameraSettings::referenceRig();
    QString rigFile;  // copied into each run's inputs/ when set
    QString cameraConfigFile;
    QString runsDirectory;  // empty: the saved one, else ~/ScopeSync runs
    bool kiosk = false;  // the instrument's touchscreen: compact layout, full screen
    bool startLive = true;
    DoctorFn doctor;  // checks this machine against `rig` (Rig doctor…); empty: the action is disabled
    core::fleet::FleetConnectFn fleetConnect;  // the fleet leader's broker connection; empty: Fleet… disabled
};

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    [[nodiscard]] TimingView *timingView() const { return m_timing; }
    // Below this size the panels share one tabbed column beside the preview (the 800×480 touchscreen).
    static constexpr QSize kCompactBelow {1100, 700};

    MainWindow(RigFactory factory, MainWindowOptions options, QWidget *parent = nullptr);
    ~MainWindow() override;

    bool loadProtocol(const QString &path);
    // Scripts drive this rig through the API at `address`: a permanent note in the status bar says so,
    // and showRemoteCommand() puts each command a client makes there (runs it starts also fill the run
    // panel, through the same controller).
    void setRemoteAccess(const QString &address);
    void showRemoteCommand(const QString &what);
    [[nodiscard]] QString remoteActivity() const;
    void setRunsDirectory(const QString &dir);
    [[nodiscard]] QString runsDirectory() const { return m_runsDir; }
    // Arranges the docks for the touchscreen (one tabbed column) or a desktop; restores the saved layout
    // of that kind when there is one.
    // The touch style sheet, with the dark colours on top when `dark`.
    void applyTheme(bool dark);
    [[nodiscard]] bool darkTheme() const { return m_dark; }
    void applyLayout(bool compact);
    [[nodiscard]] bool isCompact() const { return m_compact; }
    void saveLayout() const;

    [[nodiscard]] RigController *controller() const { return m_controller; }
    [[nodiscard]] PreviewPanel *previewPanel() const { return m_preview; }
    [[nodiscard]] RunPanel *runPanel() const { return m_run; }
    [[nodiscard]] ManualControls *manualControls() const { return m_manual; }
    [[nodiscard]] InstrumentControls *instrumentControls() const { return m_instrument; }
    [[nodiscard]] CameraSettingsPanel *cameraPanel() const { return m_camera; }
    [[nodiscard]] StatusStrip *statusStrip() const { return m_status; }
    [[nodiscard]] QToolBar *primaryBar() const { return m_primary; }
    [[nodiscard]] QAction *liveAction() const { return m_liveAction; }
    [[nodiscard]] QAction *captureAction() const { return m_captureAction; }
    [[nodiscard]] QAction *runAction() const { return m_runAction; }
    [[nodiscard]] QAction *stopAction() const { return m_stopAction; }
    [[nodiscard]] QAction *openAction() const { return m_openAction; }
    [[nodiscard]] QList<QDockWidget *> docks() const { return m_docks; }
    [[nodiscard]] QDockWidget *dock(const QString &objectName) const;
    // The protocol editor dock's widget.
    [[nodiscard]] QWidget *protocolEditor() const;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // `scroll`: inside a kinetic scroll area; `wide`: horizontal scrolling too (content wider than a phone
    // column).
    QDockWidget *addPanel(
        const QString &objectName, const QString &title, QWidget *content, bool scroll, bool wide = false);
    void buildActions();
    void openRig();
    void startRun();
    void showError(const QString &title, const QString &message);
    void onRunFinished(const core::acquisition::RunOutcome &outcome, const QString &folder);
    void updateValidationContext();
    void setBusy(bool busy);
    [[nodiscard]] std::optional<core::protocol::Protocol> protocolToRun(QString *why) const;

    MainWindowOptions m_options;
    RigController *m_controller = nullptr;
    QLabel *m_remote = nullptr;  // the API's address and the last remote command; none without the API
    QString m_remoteAddress;
    PreviewPanel *m_preview = nullptr;
    RunPanel *m_run = nullptr;
    ManualControls *m_manual = nullptr;
    QAction *m_darkAction = nullptr;
    bool m_dark = false;
    InstrumentControls *m_instrument = nullptr;
    CameraSettingsPanel *m_camera = nullptr;
    StatusStrip *m_status = nullptr;
    ProtocolEditor *m_editor = nullptr;
    class RigCalibrationSession *m_calibration = nullptr;
    QAction *m_calibrateAction = nullptr;
    void openCalibrationWizard();
    QAction *m_setupAction = nullptr;
    void openInstrumentSetup();
    QAction *m_doctorAction = nullptr;
    void openRigDoctor();
    QAction *m_fleetAction = nullptr;
    QPointer<QDialog> m_fleetDialog;
    void openFleet();
    void refreshTiming();
    TimingView *m_timing = nullptr;
    QToolBar *m_primary = nullptr;
    QAction *m_liveAction = nullptr;
    QAction *m_captureAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_openAction = nullptr;
    QList<QDockWidget *> m_docks;
    bool m_compact = false;
    QString m_runsDir;
    QString m_protocolPath;
};

}  // namespace scopesync::ui
