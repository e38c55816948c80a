// The rig description: which camera, trigger wiring, LED lines, flash delay and safety limits a rig has.
#include "core/acquisition/rig_description.h"

#include "core/common/bounded_file_reader.h"
#include "core/common/json_fields.h"
#include "core/instrument/instrument_json.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace scopesync::core::acquisition {

namespace {

constexpr int kMaxBcm = 27;  // the Pi's 40-pin header exposes BCM 0–27
const QString kBcm = QStringLiteral("(BCM)");
const QString kUs = QStringLiteral("µs");
const NumberRange kMaxOnRange {1, 3'600'000, QStringLiteral("ms")};

// The keys each object of a rig file may hold (listed in unknown-key warnings).
const QStringList kRootKeys {QStringLiteral("backend"), QStringLiteral("camera"),
    QStringLiteral("camera_sync"), QStringLiteral("delay_us"), QStringLiteral("filter_wheel"),
    QStringLiteral("focus"), QStringLiteral("format"), QStringLiteral("heater"),
    QStringLiteral("illumination_max_on_ms"), QStringLiteral("led_max_on_ms"), QStringLiteral("lines"),
    QStringLiteral("mode"), QStringLiteral("name"), QStringLiteral("sensor"), QStringLiteral("sim"),
    QStringLiteral("trigger"), QStringLiteral("version")};
const QStringList kCameraKeys {QStringLiteral("backend"), QStringLiteral("device"), QStringLiteral("fps"),
    QStringLiteral("mode"), QStringLiteral("readout_ms")};
const QStringList kLinesKeys {QStringLiteral("chip"), QStringLiteral("leds"), QStringLiteral("xvs")};
const QStringList kLedKeys {QStringLiteral("ganged"), QStringLiteral("line"), QStringLiteral("max_on_ms")};
const QStringList kSimKeys {QStringLiteral("glitch_rate"), QStringLiteral("hflip"),
    QStringLiteral("missed_pulse_rate"), QStringLiteral("pulses_per_frame"), QStringLiteral("seed"),
    QStringLiteral("vflip"), QStringLiteral("xvs_offset_us")};

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

std::optional<LedLine> readLed(const QJsonValue &value, const QString &path, JsonFields &f)
{
    DiagnosticSink &sink = f.sink();
    LedLine led;
    if (value.isDouble()) {
        const double x = value.toDouble();
        if (x < 0 || x > kMaxBcm || x != std::floor(x)) {
            sink.error(path, QStringLiteral("%1 is not a BCM GPIO number; use 0 to %2").arg(x).arg(kMaxBcm));
            return std::nullopt;
        }
        led.bcm = int(x);
        return led;
    }
    if (!value.isObject()) {
        f.wrongType(path, QStringLiteral("a BCM number or {\"line\": N, \"max_on_ms\": M}"), value);
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    const auto bcm = f.wholeNumber(o, QStringLiteral("line"), path, false, NumberRange {0, kMaxBcm, kBcm});
    if (!bcm) {
        if (!bcm.present)
            f.missing(path, QStringLiteral("line"), QStringLiteral("the BCM GPIO number"));
        return std::nullopt;
    }
    led.bcm = int(*bcm);
    if (const auto m = f.wholeNumber(o, QStringLiteral("max_on_ms"), path, false, kMaxOnRange))
        led.maxOn = std::chrono::milliseconds(qint64(*m));
    // One colour on several pins (the 454 rig's UV on four), switched together by the strobe engine.
    if (const auto g = f.array(o, QStringLiteral("ganged"), path, false)) {
        for (int i = 0; i < g->size(); ++i) {
            const double x = g->at(i).toDouble(-1);
            if (!g->at(i).isDouble() || x < 0 || x > kMaxBcm || x != std::floor(x)) {
                sink.error(QStringLiteral("%1.ganged[%2]").arg(path).arg(i),
                    QStringLiteral("expected a BCM GPIO number 0 to %1").arg(kMaxBcm));
                return std::nullopt;
            }
            led.gangedBcm << int(x);
        }
    }
    f.warnUnknownKeys(o, path, kLedKeys);
    return led;
}

// The "camera" object: {"backend": "qt", "device": "…", "mode": "WxH", "fps": F, "readout_ms": R} names a
// camera Qt Multimedia opens; {"backend": "libcamera"} (or no object) is the Pi camera of "sensor".
void readCamera(const QJsonObject &o, RigDescription &rig, JsonFields &f)
{
    DiagnosticSink &sink = f.sink();
    const QString path = QStringLiteral("$.camera");
    f.warnUnknownKeys(o, path, kCameraKeys);
    const auto backend = f.string(o, QStringLiteral("backend"), path, false);
    if (!backend.present || (backend && *backend == QLatin1String("libcamera"))) {
        for (const QString &key : {QStringLiteral("device"), QStringLiteral("mode"), QStringLiteral("fps"),
                 QStringLiteral("readout_ms")})
            if (o.contains(key))
                sink.warning(jsonPathKey(path, key),
                    QStringLiteral("ignored: the camera is libcamera's, described by \"sensor\" and "
                                   "\"mode\"; add \"backend\": \"qt\" for a Qt Multimedia camera"));
        return;
    }
    if (!backend)
        return;
    if (*backend != QLatin1String("qt")) {
        sink.error(QStringLiteral("$.camera.backend"),
            QStringLiteral("'%1' is not a camera backend; use \"libcamera\" (a Raspberry Pi camera) or "
                           "\"qt\" (a USB or other camera Qt Multimedia opens)")
                .arg(*backend));
        return;
    }
    rig.camera.backend = *backend;
    if (rig.backend != QLatin1String("pi"))
        sink.error(QStringLiteral("$.backend"),
            QStringLiteral("a Qt Multimedia camera needs real LED lines; use \"backend\": \"pi\" with the "
                           "GPIO chip in \"lines\" (the simulated rig has its own camera)"));
    const auto device = f.string(o, QStringLiteral("device"), path, false);
    if (!device.present || (device && device->trimmed().isEmpty()))
        f.missing(path, QStringLiteral("device"),
            QStringLiteral("the camera's name as 'scopesync doctor' lists it under \"other cameras\""));
    else if (device)
        rig.camera.device = device->trimmed();
    const auto mode = f.string(o, QStringLiteral("mode"), path, false);
    std::optional<std::pair<int, int>> wh;
    if (!mode.present)
        f.missing(path, QStringLiteral("mode"), QStringLiteral("the size to capture, e.g. \"1280x720\""));
    else if (mode && !(wh = timing::parseModeName(*mode)))
        sink.error(QStringLiteral("$.camera.mode"),
            QStringLiteral("'%1' is not a size; write it as WIDTHxHEIGHT, e.g. \"1280x720\"").arg(*mode));
    const auto fps
        = f.number(o, QStringLiteral("fps"), path, false, NumberRange {0.1, 1000, QStringLiteral("fps")});
    if (!fps.present)
        f.missing(path, QStringLiteral("fps"),
            QStringLiteral("the frame rate the camera runs that size at, e.g. 30; a wrong one is refused "
                           "with the camera's own named"));
    if (const auto r = f.number(o, QStringLiteral("readout_ms"), path, false,
            NumberRange {0.001, 10'000, QStringLiteral("ms")})) {
        rig.camera.readout = std::chrono::microseconds(qint64(std::llround(*r * 1000.0)));
        if (fps && *r > 1000.0 / *fps)
            sink.error(QStringLiteral("$.camera.readout_ms"),
                QStringLiteral("%1 ms is longer than a frame at %2 fps (%3 ms); a rolling shutter reads "
                               "out within its frame")
                    .arg(*r)
                    .arg(*fps)
                    .arg(1000.0 / *fps, 0, 'f', 3));
    }
    if (!wh || !fps)
        return;
    rig.camera.fps = *fps;
    rig.modeWidth = wh->first;
    rig.modeHeight = wh->second;
    // Named by its device, so a calibration profile made on one Qt camera never matches another.
    rig.sensor = QStringLiteral("qt:") + rig.camera.device;
    rig.describedSensor = timing::describedCamera(rig.sensor,
        QStringLiteral("Qt Multimedia camera \"%1\"").arg(rig.camera.device), wh->first, wh->second, *fps,
        rig.camera.readout);
    // No trigger wire reaches such a camera: its frames are followed by their timestamps.
    rig.trigger = TriggerMode::FreeRun;
}

std::optional<RigDescription> readRig(const QJsonObject &root, DiagnosticSink &sink)
{
    JsonFields f(sink);
    const QString top = QStringLiteral("$");
    RigDescription rig = RigDescription::referenceSim();
    rig.name.clear();
    // A rig has the devices its file describes, none of the reference rig's.
    rig.filterWheel.reset();
    rig.focus.reset();
    rig.heater.reset();
    f.number(root, QStringLiteral("version"), top, false, NumberRange {1, 1, {}});
    f.string(root, QStringLiteral("format"), top, false);
    if (const auto v = f.string(root, QStringLiteral("name"), top, false))
        rig.name = *v;
    const auto backend = f.string(root, QStringLiteral("backend"), top, false);
    if (!backend.present)
        f.missing(top, QStringLiteral("backend"), QStringLiteral("\"sim\" or \"pi\""));
    else if (backend && *backend != QLatin1String("sim") && *backend != QLatin1String("pi"))
        sink.error(QStringLiteral("$.backend"),
            QStringLiteral("'%1' is not a backend; use \"sim\" or \"pi\"").arg(*backend));
    else if (backend)
        rig.backend = *backend;
    if (const auto camera = f.object(root, QStringLiteral("camera"), top, false))
        readCamera(*camera, rig, f);
    const bool qtCamera = rig.camera.isQt();
    if (qtCamera) {
        for (const QString &key : {QStringLiteral("sensor"), QStringLiteral("mode")})
            if (root.contains(key))
                sink.warning(jsonPathKey(top, key),
                    QStringLiteral("ignored: a Qt Multimedia camera is described by \"camera\" "
                                   "(its \"mode\" and \"fps\")"));
    } else if (const auto v = f.string(root, QStringLiteral("sensor"), top, false)) {
        if (!timing::SensorCatalog::find(*v))
            sink.error(QStringLiteral("$.sensor"),
                QStringLiteral("unknown sensor '%1'; known sensors: %2")
                    .arg(*v, timing::SensorCatalog::ids().join(QStringLiteral(", "))));
        else
            rig.sensor = v->toLower();
    }
    if (const auto v = qtCamera ? Field<QString> {} : f.string(root, QStringLiteral("mode"), top, false)) {
        const auto wh = timing::parseModeName(*v);
        const auto *s = rig.sensorInfo();
        if (!wh)
            sink.error(QStringLiteral("$.mode"),
                QStringLiteral("'%1' is not a mode; write it as WIDTHxHEIGHT, e.g. \"4056x3040\"").arg(*v));
        else if (s && !s->findMode(wh->first, wh->second))
            sink.error(QStringLiteral("$.mode"),
                QStringLiteral("%1 has no mode %2; use one of %3")
                    .arg(s->id, *v, s->modeNames().join(QStringLiteral(", "))));
        else {
            rig.modeWidth = wh->first;
            rig.modeHeight = wh->second;
        }
    }
    if (const auto v = f.string(root, QStringLiteral("trigger"), top, false)) {
        if (auto m = triggerModeFromName(*v)) {
            rig.trigger = *m;
            const auto *s = rig.sensorInfo();
            if (s && !cameraSupports(*s, *m))
                sink.error(QStringLiteral("$.trigger"),
                    QStringLiteral("the %1 (%2) cannot work in %3 mode; use free-run%4")
                        .arg(s->camera, s->id, *v,
                            s->triggers.xvsSource ? QStringLiteral(" or xvs-sink") : QString()));
        } else {
            sink.error(QStringLiteral("$.trigger"),
                QStringLiteral("'%1' is not a trigger mode; use xvs-sink, xvs-source, external or free-run")
                    .arg(*v));
        }
    }
    if (const auto v = f.string(root, QStringLiteral("camera_sync"), top, false)) {
        if (auto s = cameraSyncFromName(*v)) {
            rig.cameraSync = *s;
            if (*s != CameraSync::Off && qtCamera)
                sink.error(QStringLiteral("$.camera_sync"),
                    QStringLiteral("camera sync is libcamera's (Raspberry Pi cameras); a Qt Multimedia "
                                   "camera cannot take part: remove \"camera_sync\""));
            else if (*s != CameraSync::Off && rig.trigger != TriggerMode::FreeRun
                && rig.trigger != TriggerMode::XvsSink)
                sink.error(QStringLiteral("$.camera_sync"),
                    QStringLiteral(
                        "a synchronised camera runs free and sets its own frame timing; use "
                        "\"trigger\": \"free-run\" (or \"xvs-sink\" with the XVS wire to a GPIO)"));
        } else {
            sink.error(QStringLiteral("$.camera_sync"),
                QStringLiteral("'%1' is not a camera sync role; use off, server or client").arg(*v));
        }
    }
    if (const auto v = f.number(root, QStringLiteral("delay_us"), top, false, NumberRange {0, 10e6, kUs}))
        rig.delay = std::chrono::microseconds(qint64(*v));
    if (const auto v = f.wholeNumber(
            root, QStringLiteral("led_max_on_ms"), top, false, NumberRange {1, 60'000, QStringLiteral("ms")}))
        rig.ledMaxOn = std::chrono::milliseconds(qint64(*v));
    if (const auto v = f.wholeNumber(root, QStringLiteral("illumination_max_on_ms"), top, false, kMaxOnRange))
        rig.illuminationMaxOn = std::chrono::milliseconds(qint64(*v));

    QSet<int> usedLines;
    const auto claimLine = [&](int bcm, const QString &path) {
        if (usedLines.contains(bcm))
            sink.error(path, QStringLiteral("BCM %1 is used twice; every line needs its own GPIO").arg(bcm));
        usedLines.insert(bcm);
    };
    const bool real = rig.backend != QLatin1String("sim");
    const auto lines = f.object(root, QStringLiteral("lines"), top, false);
    if (lines) {
        const QString lp = QStringLiteral("$.lines");
        if (const auto v = f.string(*lines, QStringLiteral("chip"), lp, false))
            rig.gpioChip = *v;
        if (const auto v
            = f.wholeNumber(*lines, QStringLiteral("xvs"), lp, false, NumberRange {0, kMaxBcm, kBcm})) {
            rig.xvsLine = int(*v);
            claimLine(rig.xvsLine, QStringLiteral("$.lines.xvs"));
        } else if (!lines->contains(QStringLiteral("xvs")) && rig.trigger != TriggerMode::FreeRun) {
            // The default trigger line is a line too: an LED on it would be driven by the camera's pulses.
            claimLine(rig.xvsLine, QStringLiteral("$.lines.xvs (default %1)").arg(rig.xvsLine));
        }
    }
    const auto leds = lines ? f.object(*lines, QStringLiteral("leds"), QStringLiteral("$.lines"), false)
                            : Field<QJsonObject> {};
    if (!leds.present) {
        // The reference rig's pins are right for the simulated rig only: a real rig names its own.
        if (real)
            sink.error(lines ? QStringLiteral("$.lines") : top,
                QStringLiteral("no LED lines: name each LED's BCM pin, e.g. \"lines\": {\"xvs\": 6, "
                               "\"leds\": {\"red\": 16, \"green\": 20}}"));
        else
            sink.warning(lines ? QStringLiteral("$.lines") : top,
                QStringLiteral(
                    "no \"lines.leds\": the reference rig's LEDs (red 16, orange 17, green 20, blue 21, "
                    "uv 18) are simulated"));
    }
    if (leds) {
        {
            rig.leds.clear();
            if (leds->isEmpty())
                sink.error(QStringLiteral("$.lines.leds"),
                    QStringLiteral("no LEDs; add at least one, e.g. \"red\": 16"));
            for (auto it = leds->begin(); it != leds->end(); ++it) {
                const QString path = jsonPathKey(QStringLiteral("$.lines.leds"), it.key());
                if (it.key().trimmed().isEmpty()) {
                    sink.error(path, QStringLiteral("an LED needs a name, e.g. \"red\""));
                    continue;
                }
                if (const auto led = readLed(it.value(), path, f)) {
                    claimLine(led->bcm, path);
                    for (int i = 0; i < led->gangedBcm.size(); ++i)
                        claimLine(led->gangedBcm[i], QStringLiteral("%1.ganged[%2]").arg(path).arg(i));
                    rig.leds.insert(it.key(), *led);
                }
            }
        }
    }
    if (lines)
        f.warnUnknownKeys(*lines, QStringLiteral("$.lines"), kLinesKeys);
    const instrument::ClaimLine claim = claimLine;
    if (const auto o = f.object(root, QStringLiteral("filter_wheel"), top, false))
        rig.filterWheel
            = instrument::readFilterWheel(*o, QStringLiteral("$.filter_wheel"), rig.backend, f, claim);
    if (const auto o = f.object(root, QStringLiteral("focus"), top, false)) {
        rig.focus = instrument::readFocus(*o, QStringLiteral("$.focus"), rig.backend, f, claim);
        if (rig.focus) {
            for (auto it = rig.focus->perFilter.cbegin(); it != rig.focus->perFilter.cend(); ++it)
                if (!rig.filterWheel || !rig.filterWheel->order.contains(it.key()))
                    sink.error(jsonPathKey(QStringLiteral("$.focus.per_filter"), it.key()),
                        rig.filterWheel
                            ? QStringLiteral("the filter wheel has no filter '%1'; it has %2")
                                  .arg(it.key(), rig.filterWheel->order.join(QStringLiteral(", ")))
                            : QStringLiteral("a focus position per filter needs a \"filter_wheel\""));
        }
    }
    if (const auto o = f.object(root, QStringLiteral("heater"), top, false))
        rig.heater = instrument::readHeater(*o, QStringLiteral("$.heater"), rig.backend, f, claim);
    if (const auto sim = f.object(root, QStringLiteral("sim"), top, false)) {
        const QString sp = QStringLiteral("$.sim");
        if (const auto v
            = f.number(*sim, QStringLiteral("xvs_offset_us"), sp, false, NumberRange {-1e6, 1e6, kUs}))
            rig.sim.xvsOffset = std::chrono::microseconds(qint64(*v));
        if (const auto v
            = f.wholeNumber(*sim, QStringLiteral("pulses_per_frame"), sp, false, NumberRange {1, 2, {}}))
            rig.sim.pulsesPerFrame = int(*v);
        if (const auto v = f.boolean(*sim, QStringLiteral("vflip"), sp, false))
            rig.sim.vflip = *v;
        if (const auto v = f.boolean(*sim, QStringLiteral("hflip"), sp, false))
            rig.sim.hflip = *v;
        if (const auto v
            = f.number(*sim, QStringLiteral("missed_pulse_rate"), sp, false, NumberRange {0, 0.9, {}}))
            rig.sim.missedPulseRate = *v;
        if (const auto v = f.number(*sim, QStringLiteral("glitch_rate"), sp, false,
                NumberRange {0, 5, QStringLiteral("per frame")}))
            rig.sim.glitchRate = *v;
        if (const auto v = f.number(*sim, QStringLiteral("seed"), sp, false, NumberRange {0, 9.0e15, {}}))
            rig.sim.seed = quint64(*v);
        f.warnUnknownKeys(*sim, sp, kSimKeys);
        if (rig.backend == QLatin1String("pi"))
            sink.warning(sp, QStringLiteral("ignored: the backend is \"pi\""));
    }
    f.warnUnknownKeys(root, top, kRootKeys);
    return rig;
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
        {QStringLiteral("uv"), {18, {19, 22, 23}, {}}}};
    // The 454 microscope's filter wheel, chromatic focus offsets and slide heater, simulated: moves take
    // their time and the plant heats at a real rig's rate (minutes from room temperature to 58 °C).
    instrument::FilterWheelDescription wheel;
    wheel.kind = QStringLiteral("sim");
    wheel.order = {QStringLiteral("no_filter"), QStringLiteral("red"), QStringLiteral("orange"),
        QStringLiteral("green"), QStringLiteral("blue")};
    for (int i = 0; i < wheel.order.size(); ++i)
        wheel.positions.insert(wheel.order[i], instrument::kSimWheelFirst + i * instrument::kSimWheelPitch);
    wheel.simMoveTime = std::chrono::milliseconds(150);
    r.filterWheel = wheel;
    instrument::FocusDescription focus;
    focus.kind = QStringLiteral("sim");
    focus.perFilter = {{QStringLiteral("red"), 0}, {QStringLiteral("orange"), -850},
        {QStringLiteral("green"), -1525}, {QStringLiteral("blue"), -1860}};
    focus.stepper.stepTime = std::chrono::microseconds(100);
    r.focus = focus;
    instrument::HeaterDescription heater;
    heater.kind = QStringLiteral("sim");
    heater.sensor.kind = QStringLiteral("sim");
    // The 454 gains' integral term (0.2) is too weak for this plant to settle within ±0.2 K (it ends
    // 0.18 K low); 10 settles in about 215 s with under 0.1 K overshoot (test_pi_controller).
    heater.iPerMillePerKelvinSecond = 10.0;
    r.heater = heater;
    return r;
}

const timing::SensorInfo *RigDescription::sensorInfo() const
{
    if (describedSensor)
        return &*describedSensor;
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
        if (it->maxOn.count() > 0 || !it->gangedBcm.isEmpty()) {
            QJsonObject led {{QStringLiteral("line"), it->bcm}};
            if (it->maxOn.count() > 0)
                led.insert(QStringLiteral("max_on_ms"), qint64(it->maxOn.count()));
            if (!it->gangedBcm.isEmpty()) {
                QJsonArray ganged;
                for (int g : it->gangedBcm)
                    ganged.append(g);
                led.insert(QStringLiteral("ganged"), ganged);
            }
            ledsJson.insert(it.key(), led);
        } else {
            ledsJson.insert(it.key(), it->bcm);
        }
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
    if (camera.isQt()) {
        // Its mode and timing live in "camera"; the root's "sensor" and "mode" would be ignored.
        o.remove(QStringLiteral("sensor"));
        o.remove(QStringLiteral("mode"));
        QJsonObject c {{QStringLiteral("backend"), camera.backend}, {QStringLiteral("device"), camera.device},
            {QStringLiteral("mode"), QStringLiteral("%1x%2").arg(modeWidth).arg(modeHeight)},
            {QStringLiteral("fps"), camera.fps}};
        if (camera.readout)
            c.insert(QStringLiteral("readout_ms"), double(camera.readout->count()) / 1000.0);
        o.insert(QStringLiteral("camera"), c);
    }
    if (cameraSync != CameraSync::Off)
        o.insert(QStringLiteral("camera_sync"), cameraSyncName(cameraSync));
    if (filterWheel)
        o.insert(QStringLiteral("filter_wheel"), instrument::toJson(*filterWheel));
    if (focus)
        o.insert(QStringLiteral("focus"), instrument::toJson(*focus));
    if (heater)
        o.insert(QStringLiteral("heater"), instrument::toJson(*heater));
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
    auto bytes = BoundedFileReader::read(path, RigReader::kMaxFileBytes, QStringLiteral("rig file"));
    if (!bytes.ok()) {
        RigReadResult out;
        out.diagnostics.error(QStringLiteral("$"), bytes.error().message);
        return out;
    }
    return readBytes(*bytes);
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

    // The sink adds its closing summary when it goes out of scope, before `out` is returned.
    {
        DiagnosticSink sink(d);
        if (auto rig = readRig(doc.object(), sink); rig && sink.errorCount() == 0)
            out.rig = *rig;
    }
    return out;
}

}  // namespace scopesync::core::acquisition
