// The rig description: which camera, trigger wiring, LED lines, flash delay and safety limits a rig has.
#include "core/acquisition/rig_description.h"

#include "core/common/json_fields.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace scopesync::core::acquisition {

namespace {

constexpr qint64 kMaxRigFileBytes = 1 << 20;
constexpr int kMaxBcm = 27;  // the Pi's 40-pin header exposes BCM 0–27

QString jsonTypeName(const QJsonValue &v)
{
    return JsonFields::typeName(v);
}

// Reads typed members of one JSON object, reporting wrong types and unknown keys with their paths.
class ObjectReader {
public:
    ObjectReader(const QJsonObject &o, QString path, Diagnostics &d) : m_o(o), m_path(std::move(path)), m_d(d)
    {
    }

    std::optional<QString> string(const QString &key)
    {
        m_known.insert(key);
        const QJsonValue v = m_o.value(key);
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isString()) {
            m_d.error(
                jsonPathKey(m_path, key), QStringLiteral("expected a string, found %1").arg(jsonTypeName(v)));
            return std::nullopt;
        }
        return v.toString();
    }

    std::optional<double> number(const QString &key, double min, double max, const QString &unit)
    {
        m_known.insert(key);
        const QJsonValue v = m_o.value(key);
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isDouble()) {
            m_d.error(
                jsonPathKey(m_path, key), QStringLiteral("expected a number, found %1").arg(jsonTypeName(v)));
            return std::nullopt;
        }
        const double x = v.toDouble();
        if (x < min || x > max) {
            m_d.error(jsonPathKey(m_path, key),
                QStringLiteral("%1 %2 is out of range; use %3 to %4 %2")
                    .arg(QString::number(x), unit, QString::number(min), QString::number(max)));
            return std::nullopt;
        }
        return x;
    }

    std::optional<int> integer(const QString &key, int min, int max, const QString &unit)
    {
        const auto x = number(key, min, max, unit);
        if (!x)
            return std::nullopt;
        if (*x != std::floor(*x)) {
            m_d.error(jsonPathKey(m_path, key), QStringLiteral("expected a whole number, found %1").arg(*x));
            return std::nullopt;
        }
        return static_cast<int>(*x);
    }

    std::optional<bool> boolean(const QString &key)
    {
        m_known.insert(key);
        const QJsonValue v = m_o.value(key);
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isBool()) {
            m_d.error(jsonPathKey(m_path, key),
                QStringLiteral("expected true or false, found %1").arg(jsonTypeName(v)));
            return std::nullopt;
        }
        return v.toBool();
    }

    std::optional<QJsonObject> object(const QString &key)
    {
        m_known.insert(key);
        const QJsonValue v = m_o.value(key);
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isObject()) {
            m_d.error(jsonPathKey(m_path, key),
                QStringLiteral("expected an object, found %1").arg(jsonTypeName(v)));
            return std::nullopt;
        }
        return v.toObject();
    }

    void warnUnknownKeys()
    {
        QStringList known(m_known.begin(), m_known.end());
        known.sort();
        for (auto it = m_o.begin(); it != m_o.end(); ++it)
            if (!m_known.contains(it.key()))
                m_d.warning(jsonPathKey(m_path, it.key()),
                    QStringLiteral("unknown key '%1' is ignored; known keys: %2")
                        .arg(it.key(), known.join(QStringLiteral(", "))));
    }

    [[nodiscard]] const QString &path() const { return m_path; }

private:
    const QJsonObject &m_o;
    QString m_path;
    Diagnostics &m_d;
    QSet<QString> m_known;
};

bool cameraSupports(const timing::SensorInfo &s, TriggerMode mode)
{
    switch (mode) {
    case TriggerMode::XvsSink: return s.triggers.xvsSource;
    case TriggerMode::XvsSource: return s.triggers.xvsSink;
    case TriggerMode::External: return s.triggers.externalSnapshot;
    case TriggerMode::FreeRun: return true;
    }
    return false;
}

}  // namespace

QString triggerModeName(TriggerMode mode)
{
    switch (mode) {
    case TriggerMode::XvsSink: return QStringLiteral("xvs-sink");
    case TriggerMode::XvsSource: return QStringLiteral("xvs-source");
    case TriggerMode::External: return QStringLiteral("external");
    case TriggerMode::FreeRun: return QStringLiteral("free-run");
    }
    return {};
}

std::optional<TriggerMode> triggerModeFromName(const QString &name)
{
    for (auto m : {TriggerMode::XvsSink, TriggerMode::XvsSource, TriggerMode::External, TriggerMode::FreeRun})
        if (triggerModeName(m) == name)
            return m;
    return std::nullopt;
}

QString cameraSyncName(CameraSync sync)
{
    switch (sync) {
    case CameraSync::Off: return QStringLiteral("off");
    case CameraSync::Server: return QStringLiteral("server");
    case CameraSync::Client: return QStringLiteral("client");
    }
    return {};
}

std::optional<CameraSync> cameraSyncFromName(const QString &name)
{
    for (auto s : {CameraSync::Off, CameraSync::Server, CameraSync::Client})
        if (cameraSyncName(s) == name)
            return s;
    return std::nullopt;
}

RigDescription RigDescription::referenceSim()
{
    RigDescription r;
    r.name = QStringLiteral("reference HQ rig (simulated)");
    r.leds = {{QStringLiteral("red"), {16, {}}}, {QStringLiteral("orange"), {17, {}}},
        {QStringLiteral("green"), {20, {}}}, {QStringLiteral("blue"), {21, {}}},
        {QStringLiteral("uv"), {18, {}}}};
    return r;
}

const timing::SensorInfo *RigDescription::sensorInfo() const
{
    return timing::SensorCatalog::find(sensor);
}

const timing::SensorMode *RigDescription::sensorMode() const
{
    const auto *s = sensorInfo();
    return s ? s->findMode(modeWidth, modeHeight) : nullptr;
}

std::chrono::milliseconds RigDescription::maxOnFor(const QString &led) const
{
    const auto it = leds.find(led);
    return (it != leds.end() && it->maxOn.count() > 0) ? it->maxOn : ledMaxOn;
}

QJsonObject RigDescription::toJson() const
{
    QJsonObject ledsJson;
    for (auto it = leds.begin(); it != leds.end(); ++it) {
        if (it->maxOn.count() > 0)
            ledsJson.insert(it.key(),
                QJsonObject {{QStringLiteral("line"), it->bcm},
                    {QStringLiteral("max_on_ms"), qint64(it->maxOn.count())}});
        else
            ledsJson.insert(it.key(), it->bcm);
    }
    QJsonObject o {
        {QStringLiteral("name"), name},
        {QStringLiteral("backend"), backend},
        {QStringLiteral("sensor"), sensor},
        {QStringLiteral("mode"), QStringLiteral("%1x%2").arg(modeWidth).arg(modeHeight)},
        {QStringLiteral("trigger"), triggerModeName(trigger)},
        {QStringLiteral("lines"),
            QJsonObject {{QStringLiteral("chip"), gpioChip}, {QStringLiteral("xvs"), xvsLine},
                {QStringLiteral("leds"), ledsJson}}},
        {QStringLiteral("delay_us"), qint64(delay.count())},
        {QStringLiteral("led_max_on_ms"), qint64(ledMaxOn.count())},
        {QStringLiteral("illumination_max_on_ms"), qint64(illuminationMaxOn.count())},
    };
    if (cameraSync != CameraSync::Off)
        o.insert(QStringLiteral("camera_sync"), cameraSyncName(cameraSync));
    if (backend == QLatin1String("sim"))
        o.insert(QStringLiteral("sim"),
            QJsonObject {{QStringLiteral("xvs_offset_us"), qint64(sim.xvsOffset.count())},
                {QStringLiteral("pulses_per_frame"), sim.pulsesPerFrame},
                {QStringLiteral("vflip"), sim.vflip}, {QStringLiteral("hflip"), sim.hflip},
                {QStringLiteral("missed_pulse_rate"), sim.missedPulseRate},
                {QStringLiteral("glitch_rate"), sim.glitchRate}, {QStringLiteral("seed"), qint64(sim.seed)}});
    return o;
}

RigReadResult RigReader::readFile(const QString &path)
{
    RigReadResult out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        out.diagnostics.error(
            QStringLiteral("$"), QStringLiteral("cannot open the rig file: %1").arg(f.errorString()));
        return out;
    }
    if (f.size() > kMaxRigFileBytes) {
        out.diagnostics.error(QStringLiteral("$"),
            QStringLiteral("the file is %1 bytes; a rig file is at most 1 MiB — "
                           "is this the right file?")
                .arg(f.size()));
        return out;
    }
    return readBytes(f.readAll());
}

RigReadResult RigReader::readBytes(const QByteArray &bytes)
{
    RigReadResult out;
    Diagnostics &d = out.diagnostics;
    QJsonParseError perr {};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &perr);
    if (perr.error != QJsonParseError::NoError) {
        const QByteArray head = bytes.left(perr.offset);
        const auto line = head.count('\n') + 1;
        const auto col = perr.offset - (head.lastIndexOf('\n') + 1) + 1;
        d.error(QStringLiteral("$"),
            QStringLiteral("not valid JSON at line %1, column %2: %3")
                .arg(line)
                .arg(col)
                .arg(perr.errorString()));
        return out;
    }
    if (!doc.isObject()) {
        d.error(QStringLiteral("$"),
            QStringLiteral("a rig file is a JSON object {\"backend\": …, \"sensor\": …}"));
        return out;
    }

    RigDescription rig = RigDescription::referenceSim();
    rig.name.clear();
    const QJsonObject root = doc.object();
    ObjectReader r(root, QStringLiteral("$"), d);
    r.number(QStringLiteral("version"), 1, 1, QString());
    r.string(QStringLiteral("format"));
    if (auto v = r.string(QStringLiteral("name")))
        rig.name = *v;
    if (auto v = r.string(QStringLiteral("backend"))) {
        if (*v != QLatin1String("sim") && *v != QLatin1String("pi"))
            d.error(QStringLiteral("$.backend"),
                QStringLiteral("'%1' is not a backend; use \"sim\" or \"pi\"").arg(*v));
        else
            rig.backend = *v;
    } else if (!root.contains(QStringLiteral("backend"))) {
        d.error(QStringLiteral("$.backend"), QStringLiteral("missing; add \"backend\": \"sim\" or \"pi\""));
    }
    if (auto v = r.string(QStringLiteral("sensor"))) {
        if (!timing::SensorCatalog::find(*v))
            d.error(QStringLiteral("$.sensor"),
                QStringLiteral("unknown sensor '%1'; known sensors: %2")
                    .arg(*v, timing::SensorCatalog::ids().join(QStringLiteral(", "))));
        else
            rig.sensor = v->toLower();
    }
    if (auto v = r.string(QStringLiteral("mode"))) {
        const auto wh = timing::parseModeName(*v);
        const auto *s = rig.sensorInfo();
        if (!wh)
            d.error(QStringLiteral("$.mode"),
                QStringLiteral("'%1' is not a mode; write it as WIDTHxHEIGHT, e.g. \"4056x3040\"").arg(*v));
        else if (s && !s->findMode(wh->first, wh->second))
            d.error(QStringLiteral("$.mode"),
                QStringLiteral("%1 has no mode %2; use one of %3")
                    .arg(s->id, *v, s->modeNames().join(QStringLiteral(", "))));
        else {
            rig.modeWidth = wh->first;
            rig.modeHeight = wh->second;
        }
    }
    if (auto v = r.string(QStringLiteral("trigger"))) {
        if (auto m = triggerModeFromName(*v)) {
            rig.trigger = *m;
            const auto *s = rig.sensorInfo();
            if (s && !cameraSupports(*s, *m))
                d.error(QStringLiteral("$.trigger"),
                    QStringLiteral("the %1 (%2) cannot work in %3 mode; use free-run%4")
                        .arg(s->camera, s->id, *v,
                            s->triggers.xvsSource ? QStringLiteral(" or xvs-sink") : QString()));
        } else {
            d.error(QStringLiteral("$.trigger"),
                QStringLiteral("'%1' is not a trigger mode; use xvs-sink, xvs-source, external or free-run")
                    .arg(*v));
        }
    }
    if (auto v = r.string(QStringLiteral("camera_sync"))) {
        if (auto s = cameraSyncFromName(*v)) {
            rig.cameraSync = *s;
            if (*s != CameraSync::Off && rig.trigger != TriggerMode::FreeRun
                && rig.trigger != TriggerMode::XvsSink)
                d.error(QStringLiteral("$.camera_sync"),
                    QStringLiteral(
                        "a synchronised camera runs free and sets its own frame timing; use "
                        "\"trigger\": \"free-run\" (or \"xvs-sink\" with the XVS wire to a GPIO)"));
        } else {
            d.error(QStringLiteral("$.camera_sync"),
                QStringLiteral("'%1' is not a camera sync role; use off, server or client").arg(*v));
        }
    }
    if (auto v = r.number(QStringLiteral("delay_us"), 0, 10e6, QStringLiteral("µs")))
        rig.delay = std::chrono::microseconds(qint64(*v));
    if (auto v = r.integer(QStringLiteral("led_max_on_ms"), 1, 60'000, QStringLiteral("ms")))
        rig.ledMaxOn = std::chrono::milliseconds(*v);
    if (auto v = r.integer(QStringLiteral("illumination_max_on_ms"), 1, 3'600'000, QStringLiteral("ms")))
        rig.illuminationMaxOn = std::chrono::milliseconds(*v);

    QSet<int> usedLines;
    const auto claimLine = [&](int bcm, const QString &path) {
        if (usedLines.contains(bcm))
            d.error(path, QStringLiteral("BCM %1 is used twice; every line needs its own GPIO").arg(bcm));
        usedLines.insert(bcm);
    };
    if (auto lines = r.object(QStringLiteral("lines"))) {
        ObjectReader lr(*lines, QStringLiteral("$.lines"), d);
        if (auto v = lr.string(QStringLiteral("chip")))
            rig.gpioChip = *v;
        if (auto v = lr.integer(QStringLiteral("xvs"), 0, kMaxBcm, QStringLiteral("(BCM)"))) {
            rig.xvsLine = *v;
            claimLine(*v, QStringLiteral("$.lines.xvs"));
        }
        if (auto leds = lr.object(QStringLiteral("leds"))) {
            rig.leds.clear();
            if (leds->isEmpty())
                d.error(QStringLiteral("$.lines.leds"),
                    QStringLiteral("no LEDs; add at least one, e.g. \"red\": 16"));
            for (auto it = leds->begin(); it != leds->end(); ++it) {
                const QString path = jsonPathKey(QStringLiteral("$.lines.leds"), it.key());
                LedLine led;
                if (it.value().isDouble()) {
                    const double x = it.value().toDouble();
                    if (x < 0 || x > kMaxBcm || x != std::floor(x)) {
                        d.error(path,
                            QStringLiteral("%1 is not a BCM GPIO number; use 0 to %2").arg(x).arg(kMaxBcm));
                        continue;
                    }
                    led.bcm = int(x);
                } else if (it.value().isObject()) {
                    const QJsonObject lo = it.value().toObject();
                    ObjectReader ledr(lo, path, d);
                    const auto bcm
                        = ledr.integer(QStringLiteral("line"), 0, kMaxBcm, QStringLiteral("(BCM)"));
                    if (!bcm) {
                        if (!lo.contains(QStringLiteral("line")))
                            d.error(jsonPathKey(path, QStringLiteral("line")),
                                QStringLiteral("missing; give the BCM GPIO number"));
                        continue;
                    }
                    led.bcm = *bcm;
                    if (auto m
                        = ledr.integer(QStringLiteral("max_on_ms"), 1, 3'600'000, QStringLiteral("ms")))
                        led.maxOn = std::chrono::milliseconds(*m);
                    ledr.warnUnknownKeys();
                } else {
                    d.error(path,
                        QStringLiteral("expected a BCM number or {\"line\": N, \"max_on_ms\": M}, found %1")
                            .arg(jsonTypeName(it.value())));
                    continue;
                }
                claimLine(led.bcm, path);
                rig.leds.insert(it.key(), led);
            }
        }
        lr.warnUnknownKeys();
    }
    if (auto simObj = r.object(QStringLiteral("sim"))) {
        ObjectReader sr(*simObj, QStringLiteral("$.sim"), d);
        if (auto v = sr.number(QStringLiteral("xvs_offset_us"), -1e6, 1e6, QStringLiteral("µs")))
            rig.sim.xvsOffset = std::chrono::microseconds(qint64(*v));
        if (auto v = sr.integer(QStringLiteral("pulses_per_frame"), 1, 2, QString()))
            rig.sim.pulsesPerFrame = *v;
        if (auto v = sr.boolean(QStringLiteral("vflip")))
            rig.sim.vflip = *v;
        if (auto v = sr.boolean(QStringLiteral("hflip")))
            rig.sim.hflip = *v;
        if (auto v = sr.number(QStringLiteral("missed_pulse_rate"), 0, 0.9, QString()))
            rig.sim.missedPulseRate = *v;
        if (auto v = sr.number(QStringLiteral("glitch_rate"), 0, 5, QStringLiteral("per frame")))
            rig.sim.glitchRate = *v;
        if (auto v = sr.number(QStringLiteral("seed"), 0, 9.0e15, QString()))
            rig.sim.seed = quint64(*v);
        sr.warnUnknownKeys();
        if (rig.backend == QLatin1String("pi"))
            d.warning(QStringLiteral("$.sim"), QStringLiteral("ignored: the backend is \"pi\""));
    }
    r.warnUnknownKeys();

    if (!d.hasErrors())
        out.rig = rig;
    return out;
}

}  // namespace scopesync::core::acquisition
