// FleetController: the GUI's fleet leader without widgets, its broker exchanges on one worker.
#pragma once

#include "core/fleet/fleet_capture.h"
#include "core/fleet/fleet_leader.h"
#include "core/fleet/fleet_link.h"
#include "core/fleet/fleet_topics.h"
#include "ui/common/serial_worker.h"

#include <QObject>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

namespace scopesync::ui {

using FleetFollowers = std::map<QString, core::fleet::FollowerStatus>;

// Every public method is called on the GUI thread and returns at once; each request ends with exactly one
// result signal and then done(). The panel words the results; this object holds the policy.
class FleetController : public QObject {
    Q_OBJECT

public:
    // `connectFn` opens the broker connection (app wires hal/mqtt's); empty: no fleet in this build.
    explicit FleetController(core::fleet::FleetConnectFn connectFn, QObject *parent = nullptr);
    // Cancels a wait in progress (it ends within 50 ms), drops queued requests, disconnects.
    ~FleetController() override;
    FleetController(const FleetController &) = delete;
    FleetController &operator=(const FleetController &) = delete;

    [[nodiscard]] bool canConnect() const { return bool(m_connect); }
    [[nodiscard]] bool isConnected() const { return m_connected; }

    // Replaces any connection: connected, connectFailed or subscribeFailed follows.
    void connectToFleet(const core::fleet::FleetLogin &login, const core::fleet::FleetTopics &topics);
    // Reads the followers' status again: followersRead follows. Ignored while not connected.
    void refreshFollowers();
    // Captures one image on every online follower at now + the measured lead (FleetCapture's defaults),
    // flashing `led` for `flash` when `led` is not empty: capturing, then captured, noFollowerOnline or
    // captureFailed follow. Ignored while not connected.
    void capture(const QString &led, std::chrono::microseconds flash);

Q_SIGNALS:
    void connected(
        const scopesync::core::fleet::FleetLogin &login, const scopesync::ui::FleetFollowers &followers);
    void connectFailed(const QString &why);
    void subscribeFailed(const QString &why);
    void followersRead(const scopesync::ui::FleetFollowers &followers);
    // The lead is chosen and the command is about to go out.
    void capturing(int followers, std::chrono::milliseconds lead);
    void captured(
        const scopesync::core::fleet::CaptureReport &report, const scopesync::ui::FleetFollowers &followers);
    void noFollowerOnline();
    void captureFailed(const QString &why);
    // A request threw; `what` is its message.
    void failed(const QString &what);
    // The request's result (if any) has been signalled.
    void done();

private:
    // Runs on the worker; returns what to do on the GUI thread afterwards.
    using Job = SerialWorker::Job;
    void post(Job job);
    // Worker thread only: swaps the connection (the old one disconnects).
    void replaceLeader(std::unique_ptr<core::fleet::FleetLeader> leader);

    core::fleet::FleetConnectFn m_connect;
    bool m_connected = false;  // GUI thread
    std::unique_ptr<core::fleet::FleetLeader> m_leader;  // touched only on the worker thread

    std::mutex m_cancelMutex;  // guards m_closing and m_leaderForCancel
    bool m_closing = false;
    core::fleet::FleetLeader *m_leaderForCancel = nullptr;

    SerialWorker m_worker;  // last: started after everything it uses exists
};

}  // namespace scopesync::ui
