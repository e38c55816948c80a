// Legacy454RigImporter: a 454 instrument's hardware configuration file as a ScopeSync rig.
#include "core/acquisition/legacy_454_rig_importer.h"

#include "core/common/diagnostic_sink.h"
#include "core/common/json_fields.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace scopesync::core::acquisition {

namespace {

const QStringList kRootKeys {QStringLiteral("__COMMENT__"), QStringLiteral("schema_version"),
    QStringLiteral("leds"), QStringLiteral("filters"), QStringLiteral("filter_controller"),
    QStringLiteral("focus_controller"), QStringLiteral("heater_gpio_pins"), QStringLiteral("heater_max_pwm"),
    QStringLiteral("temperature_sensor_w1_glob"), QStringLiteral("temperature_sensor_i2c_adc"),
    QStringLiteral("control_pid_override")};

std::optional<QList<int>> pins(const QJsonValue &v, const QString &path, DiagnosticSink &sink)
{
    if (!v.isArray() || v.toArray().isEmpty()) {
        sink.error(path, QStringLiteral("expected a list of BCM GPIO numbers"));
        return std::nullopt;
    }
    QList<int> out;
    for (const auto &p : v.toArray()) {
        const double x = p.toDouble(-1);
        if (!p.isDouble() || x < 0 || x > 27 || x != std::floor(x)) {
            sink.error(path, QStringLiteral("expected BCM GPIO numbers 0 to 27"));
            return std::nullopt;
        }
        out << int(x);
    }
    return out;
}

// Names sorted by their position (servo pulse or steps): the wheel's order.
QStringList byPosition(const QMap<QString, int> &positions)
{
    QStringList names = positions.keys();
    std::stable_sort(names.begin(), names.end(),
        [&](const QString &a, const QString &b) { return positions.value(a) < positions.value(b); });
    return names;
}

std::optional<instrument::StepperDescription> stepper(
    const QJsonObject &o, const QString &path, JsonFields &f)
{
    DiagnosticSink &sink = f.sink();
    instrument::StepperDescription s;
    const auto coils
        = pins(o.value(QStringLiteral("gpio_pins")), jsonPathKey(path, QStringLiteral("gpio_pins")), sink);
    if (!coils)
        return std::nullopt;
    if (coils->size() != 4) {
        sink.error(jsonPathKey(path, QStringLiteral("gpio_pins")),
            QStringLiteral("a 4-coil stepper needs four pins"));
        return std::nullopt;
    }
    s.coilBcm = *coils;
    if (const auto v = f.wholeNumber(o, QStringLiteral("pwm_pin"), path, false, NumberRange {0, 27, {}}))
        s.enableBcm = int(*v);
    if (const auto v
        = f.wholeNumber(o, QStringLiteral("pwm_standby"), path, false, NumberRange {0, 1000, {}}))
        s.standbyPerMille = int(*v);
    if (const auto v = f.wholeNumber(o, QStringLiteral("pwm_on"), path, false, NumberRange {0, 1000, {}}))
        s.runPerMille = int(*v);
    if (const auto v = f.number(
            o, QStringLiteral("step_time_us"), path, false, NumberRange {200, 1e6, QStringLiteral("µs")}))
        s.stepTime = std::chrono::microseconds(qint64(*v));
    if (const auto v
        = f.wholeNumber(o, QStringLiteral("reset_step"), path, false, NumberRange {-100000, 100000, {}}))
        s.homeSteps = int(*v);
    f.warnUnknownKeys(o, path,
        {QStringLiteral("gpio_pins"), QStringLiteral("pwm_pin"), QStringLiteral("pwm_standby"),
            QStringLiteral("pwm_on"), QStringLiteral("step_time_us"), QStringLiteral("reset_step")});
    return s;
}

std::optional<QMap<QString, int>> positionMap(const QJsonObject &o, const QString &path, DiagnosticSink &sink)
{
    QMap<QString, int> out;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const double x = it.value().toDouble(NAN);
        if (!it.value().isDouble() || x != std::floor(x)) {
            sink.error(jsonPathKey(path, it.key()), QStringLiteral("expected whole steps"));
            return std::nullopt;
        }
        out.insert(it.key(), int(x));
    }
    return out;
}

}  // namespace

Legacy454RigResult Legacy454RigImporter::importBytes(
    const QByteArray &bytes, const Legacy454RigOptions &options)
{
    Legacy454RigResult out;
    DiagnosticSink sink(out.diagnostics);
    JsonFields f(sink);
    QJsonParseError pe {};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        sink.error(QStringLiteral("$"),
            pe.error != QJsonParseError::NoError
                ? QStringLiteral("not JSON: %1 at byte %2").arg(pe.errorString()).arg(pe.offset)
                : QStringLiteral("expected a JSON object (a 454 hardware_configuration_*.json)"));
        return out;
    }
    const QJsonObject root = doc.object();
    const QString top = QStringLiteral("$");
    const auto schema
        = f.wholeNumber(root, QStringLiteral("schema_version"), top, true, NumberRange {1, 100, {}});
    if (schema && (*schema < 3 || *schema > 4))
        sink.error(QStringLiteral("$.schema_version"),
            QStringLiteral("schema %1 is not one this importer knows; it reads schemas 3 and 4")
                .arg(*schema));
    f.warnUnknownKeys(root, top, kRootKeys);

    RigDescription rig = RigDescription::referenceSim();
    rig.filterWheel.reset();
    rig.focus.reset();
    rig.heater.reset();
    rig.name = QStringLiteral("454 instrument (imported)");
    rig.backend = options.simulated ? QStringLiteral("sim") : QStringLiteral("pi");
    const QString sim = QStringLiteral("sim");
    // The 454 files describe no camera or trigger wire: the reference HQ camera with XVS into BCM 6 is
    // assumed.
    sink.warning(top,
        QStringLiteral(
            "the file names no camera or trigger wire: assumed the HQ camera (imx477 4056x3040) with "
            "XVS into BCM 6 (xvs-sink); edit \"sensor\", \"mode\", \"trigger\" and \"lines.xvs\" to match"));

    if (const auto leds = f.object(root, QStringLiteral("leds"), top, true)) {
        rig.leds.clear();
        for (auto it = leds->begin(); it != leds->end(); ++it) {
            const QString path = jsonPathKey(QStringLiteral("$.leds"), it.key());
            const auto p = pins(it.value().toObject().value(QStringLiteral("gpio_pins")),
                jsonPathKey(path, QStringLiteral("gpio_pins")), sink);
            if (!p)
                continue;
            LedLine led;
            led.bcm = p->first();
            led.gangedBcm = p->mid(1);
            rig.leds.insert(it.key(), led);
        }
    }

    // Filter wheel: a servo (schema 3, "filters" with pulse widths) or a stepper (schema 4).
    if (root.contains(QStringLiteral("filters"))) {
        if (const auto filters = f.object(root, QStringLiteral("filters"), top, true)) {
            QMap<QString, int> pulses;
            for (auto it = filters->begin(); it != filters->end(); ++it) {
                const QString path = jsonPathKey(QStringLiteral("$.filters"), it.key());
                const auto us = f.wholeNumber(it.value().toObject(), QStringLiteral("servo_angle"), path,
                    true, NumberRange {500, 2500, QStringLiteral("µs")});
                if (us)
                    pulses.insert(it.key(), int(*us));
            }
            instrument::FilterWheelDescription w;
            w.kind = options.simulated ? sim : QStringLiteral("servo");
            w.order = byPosition(pulses);
            w.positions = pulses;
            if (!options.simulated) {
                if (!options.servoBcm)
                    sink.error(QStringLiteral("$.filters"),
                        QStringLiteral(
                            "the file does not say which pin drives the servo; give --servo-line N "
                            "(hardware PWM on BCM 12, 13, 18 or 19)"));
                else
                    w.servoBcm = *options.servoBcm;
            }
            rig.filterWheel = w;
        }
    }
    if (const auto fc = f.object(root, QStringLiteral("filter_controller"), top, false)) {
        const QString path = QStringLiteral("$.filter_controller");
        const auto st = stepper(
            fc->value(QStringLiteral("stepper")).toObject(), jsonPathKey(path, QStringLiteral("stepper")), f);
        const auto pos = positionMap(fc->value(QStringLiteral("positions")).toObject(),
            jsonPathKey(path, QStringLiteral("positions")), sink);
        if (st && pos) {
            instrument::FilterWheelDescription w;
            w.kind = options.simulated ? sim : QStringLiteral("stepper");
            w.order = byPosition(*pos);
            w.positions = *pos;
            w.stepper = *st;
            rig.filterWheel = w;
        }
    }
    if (const auto fc = f.object(root, QStringLiteral("focus_controller"), top, false)) {
        const QString path = QStringLiteral("$.focus_controller");
        const auto st = stepper(
            fc->value(QStringLiteral("stepper")).toObject(), jsonPathKey(path, QStringLiteral("stepper")), f);
        const auto pos = positionMap(fc->value(QStringLiteral("positions")).toObject(),
            jsonPathKey(path, QStringLiteral("positions")), sink);
        if (st && pos) {
            instrument::FocusDescription d;
            d.kind = options.simulated ? sim : QStringLiteral("stepper");
            d.perFilter = *pos;
            d.stepper = *st;
            rig.focus = d;
        }
    }

    // Heater and its sensor.
    if (root.contains(QStringLiteral("heater_gpio_pins"))) {
        instrument::HeaterDescription h;
        h.kind = options.simulated ? sim : QStringLiteral("pwm");
        const auto p = pins(
            root.value(QStringLiteral("heater_gpio_pins")), QStringLiteral("$.heater_gpio_pins"), sink);
        if (p) {
            h.bcm = options.simulated ? -1 : p->first();
            if (p->size() > 1)
                sink.warning(QStringLiteral("$.heater_gpio_pins"),
                    QStringLiteral("only the first heater pin is used"));
        }
        if (const auto v
            = f.wholeNumber(root, QStringLiteral("heater_max_pwm"), top, false, NumberRange {0, 1000, {}}))
            h.maxPerMille = int(*v);
        if (const auto pid = f.object(root, QStringLiteral("control_pid_override"), top, false)) {
            const QString pp = QStringLiteral("$.control_pid_override");
            if (const auto v = f.number(*pid, QStringLiteral("p"), pp, false, NumberRange {0, 1e6, {}}))
                h.pPerMillePerKelvin = *v;
            if (const auto v = f.number(*pid, QStringLiteral("i"), pp, false, NumberRange {0, 1e6, {}}))
                h.iPerMillePerKelvinSecond = *v;
            if (const auto v
                = f.wholeNumber(*pid, QStringLiteral("bias"), pp, false, NumberRange {0, 1000, {}}))
                h.biasPerMille = int(*v);
            f.warnUnknownKeys(*pid, pp, {QStringLiteral("p"), QStringLiteral("i"), QStringLiteral("bias")});
        }
        if (options.simulated) {
            h.sensor.kind = sim;
        } else if (root.contains(QStringLiteral("temperature_sensor_w1_glob"))) {
            h.sensor.kind = QStringLiteral("ds18b20");
        } else if (const auto adc
            = f.object(root, QStringLiteral("temperature_sensor_i2c_adc"), top, false)) {
            const QString ap = QStringLiteral("$.temperature_sensor_i2c_adc");
            h.sensor.kind = QStringLiteral("ntc-ads1115");
            if (const auto v
                = f.wholeNumber(*adc, QStringLiteral("i2c_bus"), ap, true, NumberRange {0, 99, {}}))
                h.sensor.i2cDevice = QStringLiteral("/dev/i2c-%1").arg(int(*v));
            if (const auto v
                = f.wholeNumber(*adc, QStringLiteral("i2c_address"), ap, true, NumberRange {0x48, 0x4b, {}}))
                h.sensor.i2cAddress = int(*v);
            if (const auto v = f.number(*adc, QStringLiteral("beta_value"), ap, true,
                    NumberRange {1000, 10000, QStringLiteral("K")}))
                h.sensor.ntcBetaKelvin = *v;
            if (const auto v = f.number(*adc, QStringLiteral("resistance_at_known_temperature_ohms"), ap,
                    true, NumberRange {10, 1e7, QStringLiteral("Ω")}))
                h.sensor.ntcR25Ohm = *v;
            if (const auto v = f.number(*adc, QStringLiteral("known_temperature_kelvin"), ap, false,
                    NumberRange {200, 400, QStringLiteral("K")});
                v && std::abs(*v - 298.15) > 0.01)
                sink.error(jsonPathKey(ap, QStringLiteral("known_temperature_kelvin")),
                    QStringLiteral("the thermistor's resistance must be given at 298.15 K (25 °C); convert "
                                   "it with the β equation"));
            f.warnUnknownKeys(*adc, ap,
                {QStringLiteral("i2c_bus"), QStringLiteral("i2c_address"),
                    QStringLiteral("known_temperature_kelvin"), QStringLiteral("beta_value"),
                    QStringLiteral("resistance_at_known_temperature_ohms")});
        } else {
            sink.error(QStringLiteral("$.heater_gpio_pins"),
                QStringLiteral(
                    "a heater without a temperature sensor: the file needs temperature_sensor_w1_glob or "
                    "temperature_sensor_i2c_adc"));
        }
        if (options.simulated && h.iPerMillePerKelvinSecond < 1.0)
            sink.warning(QStringLiteral("$.control_pid_override.i"),
                QStringLiteral(
                    "with i %1 the simulated plant settles 0.2 K short of the set point; the reference "
                    "simulated rig uses 10")
                    .arg(h.iPerMillePerKelvinSecond));
        rig.heater = h;
    }
    if (out.diagnostics.hasErrors())
        return out;
    // The rig as a rig file would describe it must pass the rig file's own checks (lines used twice…).
    const auto check = RigReader::readBytes(QJsonDocument(rig.toJson()).toJson());
    out.diagnostics.append(check.diagnostics);
    if (check.rig)
        out.rig = *check.rig;
    return out;
}

}  // namespace scopesync::core::acquisition
