// MessageCodec: JSON encoding and strict decoding of every fleet message, with errors naming the field.
#include "core/fleet/message_codec.h"

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

QJsonObject envelope(const char *type)
{
    return {
        {QStringLiteral("schema"), QLatin1String(kSchema)}, {QStringLiteral("type"), QLatin1String(type)}};
}

QByteArray bytes(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Reads fields of one object, remembering the first problem with its JSON path.
class Fields {
public:
    Fields(QJsonObject o, QString path) : m_o(std::move(o)), m_path(std::move(path)) { }

    [[nodiscard]] bool has(const char *key) const { return m_o.contains(QLatin1String(key)); }
    QString at(const char *key) const { return m_path + QLatin1Char('.') + QLatin1String(key); }

    QString string(const char *key, bool required = true)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (required)
                fail(key, QStringLiteral("is missing"));
            return {};
        }
        if (!v.isString())
            fail(key, QStringLiteral("must be a string"));
        return v.toString();
    }
    std::chrono::nanoseconds wallNs(const char *key, bool required = true)
    {
        return wallNs(m_o.value(QLatin1String(key)), at(key), required);
    }
    // A value found elsewhere than under a fixed key (a table keyed by follower name); `where` is its path.
    std::chrono::nanoseconds wallNs(const QJsonValue &v, const QString &where, bool required = true)
    {
        if (v.isUndefined()) {
            if (required)
                fail(where,
                    QStringLiteral("is missing; give nanoseconds since the epoch as a decimal string"));
            return {};
        }
        static const QRegularExpression digits(QStringLiteral("^-?[0-9]{1,19}$"));
        bool ok = false;
        const qint64 n
            = v.isString() && digits.match(v.toString()).hasMatch() ? v.toString().toLongLong(&ok) : 0;
        if (!ok)
            fail(where,
                QStringLiteral("must be nanoseconds as a decimal string, e.g. \"1718000000123456789\""));
        return std::chrono::nanoseconds(n);
    }
    std::optional<qint64> integer(const char *key, qint64 min, qint64 max, bool required)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (required)
                fail(key, QStringLiteral("is missing"));
            return std::nullopt;
        }
        const double d = v.toDouble(-1e300);
        if (!v.isDouble() || d != static_cast<double>(static_cast<qint64>(d)) || d < static_cast<double>(min)
            || d > static_cast<double>(max)) {
            fail(key, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
            return std::nullopt;
        }
        return static_cast<qint64>(d);
    }
    QJsonArray array(const char *key, bool required)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (required)
                fail(key, QStringLiteral("is missing"));
            return {};
        }
        if (!v.isArray())
            fail(key, QStringLiteral("must be an array"));
        return v.toArray();
    }
    QJsonObject object(const char *key, bool required)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (required)
                fail(key, QStringLiteral("is missing"));
            return {};
        }
        if (!v.isObject())
            fail(key, QStringLiteral("must be an object"));
        return v.toObject();
    }
    void fail(const char *key, const QString &message) { fail(at(key), message); }
    void fail(const QString &where, const QString &message)
    {
        if (!m_error)
            m_error = Error {message, where};
    }
    [[nodiscard]] const std::optional<Error> &error() const { return m_error; }
    void adopt(const std::optional<Error> &e)
    {
        if (e && !m_error)
            m_error = e;
    }

private:
    QJsonObject m_o;
    QString m_path;
    std::optional<Error> m_error;
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

ClockState clockFromJson(Fields &f, const QJsonObject &o, const QString &path)
{
    Fields c(o, path);
    ClockState s;
    const QString src = c.string("source");
    if (auto v = ClockState::sourceFromName(src))
        s.source = *v;
    else if (!c.error())
        c.fail("source", QStringLiteral("must be chrony, ptp or unsynchronised"));
    if (c.has("offset_ns"))
        s.offset = c.wallNs("offset_ns");
    if (c.has("error_bound_ns"))
        s.errorBound = c.wallNs("error_bound_ns");
    s.detail = c.string("detail", false);
    f.adopt(c.error());
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
    o.insert(QStringLiteral("edge_ns"), ns(r.edge));
    o.insert(QStringLiteral("error_ns"), ns(r.firingError()));
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
    Fields f(env.value(), QStringLiteral("$"));
    Command c;
    const QString type = f.string("type");
    if (type == QLatin1String("capture"))
        c.type = Command::Type::Capture;
    else if (type == QLatin1String("run"))
        c.type = Command::Type::Run;
    else if (type == QLatin1String("ping"))
        c.type = Command::Type::Ping;
    else
        f.fail("type", QStringLiteral("'%1' is not a command; use capture, run or ping").arg(type));
    c.id = f.string("id");
    if (!f.error() && !isValidId(c.id))
        f.fail("id", QStringLiteral("must be 1–64 characters of A–Z, a–z, 0–9, '_' or '-'"));
    c.issued = f.wallNs("issued_ns", false);
    if (c.type != Command::Type::Ping)
        c.at = f.wallNs("at_ns");
    if (c.type != Command::Type::Ping && f.has("at_ns_by_follower")) {
        const QJsonObject table = f.object("at_ns_by_follower", true);
        for (auto it = table.begin(); it != table.end() && !f.error(); ++it) {
            const QString where = f.at("at_ns_by_follower") + QLatin1Char('.') + it.key();
            if (!FleetTopics::isValidName(it.key())) {
                f.fail(
                    where, QStringLiteral("is not a follower name (1–64 letters, digits, '_', '-' or '.')"));
                break;
            }
            c.atByFollower[it.key()] = f.wallNs(it.value(), where);
        }
    }
    if (c.type == Command::Type::Capture) {
        const QJsonArray images = f.array("images", true);
        if (!f.error() && (images.isEmpty() || images.size() > 1000))
            f.fail("images", QStringLiteral("must hold 1 to 1000 images"));
        for (int i = 0; i < images.size() && !f.error(); ++i) {
            const QString ipath = QStringLiteral("$.images[%1]").arg(i);
            if (!images[i].isObject()) {
                f.fail(ipath, QStringLiteral("must be an object"));
                break;
            }
            Fields fi(images[i].toObject(), ipath);
            FleetImage image;
            const QJsonArray pulses = fi.array("pulses", false);
            for (int k = 0; k < pulses.size() && !fi.error(); ++k) {
                Fields fp(pulses[k].toObject(), QStringLiteral("%1.pulses[%2]").arg(ipath).arg(k));
                if (!pulses[k].isObject())
                    fp.fail(QStringLiteral("%1.pulses[%2]").arg(ipath).arg(k),
                        QStringLiteral("must be an object"));
                FleetPulse p;
                p.led = fp.string("led");
                if (auto d = fp.integer("duration_us", 1, 60'000'000, true))
                    p.duration = std::chrono::microseconds(*d);
                if (auto d = fp.integer("delay_us", 0, 10'000'000, false))
                    p.delay = std::chrono::microseconds(*d);
                if (auto d = fp.integer("intensity_per_mille", 0, 1000, false))
                    p.intensityPerMille = static_cast<int>(*d);
                fi.adopt(fp.error());
                image.pulses.push_back(p);
            }
            f.adopt(fi.error());
            c.images.push_back(image);
        }
        if (auto v = f.integer("interval_ms", 0, 3'600'000, false))
            c.interval = std::chrono::milliseconds(*v);
    }
    if (c.type == Command::Type::Run) {
        c.protocol = f.string("protocol").toUtf8();
        if (!f.error() && c.protocol.isEmpty())
            f.fail("protocol", QStringLiteral("is empty; give the protocol file's JSON text"));
        if (auto v = f.integer("interval_ms", 0, 3'600'000, false))
            c.interval = std::chrono::milliseconds(*v);
    }
    if (f.error())
        return *f.error();
    return c;
}

Result<Reply> MessageCodec::decodeReply(const QByteArray &b)
{
    auto env = parseEnvelope(b);
    if (!env.ok())
        return env.error();
    Fields f(env.value(), QStringLiteral("$"));
    const QString type = f.string("type");
    if (type == QLatin1String("result")) {
        CaptureResult r;
        r.id = f.string("id");
        r.follower = f.string("follower");
        r.intended = f.wallNs("intended_ns");
        r.edge = f.wallNs("edge_ns");
        for (const QJsonValue &v : f.array("edges_ns", false)) {
            bool ok = false;
            const qint64 n = v.toString().toLongLong(&ok);
            if (!ok)
                f.fail("edges_ns", QStringLiteral("must hold decimal strings"));
            r.edges.emplace_back(n);
        }
        if (f.has("worst_error_ns"))
            r.worstError = f.wallNs("worst_error_ns");
        r.clock = clockFromJson(f, f.object("clock", true), QStringLiteral("$.clock"));
        r.folder = f.string("folder", false);
        for (const QJsonValue &v : f.array("images", false))
            r.images.append(v.toString());
        r.ok = env.value().value(QStringLiteral("ok")).toBool(true);
        r.message = f.string("message", false);
        if (f.error())
            return *f.error();
        return Reply {r};
    }
    if (type == QLatin1String("refused")) {
        Refusal r;
        r.id = f.string("id", false);
        r.follower = f.string("follower");
        const QString reason = f.string("reason");
        bool known = false;
        for (auto k : {Refusal::Reason::Malformed, Refusal::Reason::Past, Refusal::Reason::TooFarAhead,
                 Refusal::Reason::Duplicate, Refusal::Reason::Busy, Refusal::Reason::Unsupported,
                 Refusal::Reason::Invalid, Refusal::Reason::Failed})
            if (Refusal::reasonName(k) == reason) {
                r.reason = k;
                known = true;
            }
        if (!known && !f.error())
            f.fail("reason", QStringLiteral("'%1' is not a refusal reason").arg(reason));
        r.message = f.string("message");
        if (f.error())
            return *f.error();
        return Reply {r};
    }
    if (type == QLatin1String("pong")) {
        Pong p;
        p.id = f.string("id");
        p.follower = f.string("follower");
        p.received = f.wallNs("received_ns");
        if (f.error())
            return *f.error();
        return Reply {p};
    }
    return Error {QStringLiteral("'%1' is not a reply; expected result, refused or pong").arg(type),
        QStringLiteral("$.type")};
}

Result<FollowerStatus> MessageCodec::decodeStatus(const QByteArray &b)
{
    auto env = parseEnvelope(b);
    if (!env.ok())
        return env.error();
    Fields f(env.value(), QStringLiteral("$"));
    FollowerStatus s;
    if (f.string("type") != QLatin1String("status"))
        f.fail("type", QStringLiteral("must be \"status\""));
    s.follower = f.string("follower");
    const QString state = f.string("state");
    s.online = state == QLatin1String("online");
    if (!s.online && state != QLatin1String("offline") && !f.error())
        f.fail("state", QStringLiteral("must be online or offline"));
    if (s.online) {
        s.clock = clockFromJson(f, f.object("clock", true), QStringLiteral("$.clock"));
        s.rig = f.string("rig", false);
        s.version = f.string("version", false);
        if (auto ms = f.integer("image_time_ms", 1, 3'600'000, false))
            s.imageTime = std::chrono::milliseconds(*ms);
    }
    if (f.error())
        return *f.error();
    return s;
}

}  // namespace scopesync::core::fleet
