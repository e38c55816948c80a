// FleetPanel: the leader in the GUI — connect to the fleet's broker, list the followers with their clock
// quality, capture on every online follower at now + lead (the lead from measured round trips), then a
// table and a plot of each follower's firing error and the spread.
#pragma once

#include "core/fleet/fleet_capture.h"
#include "core/fleet/fleet_link.h"
#include "ui/fleet/fleet_controller.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

class QTableWidget;

namespace scopesync::ui {

class FiringErrorPlot;
class TouchSpinBox;

// Shows what its FleetController does; the controller holds the leader and the capture policy.
class FleetPanel : public QWidget {
    Q_OBJECT

public:
    // `connectFn` opens the broker connection (app wires hal/mqtt's); empty: the panel says fleets are not
    // available in this build. `leds`: the choices for the flash (the window's rig's LEDs).
    FleetPanel(core::fleet::FleetConnectFn connectFn, QStringList leds, QWidget *parent = nullptr);
    ~FleetPanel() override;
    FleetPanel(const FleetPanel &) = delete;
    FleetPanel &operator=(const FleetPanel &) = delete;

    // For tests and the settings: the connection fields.
    void setLogin(const core::fleet::FleetLogin &login);
    [[nodiscard]] core::fleet::FleetLogin login() const;

    [[nodiscard]] bool isBusy() const { return m_busy; }
    [[nodiscard]] bool isConnected() const { return m_controller->isConnected(); }
    [[nodiscard]] QTableWidget *followerTable() const { return m_followers; }
    [[nodiscard]] QTableWidget *resultTable() const { return m_results; }
    [[nodiscard]] FiringErrorPlot *plot() const { return m_plot; }
    [[nodiscard]] QString message() const;

public Q_SLOTS:
    void connectToFleet();
    void refreshFollowers();
    void captureNow();

Q_SIGNALS:
    void busyChanged(bool busy);
    void followersChanged();
    void resultsChanged();

private:
    void setBusy(bool busy, const QString &activity = {});
    void showMessage(const QString &text, bool error);
    void showConnected(const core::fleet::FleetLogin &login, const FleetFollowers &followers);
    void showFollowers(const FleetFollowers &followers);
    void showOutcome(const core::fleet::CaptureReport &report);
    void saveSettings() const;
    void loadSettings();

    std::unique_ptr<FleetController> m_controller;
    QLineEdit *m_broker = nullptr;
    QLineEdit *m_fleet = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_passwordFile = nullptr;
    QLineEdit *m_caFile = nullptr;
    QPushButton *m_connectButton = nullptr;
    QPushButton *m_refreshButton = nullptr;
    QPushButton *m_captureButton = nullptr;
    QComboBox *m_led = nullptr;
    TouchSpinBox *m_flashUs = nullptr;
    QTableWidget *m_followers = nullptr;
    QTableWidget *m_results = nullptr;
    FiringErrorPlot *m_plot = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_leadLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    bool m_busy = false;
    int m_onlineCount = 0;
};

}  // namespace scopesync::ui
