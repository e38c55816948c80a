// FleetPanel: the leader in the GUI — connect to the fleet's broker, list the followers with their clock
// quality, capture on every online follower at now + lead (the lead from measured round trips), then a
// table and a plot of each follower's firing error and the spread.
#pragma once

#include "core/fleet/fleet_leader.h"
#include "core/fleet/fleet_link.h"
#include "core/fleet/lead_time_policy.h"

#include <QPointer>
#include <QWidget>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

class QTableWidget;

namespace scopesync::ui {

class FiringErrorPlot;
class TouchSpinBox;

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
    void setLogin(const core::fleet::LeaderLogin &login);
    [[nodiscard]] core::fleet::LeaderLogin login() const;

    [[nodiscard]] bool isBusy() const { return m_busy; }
    [[nodiscard]] bool isConnected() const { return m_connected; }
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
    // Everything that talks to the broker runs on one worker thread, in order; a job returns what to
    // do on the GUI thread afterwards.
    using Job = std::function<std::function<void()>()>;
    // Worker thread only: swaps the connection (the old one disconnects).
    void replaceLeader(std::unique_ptr<core::fleet::FleetLeader> leader);
    void post(const QString &activity, Job job);
    void workerLoop();
    void setBusy(bool busy, const QString &activity = {});
    void showMessage(const QString &text, bool error);
    void showFollowers(const std::map<QString, core::fleet::FollowerStatus> &followers);
    void showOutcome(const core::fleet::Command &command, const core::fleet::LeadTimeChoice &lead,
        const QStringList &targets, const core::fleet::CommandOutcome &outcome);
    void saveSettings() const;
    void loadSettings();

    core::fleet::FleetConnectFn m_connect;
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
    bool m_connected = false;
    int m_onlineCount = 0;

    // The worker.
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_quit = false;
    std::unique_ptr<core::fleet::FleetLeader> m_leader;  // touched only on the worker thread
    core::fleet::FleetLeader *m_leaderForCancel = nullptr;  // guarded by m_mutex
};

}  // namespace scopesync::ui
