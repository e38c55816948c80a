// GUI test: the scripting API hosted beside the instrument window on the window's own rig controller (as
// `scopesync gui --api-token-file` does): a client's commands show in the window's status bar, and a run a
// client starts fills the run panel and holds the window's controls until it ends.
#include "app/api/api_server.h"
#include "core/acquisition/rig_description.h"
#include "hal/rig_factory.h"
#include "ui/main_window/main_window.h"
#include "ui/run/run_panel.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace scopesync;

namespace {

const QByteArray kToken = QByteArrayLiteral("gui-api-test-token-0123456789");

// One request with the bearer token; the status code and the body.
std::pair<int, QJsonObject> call(QNetworkAccessManager &net, quint16 port, const QByteArray &method,
    const QString &path, const QJsonObject &body = {})
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1/%2").arg(port).arg(path)));
    request.setRawHeader("Authorization", "Bearer " + kToken);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = net.sendCustomRequest(request, method, QJsonDocument(body).toJson());
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(20000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return {status, answer};
}

}  // namespace

class TestGuiApi : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void clientCommandsShowInTheWindow()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ui::MainWindowOptions options;
        options.rig = core::acquisition::RigDescription::referenceSim();
        options.rig.modeWidth = 2028;
        options.rig.modeHeight = 1520;
        options.runsDirectory = dir.filePath(QStringLiteral("runs"));
        ui::MainWindow window(
            [](const core::acquisition::RigDescription &rig, const core::camera::CameraSettings &s) {
                return hal::createRig(rig, s, hal::RigFactoryOptions {false, false, true});
            },
            options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("protocols"))));
        app::api::ApiServer server(*window.controller(),
            {kToken, dir.filePath(QStringLiteral("protocols")), options.runsDirectory, QStringLiteral("sim"),
                {}});
        const quint16 port = server.listen(QHostAddress::LocalHost, 0, 0);
        QVERIFY(port != 0);
        window.setRemoteAccess(QStringLiteral("http://127.0.0.1:%1/api/v1/").arg(port));
        connect(&server, &app::api::ApiServer::commandAccepted, &window, &ui::MainWindow::showRemoteCommand);
        QVERIFY(window.remoteActivity().startsWith(QStringLiteral("API http://127.0.0.1:")));
        QNetworkAccessManager net;
        QTRY_VERIFY_WITH_TIMEOUT(
            call(net, port, "GET", QStringLiteral("status")).second.value(QStringLiteral("open")).toBool(),
            20000);

        // A device command: the status bar names it.
        auto [code, body] = call(net, port, "POST", QStringLiteral("filter"),
            {{QStringLiteral("filter"), QStringLiteral("green")}});
        QCOMPARE(code, 202);
        QVERIFY2(window.remoteActivity().contains(QStringLiteral("filter green")),
            qPrintable(window.remoteActivity()));

        // A run: the window's run panel follows it and its Start button waits until it ends.
        QFile demo(QStringLiteral(SCOPESYNC_RESOURCES_DIR "/protocols/quick_demo.json"));
        QVERIFY(demo.open(QIODevice::ReadOnly));
        const QJsonObject protocol = QJsonDocument::fromJson(demo.readAll()).object();
        QSignalSpy started(window.controller(), &ui::RigController::runStarted);
        std::tie(code, body)
            = call(net, port, "POST", QStringLiteral("runs"), {{QStringLiteral("protocol"), protocol}});
        QVERIFY2(code == 202, qPrintable(QJsonDocument(body).toJson()));
        QVERIFY(window.remoteActivity().contains(QStringLiteral("run 1 started")));
        QVERIFY(started.wait(20000));
        ui::RunPanel *panel = window.runPanel();
        QTRY_VERIFY_WITH_TIMEOUT(!panel->startButton()->isEnabled(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->progressUpdates() > 0, 30000);
        // The run ends on its own; the window takes its controls back.
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 180000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->startButton()->isEnabled(), 5000);
        const auto [runCode, run] = call(net, port, "GET", QStringLiteral("runs/1"));
        QCOMPARE(runCode, 200);
        QCOMPARE(run.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        const QJsonObject outcome = run.value(QStringLiteral("outcome")).toObject();
        QCOMPARE(
            outcome.value(QStringLiteral("images_saved")), outcome.value(QStringLiteral("frames_planned")));
        QCOMPARE(panel->progressBar()->maximum(), outcome.value(QStringLiteral("frames_planned")).toInt());
        QVERIFY(!panel->resultLabel()->text().isEmpty());
    }
};

QTEST_MAIN(TestGuiApi)
#include "test_gui_api.moc"
