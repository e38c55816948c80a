// MessageCodec: JSON encoding and strict decoding of every fleet message, with errors naming the field.
#include "core/fleet/message_codec.h"

#include "core/common/json_fields.h"
#include "core/fleet/fleet_topics.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace scopesync::core::fleet {

namespace {

QString ns(std::chrono::nanoseconds t)
{
    return QString::number(t.count());
}

QString ns(WallTime t)
{
    return QString::number(toNs(t));
}

QJsonObject envelope(const char *type)
{
    return {
        {QStringLiteral("schema"), QLatin1String(kSchema)}, {QStringLiteral("type"), QLatin1String(type)}};
}

QByteArray bytes(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// One message's decoding: the shared JSON reader over a sink that keeps the first problem, since a
// refusal names one field. Later problems are counted, never listed, so a hostile message costs no memory.
struct Decoder {
    Diagnostics listed;  // the first problem
    DiagnosticSink sink {listed, 1};
    JsonFields f {sink};

    [[nodiscard]] bool failed() const { return sink.errorCount() > 0; }
    void fail(const QString &where, const QString &message) { sink.error(where, message); }

    QString string(const QJsonObject &o, const QString &path, const char *key, bool required = true)
    {
        return f.string(o, QLatin1String(key), path, required).value;
    }
    std::optional<qint64> integer(const QJsonObject &o, const QString &path, const char *key,
        const NumberRange &range, bool required = false)
    {
        if (const auto v = f.wholeNumber(o, QLatin1String(key), path, required, range))
            return static_cast<qint64>(*v);
        return std::nullopt;
    }
    // Nanoseconds since the epoch travel as a decimal string: a JSON number (a double) cannot hold them.
    std::chrono::nanoseconds decimalNs(
        const QJsonObject &o, const QString &path, const char *key, bool required = true)
    {
        const QString k = QLatin1String(key);
        if (!o.contains(k)) {
            if (required)
                f.missing(path, k, QStringLiteral("nanoseconds since the epoch as a decimal string"));
            return {};
        }
        return decimalNs(o.value(k), jsonPathKey(path, k));
    }
    WallTime wallNs(const QJsonObject &o, const QString &path, const char *key, bool required = true)
    {
        return WallTime(decimalNs(o, path, key, required));
    }
    // A value found elsewhere than under a fixed key (a table keyed by follower name); `where` is its path.
    std::chrono::nanoseconds decimalNs(const QJsonValue &v, const QString &where)
    {
        static const QRegularExpression digits(QStringLiteral("^-?[0-9]{1,19}$"));
        bool ok = false;
        const qint64 n
            = v.isString() && digits.match(v.toString()).hasMatch() ? v.toString().toLongLong(&ok) : 0;
        if (!ok)
            f.wrongType(
                where, QStringLiteral("nanoseconds as a decimal string, e.g. \"1718000000123456789\""), v);
        return std::chrono::nanoseconds(n);
    }
    WallTime wallNs(const QJsonValue &v, const QString &where) { return WallTime(decimalNs(v, where)); }
    template <typename T> Result<T> result(T value) const
    {
        if (const auto &e = sink.firstError())
            return *e;
        return value;
    }
};

Result<QJsonObject> parseEnvelope(const QByteArray &b)
{
    if (b.size() > 1 << 20)
        return Error {QStringLiteral("the message is larger than 1 MiB"), QStringLiteral("$")};
    QJsonParseError pe {};
    const QJsonDocument doc = QJsonDocument::fromJson(b, &pe);
    if (pe.error != QJsonParseError::NoError)
        return Error {QStringLiteral("not valid JSON (%1 at byte %2)").arg(pe.errorString()).arg(pe.offset),
            QStringLiteral("$")};
    if (!doc.isObject())
        return Error {QStringLiteral("the message must be a JSON object"), QStringLiteral("$")};
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("schema")).toString() != QLatin1String(kSchema))
        return Error {QStringLiteral("schema must be \"%1\"; sender and receiver run incompatible versions")
                          .arg(QLatin1String(kSchema)),
            QStringLiteral("$.schema")};
    return o;
}

ClockState clockFromJson(Decoder &d, const QJsonObject &o, const QString &path)
{
    ClockState s;
    const QString src = d.string(o, path, "source");
    if (auto v = ClockState::sourceFromName(src))
        s.source = *v;
    else if (!d.failed())
        d.fail(jsonPathKey(path, QStringLiteral("source")),
            QStringLiteral("must be chrony, ptp or unsynchronised"));
    if (o.contains(QStringLiteral("offset_ns")))
        s.offset = d.decimalNs(o, path, "offset_ns");
    if (o.contains(QStringLiteral("error_bound_ns")))
        s.errorBound = d.decimalNs(o, path, "error_bound_ns");
    s.detail = d.string(o, path, "detail", false);
    return s;
}

}  // namespace

bool MessageCodec::isValidId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return re.match(id).hasMatch();
}

QJsonObject MessageCodec::toJson(const ClockState &c)
{
    QJsonObject o {
        {QStringLiteral("source"), ClockState::sourceName(c.source)}, {QStringLiteral("detail"), c.detail}};
    if (c.offset)
        o.insert(QStringLiteral("offset_ns"), ns(*c.offset));
    if (c.errorBound)
        o.insert(QStringLiteral("error_bound_ns"), ns(*c.errorBound));
    return o;
}

QByteArray MessageCodec::encode(const Command &c)
{
    static const char *types[] = {"capture", "run", "ping"};
    QJsonObject o = envelope(types[static_cast<int>(c.type)]);
    o.insert(QStringLiteral("id"), c.id);
    o.insert(QStringLiteral("issued_ns"), ns(c.issued));
    if (c.type != Command::Type::Ping)
        o.insert(QStringLiteral("at_ns"), ns(c.at));
    if (c.type != Command::Type::Ping && !c.atByFollower.empty()) {
        QJsonObject table;
        for (const auto &[follower, at] : c.atByFollower)
            table.insert(follower, ns(at));
        o.insert(QStringLiteral("at_ns_by_follower"), table);
    }
    if (c.type == Command::Type::Capture) {
        QJsonArray images;
        for (const FleetImage &im : c.images) {
            QJsonArray pulses;
            for (const FleetPulse &p : im.pulses) {
                QJsonObject po {{QStringLiteral("led"), p.led},
                    {QStringLiteral("duration_us"), static_cast<double>(p.duration.count())},
                    {QStringLiteral("intensity_per_mille"), p.intensityPerMille}};
                if (p.delay)
                    po.insert(QStringLiteral("delay_us"), static_cast<double>(p.delay->count()));
                pulses.append(po);
            }
            images.append(QJsonObject {{QStringLiteral("pulses"), pulses}});
        }
        o.insert(QStringLiteral("images"), images);
        o.insert(QStringLiteral("interval_ms"), static_cast<double>(c.interval.count()));
    }
    if (c.type == Command::Type::Run) {
        o.insert(QStringLiteral("protocol"), QString::fromUtf8(c.protocol));
        // The slot per image: every follower lays the protocol out with the same one.
        o.insert(QStringLiteral("interval_ms"), static_cast<double>(c.interval.count()));
    }
    return bytes(o);
}

QJsonObject MessageCodec::toJson(const CaptureResult &r)
{
    QJsonObject o = envelope("result");
    o.insert(QStringLiteral("id"), r.id);
    o.insert(QStringLiteral("follower"), r.follower);
    o.insert(QStringLiteral("intended_ns"), ns(r.intended));
    // A run without images (illumination only) drove no trigger edge: it has no firing error to report.
    if (!r.edges.empty()) {
        o.insert(QStringLiteral("edge_ns"), ns(r.edge));
        o.insert(QStringLiteral("error_ns"), ns(r.firingError()));
    }
    QJsonArray edges;
    for (auto e : r.edges)
        edges.append(ns(e));
    o.insert(QStringLiteral("edges_ns"), edges);
    if (r.worstError)
        o.insert(QStringLiteral("worst_error_ns"), ns(*r.worstError));
    o.insert(QStringLiteral("clock"), toJson(r.clock));
    o.insert(QStringLiteral("folder"), r.folder);
    o.insert(QStringLiteral("images"), QJsonArray::fromStringList(r.images));
    o.insert(QStringLiteral("ok"), r.ok);
    o.insert(QStringLiteral("message"), r.message);
    return o;
}

QByteArray MessageCodec::encode(const CaptureResult &r)
{
    return bytes(toJson(r));
}

QByteArray MessageCodec::encode(const Refusal &r)
{
    QJsonObject o = envelope("refused");
    o.insert(QStringLiteral("id"), r.id);
    o.insert(QStringLiteral("follower"), r.follower);
    o.insert(QStringLiteral("reason"), Refusal::reasonName(r.reason));
    o.insert(QStringLiteral("message"), r.message);
    return bytes(o);
}

QByteArray MessageCodec::encode(const Pong &p)
{
    QJsonObject o = envelope("pong");
    o.insert(QStringLiteral("id"), p.id);
    o.insert(QStringLiteral("follower"), p.follower);
    o.insert(QStringLiteral("received_ns"), ns(p.received));
    return bytes(o);
}

QByteArray MessageCodec::encode(const FollowerStatus &s)
{
    QJsonObject o = envelope("status");
    o.insert(QStringLiteral("follower"), s.follower);
    o.insert(QStringLiteral("state"), s.online ? QStringLiteral("online") : QStringLiteral("offline"));
    if (s.online) {
        o.insert(QStringLiteral("clock"), toJson(s.clock));
        o.insert(QStringLiteral("rig"), s.rig);
        o.insert(QStringLiteral("version"), s.version);
        if (s.imageTime)
            o.insert(QStringLiteral("image_time_ms"), static_cast<double>(s.imageTime->count()));
    }
    return bytes(o);
}

QString MessageCodec::bestEffortId(const QByteArray &b)
{
    const QJsonDocument doc = QJsonDocument::fromJson(b);
    const QString id = doc.object().value(QStringLiteral("id")).toString();
    return isValidId(id) ? id : QString();
}

Result<Command> MessageCodec::decodeCommand(const QByteArray &b)
{
    auto env = parseEnvelope(b);
    if (!env.ok())
        return env.error();
    const QJsonObject &o = env.value();
    const QString top = QStringLiteral("$");
    Decoder d;
    Command c;
    const QString type = d.string(o, top, "type");
    if (type == QLatin1String("capture"))
        c.type = Command::Type::Capture;
    else if (type == QLatin1String("run"))
        c.type = Command::Type::Run;
    else if (type == QLatin1String("ping"))
        c.type = Command::Type::Ping;
    else
        d.fail(QStringLiteral("$.type"),
            QStringLiteral("'%1' is not a command; use capture, run or ping").arg(type));
    c.id = d.string(o, top, "id");
    if (!d.failed() && !isValidId(c.id))
        d.fail(
            QStringLiteral("$.id"), QStringLiteral("must be 1–64 characters of A–Z, a–z, 0–9, '_' or '-'"));
    c.issued = d.wallNs(o, top, "issued_ns", false);
    if (c.type != Command::Type::Ping)
        c.at = d.wallNs(o, top, "at_ns");
    if (c.type != Command::Type::Ping && o.contains(QStringLiteral("at_ns_by_follower"))) {
        const QJsonObject table = d.f.object(o, QStringLiteral("at_ns_by_follower"), top, true).value;
        for (auto it = table.begin(); it != table.end() && !d.failed(); ++it) {
            const QString where = jsonPathKey(QStringLiteral("$.at_ns_by_follower"), it.key());
            if (!FleetTopics::isValidName(it.key())) {
                d.fail(
                    where, QStringLiteral("is not a follower name (1–64 letters, digits, '_', '-' or '.')"));
                break;
            }
            c.atByFollower[it.key()] = d.wallNs(it.value(), where);
        }
    }
    if (c.type == Command::Type::Capture) {
        const QJsonArray images = d.f.array(o, QStringLiteral("images"), top, true).value;
        if (!d.failed() && (images.isEmpty() || images.size() > 1000))
            d.fail(QStringLiteral("$.images"), QStringLiteral("must hold 1 to 1000 images"));
        for (int i = 0; i < images.size() && !d.failed(); ++i) {
            const QString ipath = jsonPathIndex(QStringLiteral("$.images"), i);
            if (!d.f.expectObject(images[i], ipath))
                break;
            FleetImage image;
            const QString ppath = jsonPathKey(ipath, QStringLiteral("pulses"));
            const QJsonArray pulses
                = d.f.array(images[i].toObject(), QStringLiteral("pulses"), ipath, false).value;
            for (int k = 0; k < pulses.size() && !d.failed(); ++k) {
                const QString path = jsonPathIndex(ppath, k);
                d.f.expectObject(pulses[k], path);
                const QJsonObject po = pulses[k].toObject();
                FleetPulse p;
                p.led = d.string(po, path, "led");
                if (auto v = d.integer(po, path, "duration_us", {1, 60'000'000, QStringLiteral("µs")}, true))
                    p.duration = std::chrono::microseconds(*v);
                if (auto v = d.integer(po, path, "delay_us", {0, 10'000'000, QStringLiteral("µs")}))
                    p.delay = std::chrono::microseconds(*v);
                if (auto v = d.integer(po, path, "intensity_per_mille", {0, 1000, QStringLiteral("‰")}))
                    p.intensityPerMille = static_cast<int>(*v);
                image.pulses.push_back(p);
            }
            c.images.push_back(image);
        }
        if (auto v = d.integer(o, top, "interval_ms", {0, 3'600'000, QStringLiteral("ms")}))
            c.interval = std::chrono::milliseconds(*v);
    }
    if (c.type == Command::Type::Run) {
        c.protocol = d.string(o, top, "protocol").toUtf8();
        if (!d.failed() && c.protocol.isEmpty())
            d.fail(
                QStringLiteral("$.protocol"), QStringLiteral("is empty; give the protocol file's JSON text"));
        if (auto v = d.integer(o, top, "interval_ms", {0, 3'600'000, QStringLiteral("ms")}))
            c.interval = std::chrono::milliseconds(*v);
    }
    return d.result(c);
}

Result<Reply> MessageCodec::decodeReply(const QByteArray &b)
{
    auto env = parseEnvelope(b);
    if (!env.ok())
        return env.error();
    const QJsonObject &o = env.value();
    const QString top = QStringLiteral("$");
    Decoder d;
    const QString type = d.string(o, top, "type");
    if (type == QLatin1String("result")) {
        CaptureResult r;
        r.id = d.string(o, top, "id");
        r.follower = d.string(o, top, "follower");
        r.intended = d.wallNs(o, top, "intended_ns");
        for (const QJsonValue &v : d.f.array(o, QStringLiteral("edges_ns"), top, false).value) {
            bool ok = false;
            const qint64 n = v.toString().toLongLong(&ok);
            if (!ok)
                d.fail(QStringLiteral("$.edges_ns"), QStringLiteral("must hold decimal strings"));
            r.edges.push_back(wallFromNs(n));
        }
        // The first image's edge; a result without images has none.
        r.edge = d.wallNs(o, top, "edge_ns", !r.edges.empty());
        if (o.contains(QStringLiteral("worst_error_ns")))
            r.worstError = d.decimalNs(o, top, "worst_error_ns");
        r.clock = clockFromJson(
            d, d.f.object(o, QStringLiteral("clock"), top, true).value, QStringLiteral("$.clock"));
        r.folder = d.string(o, top, "folder", false);
        for (const QJsonValue &v : d.f.array(o, QStringLiteral("images"), top, false).value)
            r.images.append(v.toString());
        r.ok = o.value(QStringLiteral("ok")).toBool(true);
        r.message = d.string(o, top, "message", false);
        return d.result(Reply {r});
    }
    if (type == QLatin1String("refused")) {
        Refusal r;
        r.id = d.string(o, top, "id", false);
        r.follower = d.string(o, top, "follower");
        const QString reason = d.string(o, top, "reason");
        bool known = false;
        for (auto k : {Refusal::Reason::Malformed, Refusal::Reason::Past, Refusal::Reason::TooFarAhead,
                 Refusal::Reason::Duplicate, Refusal::Reason::Busy, Refusal::Reason::Unsupported,
                 Refusal::Reason::Invalid, Refusal::Reason::Failed})
            if (Refusal::reasonName(k) == reason) {
                r.reason = k;
                known = true;
            }
        if (!known && !d.failed())
            d.fail(QStringLiteral("$.reason"), QStringLiteral("'%1' is not a refusal reason").arg(reason));
        r.message = d.string(o, top, "message");
        return d.result(Reply {r});
    }
    if (type == QLatin1String("pong")) {
        Pong p;
        p.id = d.string(o, top, "id");
        p.follower = d.string(o, top, "follower");
        p.received = d.wallNs(o, top, "received_ns");
        return d.result(Reply {p});
    }
    return Error {QStringLiteral("'%1' is not a reply; expected result, refused or pong").arg(type),
        QStringLiteral("$.type")};
}

Result<FollowerStatus> MessageCodec::decodeStatus(const QByteArray &b)
{
    auto env = parseEnvelope(b);
    if (!env.ok())
        return env.error();
    const QJsonObject &o = env.value();
    const QString top = QStringLiteral("$");
    Decoder d;
    FollowerStatus s;
    if (d.string(o, top, "type") != QLatin1String("status"))
        d.fail(QStringLiteral("$.type"), QStringLiteral("must be \"status\""));
    s.follower = d.string(o, top, "follower");
    const QString state = d.string(o, top, "state");
    s.online = state == QLatin1String("online");
    if (!s.online && state != QLatin1String("offline") && !d.failed())
        d.fail(QStringLiteral("$.state"), QStringLiteral("must be online or offline"));
    if (s.online) {
        s.clock = clockFromJson(
            d, d.f.object(o, QStringLiteral("clock"), top, true).value, QStringLiteral("$.clock"));
        s.rig = d.string(o, top, "rig", false);
        s.version = d.string(o, top, "version", false);
        if (auto ms = d.integer(o, top, "image_time_ms", {1, 3'600'000, QStringLiteral("ms")}))
            s.imageTime = std::chrono::milliseconds(*ms);
    }
    return d.result(s);
}

}  // namespace scopesync::core::fleet
