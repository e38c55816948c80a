// ApiServer: the local HTTP/JSON API (/api/v1/…) over the one RigController that owns the rig.
#include "app/api/api_server.h"

#include "app/api/api_security.h"
#include "app/cli/run_inputs.h"
#include "core/calibration/calibration_profile.h"
#include "core/storage/tiff_reader.h"
#include "core/timing/window_report.h"

#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QImage>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QUrl>
#include <QUrlQuery>

namespace scopesync::app::api {

namespace {

using Status = QHttpServerResponder::StatusCode;
using Method = QHttpServerRequest::Method;

constexpr qsizetype kMaxEvents = 100000;  // progress kept per run; older ones are dropped

void send(QHttpServerResponder &r, const QJsonObject &body, Status status = Status::Ok)
{
    r.write(QJsonDocument(body).toJson(QJsonDocument::Compact),
        {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
            {QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")}},
        status);
}

void error(QHttpServerResponder &r, Status status, const QString &message, const QString &field = {},
    QJsonObject extra = {})
{
    extra.insert(QStringLiteral("error"), message);
    if (!field.isEmpty())
        extra.insert(QStringLiteral("field"), field);
    send(r, extra, status);
}

// The body as a JSON object, or an error already sent (and nullopt).
std::optional<QJsonObject> jsonBody(const QHttpServerRequest &request, QHttpServerResponder &r)
{
    if (request.body().trimmed().isEmpty())
        return QJsonObject {};
    QJsonParseError pe {};
    const auto doc = QJsonDocument::fromJson(request.body(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        error(r, Status::BadRequest,
            pe.error != QJsonParseError::NoError
                ? QStringLiteral("the body is not JSON (%1 at byte %2); send a JSON object")
                      .arg(pe.errorString())
                      .arg(pe.offset)
                : QStringLiteral("the body must be a JSON object"),
            QStringLiteral("$"));
        return std::nullopt;
    }
    return doc.object();
}

QJsonValue optionalNumber(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonObject progressJson(const core::acquisition::RunProgress &p, qsizetype seq)
{
    QJsonObject o {{QStringLiteral("seq"), double(seq)},
        {QStringLiteral("frames_done"), double(p.framesDone)},
        {QStringLiteral("frames_total"), double(p.framesTotal)}, {QStringLiteral("step"), p.stepPath},
        {QStringLiteral("label"), p.label}, {QStringLiteral("activity"), p.activity},
        {QStringLiteral("elapsed_s"), p.elapsedSeconds}, {QStringLiteral("remaining_s"), p.remainingSeconds}};
    if (!p.filter.isEmpty())
        o.insert(QStringLiteral("filter"), p.filter);
    if (p.temperatureKelvin)
        o.insert(QStringLiteral("temperature_k"), *p.temperatureKelvin);
    if (p.setPointKelvin)
        o.insert(QStringLiteral("set_point_k"), *p.setPointKelvin);
    return o;
}

// A 16-bit image as an 8-bit grey PNG for a look: the significant bits scaled to 0–255.
QByteArray pngOf(const core::Image16 &image)
{
    QImage out(image.width, image.height, QImage::Format_Grayscale8);
    const int shift = std::max(0, image.bitDepth - 8);
    for (int y = 0; y < image.height; ++y) {
        uchar *row = out.scanLine(y);
        const quint16 *src = image.pixels.data() + std::size_t(y) * std::size_t(image.width);
        for (int x = 0; x < image.width; ++x)
            row[x] = uchar(std::min(255, src[x] >> shift));
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    out.save(&buffer, "PNG");
    return bytes;
}

}  // namespace

ApiServer::ApiServer(ui::RigController &rig, ApiConfig config, QObject *parent)
    : QObject(parent), m_rig(rig), m_config(std::move(config))
{
    // No routes: one handler checks every request first, then dispatches by path.
    m_http.setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        handle(request, std::make_shared<QHttpServerResponder>(std::move(responder)));
    });
    connect(
        &m_rig, &ui::RigController::statusChanged, this, [this](const ui::RigStatus &st) { m_status = st; });
    connect(&m_rig, &ui::RigController::runStarted, this, [this](const QString &folder) {
        if (auto it = m_runs.find(m_currentRun); it != m_runs.end()) {
            it->second.folder = folder;
            it->second.state = QStringLiteral("running");
        }
    });
    connect(&m_rig, &ui::RigController::runProgress, this, &ApiServer::onProgress);
    connect(&m_rig, &ui::RigController::runPausedChanged, this, [this](bool paused) {
        if (auto it = m_runs.find(m_currentRun);
            it != m_runs.end() && it->second.state != QLatin1String("starting"))
            it->second.state = paused ? QStringLiteral("paused") : QStringLiteral("running");
    });
    connect(&m_rig, &ui::RigController::runFinished, this, &ApiServer::onFinished);
    connect(&m_rig, &ui::RigController::manualFlagged, this,
        [this](const QString &, const QStringList &problems) { m_snapshotProblems = problems; });
    connect(&m_rig, &ui::RigController::manualCaptured, this, &ApiServer::onCaptured);
    connect(&m_rig, &ui::RigController::errorOccurred, this, &ApiServer::onError);
    connect(&m_rig, &ui::RigController::flashDone, this, [this](const QString &) { m_flashLed.clear(); });
    m_calibrationSession = std::make_unique<ui::RigCalibrationSession>(m_rig);
    connect(m_calibrationSession.get(), &ui::CalibrationSession::calibrationStep, this,
        &ApiServer::onCalibrationStep);
    connect(m_calibrationSession.get(), &ui::CalibrationSession::calibrationFinished, this,
        &ApiServer::onCalibrationFinished);
}

quint16 ApiServer::listen(const QHostAddress &address, quint16 port, quint16 eventsPort)
{
    const quint16 bound = m_http.listen(address, port);
    if (bound == 0)
        return 0;
    if (!m_ws.listen(address, eventsPort))
        return 0;
    m_address = address;
    connect(&m_ws, &QWebSocketServer::newConnection, this, &ApiServer::onSocket, Qt::UniqueConnection);
    return bound;
}

QString ApiServer::eventsUrl(const QString &resource) const
{
    const QString host = m_address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(m_address.toString())
        : m_address.toString();
    return QStringLiteral("ws://%1:%2/api/v1/%3/events").arg(host).arg(m_ws.serverPort()).arg(resource);
}

void ApiServer::onSocket()
{
    while (QWebSocket *socket = m_ws.nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        const auto refuse = [socket](QWebSocketProtocol::CloseCode code, const QString &why) {
            socket->sendTextMessage(QString::fromUtf8(QJsonDocument(
                QJsonObject {{QStringLiteral("type"), QStringLiteral("error")},
                    {QStringLiteral("error"), why}}).toJson(QJsonDocument::Compact)));
            socket->close(code, why);
        };
        if (!bearerMatches(socket->request().rawHeader("Authorization"), m_config.token)) {
            refuse(QWebSocketProtocol::CloseCodePolicyViolated,
                QStringLiteral("missing or wrong bearer token; send \"Authorization: Bearer <token>\" in the "
                               "handshake"));
            continue;
        }
        const QUrl url = socket->requestUrl();
        const QStringList parts = url.path().split(u'/', Qt::SkipEmptyParts);
        bool ok = false;
        const qint64 after = QUrlQuery(url).queryItemValue(QStringLiteral("after")).toLongLong(&ok);
        const std::optional<qint64> mark = ok ? std::optional<qint64>(after) : std::nullopt;
        const bool api = parts.size() >= 4 && parts.at(0) == QLatin1String("api")
            && parts.at(1) == QLatin1String("v1") && parts.last() == QLatin1String("events");
        if (api && parts.size() == 4 && parts.at(2) == QLatin1String("calibration")) {
            follow(socket, m_calibration.steps, m_calibration.followers, mark);
            if (m_calibration.state != QLatin1String("running"))
                endStreams(m_calibration.followers, calibrationEnd());
            continue;
        }
        const int id
            = api && parts.size() == 5 && parts.at(2) == QLatin1String("runs") ? parts.at(3).toInt(&ok) : 0;
        const auto it = ok ? m_runs.find(id) : m_runs.end();
        if (it == m_runs.end()) {
            refuse(QWebSocketProtocol::CloseCodeProtocolError,
                QStringLiteral(
                    "no run events at %1; use /api/v1/runs/{id}/events with the id POST /runs gave, "
                    "or /api/v1/calibration/events")
                    .arg(url.path()));
            continue;
        }
        Run &run = it->second;
        follow(socket, run.events, run.followers, mark);
        if (!run.outcome.isEmpty())
            endStreams(run.followers, runEnd(run));
    }
}

void ApiServer::follow(
    QWebSocket *socket, const QJsonArray &events, Followers &followers, std::optional<qint64> after)
{
    for (const QJsonValue &e : events) {
        QJsonObject event = e.toObject();
        if (after && event.value(QStringLiteral("seq")).toInteger() <= *after)
            continue;
        event.insert(QStringLiteral("type"), QStringLiteral("progress"));
        socket->sendTextMessage(QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact)));
    }
    followers.emplace_back(socket);
}

void ApiServer::push(Followers &followers, const QJsonObject &event)
{
    QJsonObject message = event;
    message.insert(QStringLiteral("type"), QStringLiteral("progress"));
    const QString text = QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
    std::erase_if(followers, [](const QPointer<QWebSocket> &s) { return s.isNull(); });
    for (const auto &s : followers)
        s->sendTextMessage(text);
}

void ApiServer::endStreams(Followers &followers, const QJsonObject &end)
{
    const QString text = QString::fromUtf8(QJsonDocument(end).toJson(QJsonDocument::Compact));
    for (const auto &s : followers) {
        if (s.isNull())
            continue;
        s->sendTextMessage(text);
        s->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("ended"));
    }
    followers.clear();
}

QJsonObject ApiServer::runEnd(const Run &run)
{
    return {{QStringLiteral("type"), QStringLiteral("end")}, {QStringLiteral("run"), runJson(run)}};
}

void ApiServer::handle(const QHttpServerRequest &request, Responder r)
{
    if (!bearerMatches(request.value(QByteArrayLiteral("Authorization")), m_config.token)) {
        r->write(QJsonDocument(QJsonObject {{QStringLiteral("error"),
                                   QStringLiteral("missing or wrong token; send 'Authorization: Bearer "
                                                  "<token>' with the content of the server's token file")}})
                     .toJson(QJsonDocument::Compact),
            {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
                {QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer")}},
            Status::Unauthorized);
        return;
    }
    if (request.body().size() > m_config.maxBodyBytes) {
        error(*r, Status::PayloadTooLarge,
            QStringLiteral("the body has %1 bytes, more than the limit of %2; send a smaller protocol")
                .arg(request.body().size())
                .arg(m_config.maxBodyBytes));
        return;
    }
    const QString path = request.url().path();
    static const QString prefix = QStringLiteral("/api/v1/");
    if (!path.startsWith(prefix)) {
        error(*r, Status::NotFound,
            QStringLiteral("no resource at %1; the API lives under /api/v1/").arg(path));
        return;
    }
    const QStringList parts = path.mid(prefix.size()).split(u'/', Qt::SkipEmptyParts);
    const Method method = request.method();
    const auto wrongMethod = [&r, &path](const char *allowed) {
        error(*r, Status::MethodNotAllowed,
            QStringLiteral("%1 takes %2 only").arg(path, QLatin1String(allowed)));
    };
    const QString head = parts.value(0);
    if (parts.size() == 1 && head == QLatin1String("openapi.json")) {
        if (method != Method::Get)
            return wrongMethod("GET");
        QFile doc(QStringLiteral(":/api/openapi.json"));
        (void)doc.open(QIODevice::ReadOnly);
        r->write(doc.readAll(), {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}});
        return;
    }
    if (parts.size() == 1 && head == QLatin1String("status")) {
        if (method != Method::Get)
            return wrongMethod("GET");
        return status(r);
    }
    if (parts.size() == 1 && head == QLatin1String("snapshot")) {
        if (method != Method::Post)
            return wrongMethod("POST");
        return snapshot(request, r);
    }
    if (parts.size() == 1 && head == QLatin1String("runs")) {
        if (method != Method::Post)
            return wrongMethod("POST");
        return startRun(request, r);
    }
    if (parts.size() >= 2 && head == QLatin1String("runs"))
        return runResource(parts, request, r);
    if (parts.size() == 2 && head == QLatin1String("leds")) {
        if (method != Method::Post)
            return wrongMethod("POST");
        return led(parts.at(1), request, r);
    }
    if (parts.size() == 1 && head == QLatin1String("filter")) {
        if (method != Method::Post)
            return wrongMethod("POST");
        return filter(request, r);
    }
    if (parts.size() == 1 && head == QLatin1String("focus")) {
        if (method != Method::Post)
            return wrongMethod("POST");
        return focus(request, r);
    }
    if (parts.size() == 1 && head == QLatin1String("heater")) {
        if (method != Method::Put)
            return wrongMethod("PUT");
        return heater(request, r);
    }
    if (!parts.isEmpty() && parts.size() <= 2 && head == QLatin1String("calibration"))
        return calibration(parts, request, r);
    if (parts.size() == 1 && head == QLatin1String("timing")) {
        if (method != Method::Get)
            return wrongMethod("GET");
        return timing(request, r);
    }
    error(*r, Status::NotFound,
        QStringLiteral("no resource at %1; GET /api/v1/openapi.json lists every route").arg(path));
}

QJsonObject ApiServer::holder() const
{
    if (auto it = m_runs.find(m_currentRun); it != m_runs.end()) {
        const Run &run = it->second;
        QString doing = QStringLiteral("run %1 (%2) %3").arg(run.id).arg(run.name, run.state);
        if (!run.events.isEmpty()) {
            const QJsonObject last = run.events.last().toObject();
            doing += QStringLiteral(", %1/%2 images")
                         .arg(last.value(QStringLiteral("frames_done")).toInteger())
                         .arg(last.value(QStringLiteral("frames_total")).toInteger());
        }
        return {{QStringLiteral("holder"), QStringLiteral("api")}, {QStringLiteral("activity"), doing},
            {QStringLiteral("run"), QStringLiteral("/api/v1/runs/%1").arg(run.id)}};
    }
    if (m_calibration.state == QLatin1String("running"))
        return {{QStringLiteral("holder"), QStringLiteral("api")},
            {QStringLiteral("activity"),
                QStringLiteral("calibrating the flash delay, %1 frames so far")
                    .arg(m_calibration.steps.size())},
            {QStringLiteral("calibration"), QStringLiteral("/api/v1/calibration")}};
    if (m_rig.isRunning())
        return {{QStringLiteral("holder"), QStringLiteral("instrument")},
            {QStringLiteral("activity"), QStringLiteral("a run started at the instrument")}};
    if (m_snapshotReply)
        return {{QStringLiteral("holder"), QStringLiteral("api")},
            {QStringLiteral("activity"), QStringLiteral("taking a snapshot")}};
    if (!m_flashLed.isEmpty())
        return {{QStringLiteral("holder"), QStringLiteral("api")},
            {QStringLiteral("activity"), QStringLiteral("holding LED %1 on").arg(m_flashLed)}};
    return {};
}

void ApiServer::status(const Responder &r)
{
    const auto &d = m_rig.description();
    QJsonArray leds;
    for (const QString &name : d.ledNames())
        leds.append(QJsonObject {
            {QStringLiteral("name"), name}, {QStringLiteral("max_on_ms"), double(d.maxOnFor(name).count())}});
    QJsonObject o {{QStringLiteral("open"), m_status.open}, {QStringLiteral("summary"), m_status.summary},
        {QStringLiteral("backend"), d.backend},
        {QStringLiteral("mode"), QStringLiteral("%1 %2x%3").arg(d.sensor).arg(d.modeWidth).arg(d.modeHeight)},
        {QStringLiteral("trigger"), core::acquisition::triggerModeName(d.trigger)},
        {QStringLiteral("flash_delay_us"), double(d.delay.count())}, {QStringLiteral("leds"), leds},
        {QStringLiteral("leds_off"), m_status.ledsOff}, {QStringLiteral("lit"), m_status.litLeds},
        {QStringLiteral("running"), m_rig.isRunning()},
        {QStringLiteral("strobe"),
            QJsonObject {{QStringLiteral("triggers"), double(m_status.strobe.triggers)},
                {QStringLiteral("missed"), double(m_status.strobe.missed)},
                {QStringLiteral("late_edges"), double(m_status.strobe.lateEdges)}}}};
    if (m_status.hasFilterWheel)
        o.insert(QStringLiteral("filter"),
            m_status.filterInPlace.isEmpty() ? QJsonValue(QJsonValue::Null)
                                             : QJsonValue(m_status.filterInPlace));
    if (m_status.focusSteps)
        o.insert(QStringLiteral("focus_steps"), *m_status.focusSteps);
    if (m_status.temperatureKelvin || m_status.setPointKelvin) {
        o.insert(QStringLiteral("temperature_k"), optionalNumber(m_status.temperatureKelvin));
        o.insert(QStringLiteral("set_point_k"), optionalNumber(m_status.setPointKelvin));
    }
    const QJsonObject h = holder();
    o.insert(QStringLiteral("held_by"), h.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(h));
    o.insert(QStringLiteral("last_error"),
        m_lastError.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(m_lastError));
    send(*r, o);
}

void ApiServer::snapshot(const QHttpServerRequest &request, const Responder &r)
{
    const auto body = jsonBody(request, *r);
    if (!body)
        return;
    const auto &d = m_rig.description();
    const QJsonValue ledValue = body->value(QStringLiteral("led"));
    if (!ledValue.isNull() && !ledValue.isUndefined() && !ledValue.isString())
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("\"led\" is an LED name or null (a dark frame)"), QStringLiteral("$.led"));
    const QString led = ledValue.toString();
    if (!led.isEmpty() && !d.leds.contains(led))
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("the rig has no LED '%1'; use one of %2")
                .arg(led, d.ledNames().join(QStringLiteral(", "))),
            QStringLiteral("$.led"));
    const QJsonValue ms = body->value(QStringLiteral("flash_ms"));
    const qint64 flashMs = ms.isUndefined() ? 50 : ms.toInteger(-1);
    if (!led.isEmpty() && (flashMs <= 0 || flashMs > d.maxOnFor(led).count()))
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("\"flash_ms\" must be a whole number from 1 to %1, the rig's safety limit for %2")
                .arg(d.maxOnFor(led).count())
                .arg(led),
            QStringLiteral("$.flash_ms"));
    const QString format = body->value(QStringLiteral("format")).toString(QStringLiteral("tiff"));
    if (format != QLatin1String("png") && format != QLatin1String("tiff"))
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral(
                "\"format\" is \"png\" (8-bit, for a look) or \"tiff\" (16-bit OME-TIFF, for data)"),
            QStringLiteral("$.format"));
    if (const auto h = holder(); !h.isEmpty())
        return error(*r, Status::Conflict,
            QStringLiteral("the rig is busy: %1; wait or stop it")
                .arg(h.value(QStringLiteral("activity")).toString()),
            {}, h);
    m_snapshotReply = r;
    m_snapshotFormat = format;
    m_rig.captureManual(led, std::chrono::milliseconds(flashMs), m_config.outDir);
    Q_EMIT commandAccepted(
        led.isEmpty() ? tr("dark snapshot") : tr("snapshot with %1 for %2 ms").arg(led).arg(flashMs));
}

void ApiServer::onCaptured(const QString &file)
{
    if (!m_snapshotReply)
        return;
    const Responder r = std::move(m_snapshotReply);
    m_snapshotReply.reset();
    // Every take flagged (the light measured differs from the plan): the image goes back with the reasons
    // in a header, percent-encoded, so a script cannot take it for a good one.
    const QByteArray problems = QUrl::toPercentEncoding(m_snapshotProblems.join(QStringLiteral("; ")));
    m_snapshotProblems.clear();
    const auto reply = [&](const QByteArray &data, const QByteArray &type) {
        if (problems.isEmpty())
            r->write(data,
                {{QByteArrayLiteral("Content-Type"), type},
                    {QByteArrayLiteral("X-ScopeSync-File"), QFile::encodeName(file)}});
        else
            r->write(data,
                {{QByteArrayLiteral("Content-Type"), type},
                    {QByteArrayLiteral("X-ScopeSync-File"), QFile::encodeName(file)},
                    {QByteArrayLiteral("X-ScopeSync-Dose-Problems"), problems}});
    };
    if (m_snapshotFormat == QLatin1String("png")) {
        auto image = core::storage::TiffReader::read(file);
        if (!image.ok())
            return error(*r, Status::InternalServerError, image.error().toString());
        return reply(pngOf(image->image), QByteArrayLiteral("image/png"));
    }
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return error(*r, Status::InternalServerError, QStringLiteral("%1: %2").arg(file, f.errorString()));
    reply(f.readAll(), QByteArrayLiteral("image/tiff"));
}

void ApiServer::onError(const QString &title, const QString &message)
{
    if (m_snapshotReply) {
        const Responder r = std::move(m_snapshotReply);
        m_snapshotReply.reset();
        error(*r, Status::InternalServerError, QStringLiteral("%1: %2").arg(title, message));
        return;
    }
    // Outside a request (a filter that did not settle, a heater fault): kept for GET /status.
    m_lastError = {{QStringLiteral("title"), title}, {QStringLiteral("message"), message},
        {QStringLiteral("at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
    m_flashLed.clear();
}

void ApiServer::startRun(const QHttpServerRequest &request, const Responder &r)
{
    const auto body = jsonBody(request, *r);
    if (!body)
        return;
    const QJsonValue name = body->value(QStringLiteral("name"));
    const QJsonValue inline_ = body->value(QStringLiteral("protocol"));
    if (name.isUndefined() == inline_.isUndefined())
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral(
                "give either \"name\" (a file in the protocols folder) or \"protocol\" (the protocol "
                "as a JSON object), not both or neither"),
            QStringLiteral("$"));
    QString path;
    QTemporaryDir tmp;
    QString runName;
    if (!name.isUndefined()) {
        if (!name.isString())
            return error(*r, Status::UnprocessableEntity,
                QStringLiteral("\"name\" is a file name in the protocols folder"), QStringLiteral("$.name"));
        path = resolveProtocolName(m_config.protocolsDir, name.toString());
        if (path.isEmpty())
            return error(*r, Status::NotFound,
                QStringLiteral(
                    "no protocol named '%1' in the protocols folder; give the name of a file in it "
                    "(no folders above it)")
                    .arg(name.toString()),
                QStringLiteral("$.name"));
        runName = name.toString();
    } else {
        if (!inline_.isObject())
            return error(*r, Status::UnprocessableEntity,
                QStringLiteral("\"protocol\" is the protocol as a JSON object (as in a .json protocol file)"),
                QStringLiteral("$.protocol"));
        path = tmp.filePath(QStringLiteral("protocol.json"));
        QFile f(path);
        if (!tmp.isValid() || !f.open(QIODevice::WriteOnly)
            || f.write(QJsonDocument(inline_.toObject()).toJson()) < 0)
            return error(*r, Status::InternalServerError,
                QStringLiteral("cannot keep the protocol in a temporary file"));
        f.close();
        runName = inline_.toObject().value(QStringLiteral("name")).toString(QStringLiteral("protocol"));
    }
    // The same reading and checks as `scopesync validate` and `scopesync run`.
    const RunInputs in = loadRunInputs({path, m_config.cameraConfig, m_config.rigArg, {}, {}});
    if (in.hasErrors()) {
        core::Diagnostics all = in.protocolFile.diagnostics;
        all.append(in.rigFile.diagnostics);
        all.append(in.cameraFile.diagnostics);
        const auto errors = all.errors();
        // Paths inside an inline protocol are under $.protocol.
        QString field = errors.isEmpty() ? QString() : errors.constFirst().path;
        QJsonArray diagnostics = all.toJson(core::Severity::Error);
        if (!inline_.isUndefined() && field.startsWith(u'$'))
            field = QStringLiteral("$.protocol") + field.mid(1);
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("the protocol is not valid: %1")
                .arg(errors.isEmpty() ? QString() : errors.constFirst().message),
            field,
            {{QStringLiteral("diagnostics"), diagnostics},
                {QStringLiteral("warnings"), all.toJson(core::Severity::Warning)}});
    }
    if (const auto h = holder(); !h.isEmpty())
        return error(*r, Status::Conflict,
            QStringLiteral("the rig is busy: %1; wait or stop it")
                .arg(h.value(QStringLiteral("activity")).toString()),
            {}, h);
    Run run;
    run.id = m_nextRun++;
    run.name = runName;
    run.state = QStringLiteral("starting");
    m_currentRun = run.id;
    const int id = run.id;
    m_runs[id] = run;
    m_rig.startRun(*in.protocol, m_config.outDir, name.isUndefined() ? QStringList() : QStringList {path});
    Q_EMIT commandAccepted(tr("run %1 started (%2)").arg(id).arg(runName));
    const QString href = QStringLiteral("/api/v1/runs/%1").arg(id);
    send(*r,
        {{QStringLiteral("id"), id}, {QStringLiteral("href"), href},
            {QStringLiteral("events_ws"), eventsUrl(QStringLiteral("runs/%1").arg(id))}},
        Status::Accepted);
}

QJsonObject ApiServer::runJson(const Run &run)
{
    QJsonObject o {{QStringLiteral("id"), run.id}, {QStringLiteral("name"), run.name},
        {QStringLiteral("state"), run.state}, {QStringLiteral("folder"), run.folder},
        {QStringLiteral("events"),
            double(run.events.isEmpty()
                    ? 0
                    : run.events.last().toObject().value(QStringLiteral("seq")).toInteger() + 1)}};
    o.insert(
        QStringLiteral("progress"), run.events.isEmpty() ? QJsonValue(QJsonValue::Null) : run.events.last());
    o.insert(QStringLiteral("outcome"),
        run.outcome.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(run.outcome));
    return o;
}

void ApiServer::runResource(const QStringList &parts, const QHttpServerRequest &request, const Responder &r)
{
    bool ok = false;
    const int id = parts.at(1).toInt(&ok);
    const auto it = ok ? m_runs.find(id) : m_runs.end();
    if (it == m_runs.end())
        return error(*r, Status::NotFound,
            QStringLiteral("no run %1; POST /api/v1/runs answers with the id of the run it starts")
                .arg(parts.at(1)));
    Run &run = it->second;
    const bool active = id == m_currentRun;
    const QString what = parts.value(2);
    const Method method = request.method();
    if (parts.size() == 2
        || (parts.size() == 3 && (what == QLatin1String("manifest") || what == QLatin1String("events")))) {
        if (method != Method::Get)
            return error(
                *r, Status::MethodNotAllowed, QStringLiteral("%1 takes GET only").arg(request.url().path()));
    } else if (parts.size() == 3
        && (what == QLatin1String("stop") || what == QLatin1String("pause")
            || what == QLatin1String("continue"))) {
        if (method != Method::Post)
            return error(
                *r, Status::MethodNotAllowed, QStringLiteral("%1 takes POST only").arg(request.url().path()));
    } else {
        return error(*r, Status::NotFound, QStringLiteral("no resource at %1").arg(request.url().path()));
    }

    if (parts.size() == 2) {
        QJsonObject o = runJson(run);
        o.insert(QStringLiteral("events_ws"), eventsUrl(QStringLiteral("runs/%1").arg(run.id)));
        return send(*r, o);
    }
    if (what == QLatin1String("events")) {
        // Polling: the events after index `after` (exclusive; -1 or absent for all).
        bool afterOk = true;
        const QString afterText = request.query().queryItemValue(QStringLiteral("after"));
        const qint64 after = afterText.isEmpty() ? -1 : afterText.toLongLong(&afterOk);
        if (!afterOk)
            return error(*r, Status::BadRequest,
                QStringLiteral("'after' is the \"seq\" of the last event you have (a whole number)"),
                QStringLiteral("after"));
        QJsonArray out;
        for (const auto &e : std::as_const(run.events))
            if (e.toObject().value(QStringLiteral("seq")).toInteger() > after)
                out.append(e);
        return send(*r, {{QStringLiteral("state"), run.state}, {QStringLiteral("events"), out}});
    }
    if (what == QLatin1String("manifest")) {
        QJsonArray images;
        if (!run.folder.isEmpty()) {
            QFile f(QDir(run.folder).filePath(QStringLiteral("manifest.jsonl")));
            if (f.open(QIODevice::ReadOnly))
                for (const QByteArray &line : f.readAll().split('\n'))
                    if (const auto doc = QJsonDocument::fromJson(line); doc.isObject())
                        images.append(doc.object());
        }
        return send(*r, {{QStringLiteral("folder"), run.folder}, {QStringLiteral("entries"), images}});
    }
    if (!active)
        return error(*r, Status::Conflict,
            QStringLiteral("run %1 has ended (%2); nothing to %3").arg(id).arg(run.state, what),
            QStringLiteral("state"));
    if (what == QLatin1String("stop")) {
        run.stopAsked = true;
        m_rig.stopRun();
    } else {
        m_rig.setPaused(what == QLatin1String("pause"));
    }
    Q_EMIT commandAccepted(tr("run %1: %2").arg(id).arg(what));
    send(*r, runJson(run), Status::Accepted);
}

void ApiServer::onProgress(const core::acquisition::RunProgress &p)
{
    auto it = m_runs.find(m_currentRun);
    if (it == m_runs.end())
        return;
    Run &run = it->second;
    const qsizetype seq = run.events.isEmpty()
        ? 0
        : run.events.last().toObject().value(QStringLiteral("seq")).toInteger() + 1;
    run.events.append(progressJson(p, seq));
    if (run.events.size() > kMaxEvents)
        run.events.removeFirst();
    push(run.followers, run.events.last().toObject());
}

void ApiServer::onFinished(const core::acquisition::RunOutcome &outcome, const QString &folder)
{
    auto it = m_runs.find(m_currentRun);
    m_currentRun = 0;
    if (it == m_runs.end())
        return;
    Run &run = it->second;
    if (!folder.isEmpty())
        run.folder = folder;
    run.state = outcome.completed ? QStringLiteral("completed")
        : run.stopAsked           ? QStringLiteral("stopped")
                                  : QStringLiteral("failed");
    run.outcome = {{QStringLiteral("completed"), outcome.completed},
        {QStringLiteral("stop_reason"), outcome.stopReason},
        {QStringLiteral("images_saved"), double(outcome.imagesSaved)},
        {QStringLiteral("frames_planned"), double(outcome.framesPlanned)},
        {QStringLiteral("dose_errors"), double(outcome.doseErrors)},
        {QStringLiteral("leds_off_at_end"), outcome.ledsOffAtEnd},
        {QStringLiteral("notes"), QJsonArray::fromStringList(outcome.notes)}};
    // A last event with the final count, so a client following the events alone sees the end.
    const qsizetype seq = run.events.isEmpty()
        ? 0
        : run.events.last().toObject().value(QStringLiteral("seq")).toInteger() + 1;
    run.events.append(QJsonObject {{QStringLiteral("seq"), double(seq)},
        {QStringLiteral("frames_done"), double(outcome.imagesSaved)},
        {QStringLiteral("frames_total"), double(outcome.framesPlanned)},
        {QStringLiteral("activity"), run.state}, {QStringLiteral("label"), QString()},
        {QStringLiteral("step"), QString()}});
    push(run.followers, run.events.last().toObject());
    endStreams(run.followers, runEnd(run));
}

void ApiServer::led(const QString &name, const QHttpServerRequest &request, const Responder &r)
{
    const auto body = jsonBody(request, *r);
    if (!body)
        return;
    const auto &d = m_rig.description();
    if (!d.leds.contains(name))
        return error(*r, Status::NotFound,
            QStringLiteral("the rig has no LED '%1'; use one of %2")
                .arg(name, d.ledNames().join(QStringLiteral(", "))));
    const qint64 limit = d.maxOnFor(name).count();
    const qint64 onMs = body->value(QStringLiteral("on_ms")).toInteger(-1);
    if (onMs <= 0 || onMs > limit)
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("\"on_ms\" must be a whole number from 1 to %1, the rig's safety limit for %2")
                .arg(limit)
                .arg(name),
            QStringLiteral("$.on_ms"));
    if (const auto h = holder(); !h.isEmpty())
        return error(*r, Status::Conflict,
            QStringLiteral("the rig is busy: %1; wait or stop it")
                .arg(h.value(QStringLiteral("activity")).toString()),
            {}, h);
    m_flashLed = name;
    m_rig.flash(name, std::chrono::milliseconds(onMs));
    Q_EMIT commandAccepted(tr("LED %1 on for %2 ms").arg(name).arg(onMs));
    send(*r, {{QStringLiteral("led"), name}, {QStringLiteral("on_ms"), double(onMs)}}, Status::Accepted);
}

bool ApiServer::refusedWhileHeld(const Responder &r)
{
    const auto h = holder();
    if (h.isEmpty())
        return false;
    error(*r, Status::Conflict,
        QStringLiteral("the rig is busy: %1; wait or stop it")
            .arg(h.value(QStringLiteral("activity")).toString()),
        {}, h);
    return true;
}

void ApiServer::filter(const QHttpServerRequest &request, const Responder &r)
{
    const auto body = jsonBody(request, *r);
    if (!body)
        return;
    const auto &d = m_rig.description();
    if (!d.filterWheel)
        return error(*r, Status::NotFound, QStringLiteral("the rig has no filter wheel"));
    const QJsonValue v = body->value(QStringLiteral("filter"));
    const QString order = d.filterWheel->order.join(QStringLiteral(", "));
    if (!v.isString() || !d.filterWheel->order.contains(v.toString()))
        return error(*r, Status::UnprocessableEntity,
            v.isString()
                ? QStringLiteral("the wheel has no filter '%1'; use one of %2").arg(v.toString(), order)
                : QStringLiteral("\"filter\" must be a filter name, one of %1").arg(order),
            QStringLiteral("$.filter"));
    if (refusedWhileHeld(r))
        return;
    m_lastError = {};
    m_rig.moveFilter(v.toString());
    Q_EMIT commandAccepted(tr("filter %1").arg(v.toString()));
    send(*r,
        {{QStringLiteral("filter"), v.toString()},
            {QStringLiteral("status"), QStringLiteral("/api/v1/status")}},
        Status::Accepted);
}

void ApiServer::focus(const QHttpServerRequest &request, const Responder &r)
{
    const auto body = jsonBody(request, *r);
    if (!body)
        return;
    const auto &d = m_rig.description();
    if (!d.focus)
        return error(*r, Status::NotFound, QStringLiteral("the rig has no focus drive"));
    const QJsonValue v = body->value(QStringLiteral("nudge_steps"));
    const double steps = v.toDouble(0.0);
    const int span = d.focus->maxSteps - d.focus->minSteps;
    if (!v.isDouble() || steps != std::trunc(steps) || steps == 0.0 || std::abs(steps) > span)
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("\"nudge_steps\" must be a whole number of steps, not 0, at most %1 either way "
                           "(the focus range)")
                .arg(span),
            QStringLiteral("$.nudge_steps"));
    if (refusedWhileHeld(r))
        return;
    m_lastError = {};
    m_rig.nudgeFocus(int(steps));
    Q_EMIT commandAccepted(tr("focus nudged %1 steps").arg(int(steps)));
    send(*r,
        {{QStringLiteral("nudge_steps"), steps},
            {QStringLiteral("status"), QStringLiteral("/api/v1/status")}},
        Status::Accepted);
}

void ApiServer::heater(const QHttpServerRequest &request, const Responder &r)
{
    const auto body = jsonBody(request, *r);
    if (!body)
        return;
    const auto &d = m_rig.description();
    if (!d.heater)
        return error(*r, Status::NotFound, QStringLiteral("the rig has no heater"));
    const QJsonValue v = body->value(QStringLiteral("set_point_c"));
    const double maxC = d.heater->maxKelvin - 273.15;
    std::optional<double> kelvin;
    if (v.isDouble()) {
        const double c = v.toDouble();
        if (!std::isfinite(c) || c < 0.0 || c >= maxC)
            return error(*r, Status::UnprocessableEntity,
                QStringLiteral("a set point of %1 °C is outside 0 °C to below the rig's limit of %2 °C")
                    .arg(c)
                    .arg(maxC),
                QStringLiteral("$.set_point_c"));
        kelvin = c + 273.15;
    } else if (!v.isNull()) {
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("\"set_point_c\" must be a temperature in °C, or null to turn the heater off"),
            QStringLiteral("$.set_point_c"));
    }
    // Turning the heater off is always allowed; a new set point waits until the rig is free.
    if (kelvin && refusedWhileHeld(r))
        return;
    m_lastError = {};
    m_rig.setSetPoint(kelvin);
    Q_EMIT commandAccepted(
        kelvin ? tr("set point %1 °C").arg(*kelvin - 273.15, 0, 'f', 1) : tr("heater off"));
    send(*r,
        {{QStringLiteral("set_point_c"),
             kelvin ? QJsonValue(*kelvin - 273.15) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("status"), QStringLiteral("/api/v1/status")}},
        Status::Accepted);
}

void ApiServer::timing(const QHttpServerRequest &request, const Responder &r)
{
    const auto &d = m_rig.description();
    const QUrlQuery q = request.query();
    const QString sensorId
        = q.hasQueryItem(QStringLiteral("sensor")) ? q.queryItemValue(QStringLiteral("sensor")) : d.sensor;
    // The rig's own sensor may be a camera its rig file describes (a Qt camera), not a catalog entry.
    const auto *sensor = q.hasQueryItem(QStringLiteral("sensor"))
        ? core::timing::SensorCatalog::find(sensorId)
        : d.sensorInfo();
    if (!sensor)
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("unknown sensor '%1'; known sensors: %2")
                .arg(sensorId, core::timing::SensorCatalog::ids().join(QStringLiteral(", "))),
            QStringLiteral("sensor"));
    const QString modeName = q.hasQueryItem(QStringLiteral("mode"))
        ? q.queryItemValue(QStringLiteral("mode"))
        : QStringLiteral("%1x%2").arg(d.modeWidth).arg(d.modeHeight);
    const auto wh = core::timing::parseModeName(modeName);
    const core::timing::SensorMode *mode = wh ? sensor->findMode(wh->first, wh->second) : nullptr;
    if (!mode)
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("'%1' is not a mode of the %2; use one of %3")
                .arg(modeName, sensor->id, sensor->modeNames().join(QStringLiteral(", "))),
            QStringLiteral("mode"));
    const auto number
        = [&q](const char *key, double fallback, double lo, double hi) -> std::optional<double> {
        const QString k = QLatin1String(key);
        if (!q.hasQueryItem(k))
            return fallback;
        bool ok = false;
        const double v = q.queryItemValue(k).toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < lo || v > hi)
            return std::nullopt;
        return v;
    };
    const auto &settings = m_rig.settings();
    const double shutterDefault = settings.shutter ? double(settings.shutter->count()) : 0.0;
    const auto shutter = number("shutter_us", shutterDefault, 1, 3.6e9);
    const auto flash = number("flash_ms", 0.0, 0.001, 3.6e6);
    const auto offset = number("offset_us", 0.0, -1e7, 1e7);
    if (!shutter || *shutter <= 0.0)
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral(
                "shutter_us must be a number of µs from 1 to 3.6e9 (the rig's camera settings give "
                "none)"),
            QStringLiteral("shutter_us"));
    if (!flash || *flash <= 0.0)
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("flash_ms is required: the flash length in ms, from 0.001 to 3.6e6"),
            QStringLiteral("flash_ms"));
    if (!offset)
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("offset_us must be a number of µs from -1e7 to 1e7"), QStringLiteral("offset_us"));
    send(*r, core::timing::windowReport(*sensor, *mode, *shutter, *flash, *offset));
}

QJsonObject ApiServer::calibrationJson() const
{
    const auto &c = m_calibration;
    QJsonObject o {{QStringLiteral("state"), c.state}, {QStringLiteral("frames"), double(c.steps.size())},
        {QStringLiteral("led"), c.choice.led},
        {QStringLiteral("flash_ms"), double(c.choice.flash.count()) / 1000.0},
        {QStringLiteral("apply"), c.apply},
        {QStringLiteral("events_ws"), eventsUrl(QStringLiteral("calibration"))},
        {QStringLiteral("last"), c.steps.isEmpty() ? QJsonValue(QJsonValue::Null) : c.steps.last()},
        {QStringLiteral("result"), c.result.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(c.result)},
        {QStringLiteral("error"), c.error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(c.error)},
        {QStringLiteral("saved_to"),
            c.savedTo.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(c.savedTo)}};
    return o;
}

QJsonObject ApiServer::calibrationEnd() const
{
    return {
        {QStringLiteral("type"), QStringLiteral("end")}, {QStringLiteral("calibration"), calibrationJson()}};
}

void ApiServer::calibration(const QStringList &parts, const QHttpServerRequest &request, const Responder &r)
{
    const Method method = request.method();
    if (parts.size() == 2) {
        if (parts.at(1) != QLatin1String("cancel"))
            return error(*r, Status::NotFound, QStringLiteral("no resource at %1").arg(request.url().path()));
        if (method != Method::Post)
            return error(
                *r, Status::MethodNotAllowed, QStringLiteral("%1 takes POST only").arg(request.url().path()));
        if (m_calibration.state != QLatin1String("running"))
            return error(*r, Status::Conflict,
                QStringLiteral("no calibration is running (%1); nothing to cancel").arg(m_calibration.state),
                QStringLiteral("state"));
        m_calibration.cancelAsked = true;
        m_calibrationSession->cancelCalibration();
        return send(*r, calibrationJson(), Status::Accepted);
    }
    if (method == Method::Get)
        return send(*r, calibrationJson());
    if (method != Method::Post)
        return error(
            *r, Status::MethodNotAllowed, QStringLiteral("%1 takes GET or POST").arg(request.url().path()));
    const auto body = jsonBody(request, *r);
    if (!body)
        return;
    const auto &d = m_rig.description();
    ui::CalibrationChoice choice;
    const QJsonValue led = body->value(QStringLiteral("led"));
    if (!led.isString() || !d.leds.contains(led.toString()))
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("\"led\" must be one of the rig's LEDs: %1")
                .arg(d.ledNames().join(QStringLiteral(", "))),
            QStringLiteral("$.led"));
    choice.led = led.toString();
    const double flashMs = body->value(QStringLiteral("flash_ms")).toDouble(150.0);
    const double limitMs = double(d.maxOnFor(choice.led).count());
    if (!(flashMs >= 0.1 && flashMs <= limitMs))
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("\"flash_ms\" must be from 0.1 to %1 ms, the rig's safety limit for %2")
                .arg(limitMs)
                .arg(choice.led),
            QStringLiteral("$.flash_ms"));
    choice.flash = std::chrono::microseconds(qint64(std::llround(flashMs * 1000.0)));
    choice.earliest = body->value(QStringLiteral("earliest")).toBool(false);
    const double marginUs = body->value(QStringLiteral("margin_us")).toDouble(500.0);
    if (!(marginUs >= 0.0 && marginUs <= 1e6))
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral("\"margin_us\" must be from 0 to 1e6 µs"), QStringLiteral("$.margin_us"));
    choice.margin = std::chrono::microseconds(qint64(marginUs));
    if (const QJsonValue sweep = body->value(QStringLiteral("sweep"));
        !sweep.isUndefined() && !sweep.isNull()) {
        const auto range = core::calibration::SweepRange::parse(sweep.toString());
        if (!sweep.isString() || !range.ok())
            return error(*r, Status::UnprocessableEntity,
                QStringLiteral("\"sweep\" must be \"START:STOP:STEP\" in ms, e.g. \"0:100:1\"%1")
                    .arg(range.ok() ? QString() : QStringLiteral(": ") + range.error().message),
                QStringLiteral("$.sweep"));
        choice.sweep = *range;
    }
    const QJsonValue apply = body->value(QStringLiteral("apply"));
    if (!apply.isUndefined() && !apply.isBool())
        return error(*r, Status::UnprocessableEntity,
            QStringLiteral(
                "\"apply\" must be true (save the result as the rig's calibration profile and use it) "
                "or false"),
            QStringLiteral("$.apply"));
    if (refusedWhileHeld(r))
        return;
    m_calibration = Calibration {};
    m_calibration.state = QStringLiteral("running");
    m_calibration.choice = choice;
    m_calibration.apply = apply.toBool(false);
    m_lastError = {};
    m_calibrationSession->startCalibration(choice);
    Q_EMIT commandAccepted(tr("calibration with %1 (%2 ms flash)").arg(choice.led).arg(flashMs));
    send(*r, calibrationJson(), Status::Accepted);
}

void ApiServer::onCalibrationStep(const ui::CalibrationStep &s)
{
    if (m_calibration.state != QLatin1String("running"))
        return;
    QJsonObject e {{QStringLiteral("seq"), double(m_calibration.steps.size())},
        {QStringLiteral("frame"), s.frame}, {QStringLiteral("delay_ms"), s.delayMs},
        {QStringLiteral("phase"), s.phase}, {QStringLiteral("uniformity"), s.uniformity},
        {QStringLiteral("lit_fraction"), s.litFraction}, {QStringLiteral("dark_edge"), s.darkEdge},
        {QStringLiteral("window_start_ms"), s.windowStartMs},
        {QStringLiteral("window_end_ms"), s.windowEndMs}, {QStringLiteral("start_measured"), s.startMeasured},
        {QStringLiteral("end_measured"), s.endMeasured}};
    m_calibration.steps.append(e);
    push(m_calibration.followers, e);
}

void ApiServer::onCalibrationFinished(const core::calibration::CalibrationResult &result, const QString &why)
{
    auto &c = m_calibration;
    if (c.state != QLatin1String("running"))
        return;
    if (!why.isEmpty()) {
        c.state = c.cancelAsked ? QStringLiteral("cancelled") : QStringLiteral("failed");
        c.error = why;
    } else {
        c.state = QStringLiteral("completed");
        c.result = result.toJson();
        if (c.apply) {
            // As the wizard's Apply: the profile beside the rig file, and the rig reopened with the delay.
            auto rig = m_rig.description();
            const auto settings = m_rig.settings();
            const auto profile = core::calibration::CalibrationProfile::from(result, rig,
                settings.shutter.value_or(std::chrono::microseconds(0)), c.choice.flash, c.choice.led);
            const QString path = core::calibration::CalibrationProfile::pathFor(m_config.rigArg);
            if (auto st = profile.save(path); !st.ok()) {
                c.error
                    = QStringLiteral("the result was not saved: %1; free the disk or fix the permission and "
                                     "calibrate again")
                          .arg(st.error().toString());
            } else {
                c.savedTo = path;
                rig.delay
                    = std::chrono::microseconds(qint64(std::llround(double(result.recommended.count()))));
                m_rig.openRig(rig, settings);
            }
        }
    }
    endStreams(c.followers, calibrationEnd());
}

}  // namespace scopesync::app::api
