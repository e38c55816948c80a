// ApiServer: the local HTTP/JSON API (/api/v1/…) over the one RigController that owns the rig.
#pragma once

#include "core/acquisition/protocol_run.h"
#include "ui/calibration/rig_calibration_session.h"
#include "ui/common/rig_controller.h"
#include "ui/common/rig_status.h"

#include <QElapsedTimer>
#include <QHttpServer>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <map>
#include <memory>
#include <vector>

namespace scopesync::app::api {

struct ApiConfig {
    QByteArray token;  // the bearer token every request must carry
    QString protocolsDir;  // POST /runs {"name"} resolves inside it
    QString outDir;  // run folders and the manual snapshot folder
    QString rigArg;  // "sim" or a rig file: protocols are validated against it, as by `scopesync validate`
    QString cameraConfig;  // empty: the reference rig's settings
    qsizetype maxBodyBytes = 1 << 20;
};

// Every request is checked (token, body size) then dispatched by path. Commands that take the rig go
// through the controller one at a time; a second one while the rig is held gets 409 naming the holder.
class ApiServer : public QObject {
    Q_OBJECT

public:
    ApiServer(ui::RigController &rig, ApiConfig config, QObject *parent = nullptr);

    // 0 when the address cannot be bound. Run progress is also pushed as WebSocket messages on
    // `eventsPort` of the same address (0: any free port; eventsPort() says which).
    quint16 listen(const QHostAddress &address, quint16 port, quint16 eventsPort = 0);
    [[nodiscard]] quint16 eventsPort() const { return m_ws.serverPort(); }
    // A run the API started is still going.
    [[nodiscard]] bool runActive() const { return m_rig.isRunning(); }

Q_SIGNALS:
    // A client's command was accepted ("run 3 started (three.json)", "filter green"): the GUI shows it.
    void commandAccepted(const QString &what);

private:
    using Responder = std::shared_ptr<QHttpServerResponder>;
    struct Run {
        int id = 0;
        QString name;
        QString state;  // starting, running, paused, completed, stopped, failed
        QString folder;
        bool stopAsked = false;
        QJsonArray events;  // progress, oldest first; each carries its index "seq"
        QJsonObject outcome;
        std::vector<QPointer<QWebSocket>> followers;  // sockets receiving this run's events
    };

    void handle(const QHttpServerRequest &request, Responder responder);
    void status(const Responder &r);
    void snapshot(const QHttpServerRequest &request, const Responder &r);
    void startRun(const QHttpServerRequest &request, const Responder &r);
    void runResource(const QStringList &parts, const QHttpServerRequest &request, const Responder &r);
    void led(const QString &name, const QHttpServerRequest &request, const Responder &r);
    // The instrument's devices by hand (refused while the rig is held): filter, focus nudge, set point.
    void filter(const QHttpServerRequest &request, const Responder &r);
    void focus(const QHttpServerRequest &request, const Responder &r);
    void heater(const QHttpServerRequest &request, const Responder &r);
    // The timing model for the open rig, any field overridable by a query item.
    void timing(const QHttpServerRequest &request, const Responder &r);
    // 409 naming the holder when the rig is held (true: sent).
    bool refusedWhileHeld(const Responder &r);

    // The rig's holder and what it is doing, or an empty object when it is free.
    [[nodiscard]] QJsonObject holder() const;
    [[nodiscard]] static QJsonObject runJson(const Run &run);

    void onProgress(const core::acquisition::RunProgress &p);
    void onFinished(const core::acquisition::RunOutcome &outcome, const QString &folder);
    void onCaptured(const QString &file);
    void onError(const QString &title, const QString &message);
    // Run events pushed over WebSocket: ws://host:eventsPort/api/v1/runs/{id}/events[?after=N], the
    // bearer token in the handshake's Authorization header. Each progress event is one text message
    // {"type": "progress", …}; the end is {"type": "end", "run": …}, then the socket is closed.
    using Followers = std::vector<QPointer<QWebSocket>>;
    void onSocket();
    // Sends `events` after `after` (all when none) to `socket` and adds it to `followers`.
    static void follow(
        QWebSocket *socket, const QJsonArray &events, Followers &followers, std::optional<qint64> after);
    static void push(Followers &followers, const QJsonObject &event);
    // Sends `end` to every follower and closes them.
    static void endStreams(Followers &followers, const QJsonObject &end);
    [[nodiscard]] static QJsonObject runEnd(const Run &run);

    // The flash-delay calibration (one at a time, on the controller's worker through the wizard's session):
    // POST /calibration starts it, GET /calibration reports it, POST /calibration/cancel ends it.
    void calibration(const QStringList &parts, const QHttpServerRequest &request, const Responder &r);
    [[nodiscard]] QJsonObject calibrationJson() const;
    [[nodiscard]] QJsonObject calibrationEnd() const;
    void onCalibrationStep(const ui::CalibrationStep &step);
    void onCalibrationFinished(const core::calibration::CalibrationResult &result, const QString &error);
    [[nodiscard]] QString eventsUrl(const QString &resource) const;  // "runs/3", "calibration"

    ui::RigController &m_rig;
    ApiConfig m_config;
    QHttpServer m_http;
    QWebSocketServer m_ws {QStringLiteral("scopesync"), QWebSocketServer::NonSecureMode};
    QHostAddress m_address;
    ui::RigStatus m_status;
    std::map<int, Run> m_runs;
    int m_nextRun = 1;
    int m_currentRun = 0;  // 0: none
    // A snapshot waiting for its frame (the worker answers with manualCaptured or errorOccurred).
    Responder m_snapshotReply;
    QString m_snapshotFormat;
    QStringList m_snapshotProblems;  // the snapshot's last take was flagged: why
    QString m_flashLed;  // an LED held on by POST /leds/{name}, until flashDone
    struct Calibration {
        QString state = QStringLiteral("none");  // none, running, completed, failed, cancelled
        ui::CalibrationChoice choice;
        bool apply = false;  // save the result as the rig's calibration profile and use it
        bool cancelAsked = false;
        QJsonArray steps;  // one event per frame, each with its "seq"
        QJsonObject result;
        QString error;
        QString savedTo;
        Followers followers;
    };
    Calibration m_calibration;
    std::unique_ptr<ui::RigCalibrationSession> m_calibrationSession;
    QJsonObject m_lastError;  // the last error the rig reported outside a request ("title", "message", "at")
};

}  // namespace scopesync::app::api
