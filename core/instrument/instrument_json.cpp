// Reads and writes the rig file's instrument sections (filter wheel, focus, heater and its sensor).
#include "core/instrument/instrument_json.h"

#include <QJsonArray>

#include <cmath>

namespace scopesync::core::instrument {

namespace {

constexpr int kMaxBcm = 27;
const QString kBcm = QStringLiteral("(BCM)");
const QString kMs = QStringLiteral("ms");

double celsius(double kelvin)
{
    return kelvin - 273.15;
}

std::optional<int> line(const QJsonObject &o, const QString &key, const QString &path, bool required,
    JsonFields &f, const ClaimLine &claim)
{
    const auto v = f.wholeNumber(o, key, path, required, NumberRange {0, kMaxBcm, kBcm});
    if (!v)
        return std::nullopt;
    claim(int(*v), jsonPathKey(path, key));
    return int(*v);
}

// kind must be one of `allowed`; simulated devices only on the simulated backend and real ones only on a Pi.
std::optional<QString> readKind(const QJsonObject &o, const QString &path, const QStringList &allowed,
    const QString &backend, JsonFields &f)
{
    const auto kind = f.string(o, QStringLiteral("kind"), path, true);
    if (!kind)
        return std::nullopt;
    const QString kp = jsonPathKey(path, QStringLiteral("kind"));
    if (!allowed.contains(*kind)) {
        f.sink().error(kp,
            QStringLiteral("'%1' is not a kind here; use %2").arg(*kind, allowed.join(QStringLiteral(", "))));
        return std::nullopt;
    }
    const bool sim = *kind == QLatin1String("sim");
    if (sim && backend != QLatin1String("sim")) {
        QStringList real = allowed;
        real.removeAll(QStringLiteral("sim"));
        f.sink().error(kp,
            QStringLiteral("a simulated device needs \"backend\": \"sim\"; on a Pi use %1")
                .arg(real.join(QStringLiteral(" or "))));
        return std::nullopt;
    }
    if (!sim && backend == QLatin1String("sim")) {
        f.sink().error(
            kp, QStringLiteral("the simulated rig cannot drive a real %1; use \"kind\": \"sim\"").arg(*kind));
        return std::nullopt;
    }
    return *kind;
}

std::optional<StepperDescription> readStepper(
    const QJsonObject &parent, const QString &parentPath, JsonFields &f, const ClaimLine &claim)
{
    const auto o = f.object(parent, QStringLiteral("stepper"), parentPath, true);
    if (!o)
        return std::nullopt;
    const QString path = jsonPathKey(parentPath, QStringLiteral("stepper"));
    StepperDescription s;
    bool ok = true;
    if (const auto coils = f.array(*o, QStringLiteral("coils"), path, true)) {
        const QString cp = jsonPathKey(path, QStringLiteral("coils"));
        if (coils->size() != 4) {
            f.sink().error(
                cp, QStringLiteral("a 4-coil stepper needs four lines, found %1").arg(coils->size()));
            ok = false;
        }
        for (int i = 0; i < coils->size(); ++i) {
            const QJsonValue v = coils->at(i);
            const QString ip = QStringLiteral("%1[%2]").arg(cp).arg(i);
            if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > kMaxBcm
                || v.toDouble() != std::floor(v.toDouble())) {
                f.sink().error(ip, QStringLiteral("expected a BCM GPIO number 0 to %1").arg(kMaxBcm));
                ok = false;
                continue;
            }
            s.coilBcm << v.toInt();
            claim(v.toInt(), ip);
        }
    } else {
        ok = false;
    }
    if (const auto e = line(*o, QStringLiteral("enable"), path, false, f, claim))
        s.enableBcm = *e;
    const NumberRange perMille {0, 1000, QStringLiteral("‰")};
    if (const auto v = f.wholeNumber(*o, QStringLiteral("standby_per_mille"), path, false, perMille))
        s.standbyPerMille = int(*v);
    if (const auto v = f.wholeNumber(*o, QStringLiteral("run_per_mille"), path, false, perMille))
        s.runPerMille = int(*v);
    if (const auto v = f.boolean(*o, QStringLiteral("half_step"), path, false))
        s.halfStep = *v;
    if (const auto v
        = f.number(*o, QStringLiteral("step_us"), path, false, NumberRange {200, 1e6, QStringLiteral("µs")}))
        s.stepTime = std::chrono::microseconds(qint64(*v));
    if (const auto v
        = f.wholeNumber(*o, QStringLiteral("home_steps"), path, false, NumberRange {-100000, 100000, {}}))
        s.homeSteps = int(*v);
    f.warnUnknownKeys(*o, path,
        {QStringLiteral("coils"), QStringLiteral("enable"), QStringLiteral("standby_per_mille"),
            QStringLiteral("run_per_mille"), QStringLiteral("half_step"), QStringLiteral("step_us"),
            QStringLiteral("home_steps")});
    if (!ok)
        return std::nullopt;
    return s;
}

QJsonObject stepperJson(const StepperDescription &s)
{
    QJsonArray coils;
    for (int c : s.coilBcm)
        coils.append(c);
    QJsonObject o {{QStringLiteral("coils"), coils}, {QStringLiteral("standby_per_mille"), s.standbyPerMille},
        {QStringLiteral("run_per_mille"), s.runPerMille}, {QStringLiteral("half_step"), s.halfStep},
        {QStringLiteral("step_us"), qint64(s.stepTime.count())}, {QStringLiteral("home_steps"), s.homeSteps}};
    if (s.enableBcm >= 0)
        o.insert(QStringLiteral("enable"), s.enableBcm);
    return o;
}

}  // namespace

std::optional<FilterWheelDescription> readFilterWheel(
    const QJsonObject &o, const QString &path, const QString &backend, JsonFields &f, const ClaimLine &claim)
{
    FilterWheelDescription w;
    const auto kind = readKind(
        o, path, {QStringLiteral("servo"), QStringLiteral("stepper"), QStringLiteral("sim")}, backend, f);
    bool ok = kind.has_value();
    if (kind)
        w.kind = *kind;
    // An array keeps the wheel's order (a JSON object's keys have none).
    const QString pp = jsonPathKey(path, QStringLiteral("positions"));
    if (const auto positions = f.array(o, QStringLiteral("positions"), path, true)) {
        if (positions->isEmpty()) {
            f.sink().error(pp,
                QStringLiteral(
                    "no filters; list them in wheel order, e.g. [{\"filter\": \"red\", \"at\": 750}]"));
            ok = false;
        }
        for (int i = 0; i < positions->size(); ++i) {
            const QString ip = QStringLiteral("%1[%2]").arg(pp).arg(i);
            if (!f.expectObject(positions->at(i), ip)) {
                ok = false;
                continue;
            }
            const QJsonObject p = positions->at(i).toObject();
            const auto name = f.string(p, QStringLiteral("filter"), ip, true);
            const bool needsAt = w.kind != QLatin1String("sim");
            const auto at = w.kind == QLatin1String("servo")
                ? f.wholeNumber(
                    p, QStringLiteral("at"), ip, needsAt, NumberRange {500, 2500, QStringLiteral("µs")})
                : f.wholeNumber(p, QStringLiteral("at"), ip, needsAt,
                    NumberRange {-100000, 100000, QStringLiteral("steps")});
            f.warnUnknownKeys(p, ip, {QStringLiteral("filter"), QStringLiteral("at")});
            if (!name || (needsAt && !at)) {
                ok = false;
                continue;
            }
            if (name->isEmpty() || w.order.contains(*name)) {
                f.sink().error(jsonPathKey(ip, QStringLiteral("filter")),
                    name->isEmpty() ? QStringLiteral("a filter needs a name")
                                    : QStringLiteral("'%1' is on the wheel twice").arg(*name));
                ok = false;
                continue;
            }
            w.order << *name;
            w.positions.insert(*name, at ? int(*at) : kSimWheelFirst + int(i) * kSimWheelPitch);
        }
    } else {
        ok = false;
    }
    if (w.kind == QLatin1String("servo")) {
        if (const auto l = line(o, QStringLiteral("line"), path, true, f, claim))
            w.servoBcm = *l;
        else
            ok = false;
        if (const auto v
            = f.wholeNumber(o, QStringLiteral("settle_ms"), path, false, NumberRange {0, 10000, kMs}))
            w.servoSettle = std::chrono::milliseconds(qint64(*v));
    } else if (w.kind == QLatin1String("stepper")) {
        if (const auto s = readStepper(o, path, f, claim))
            w.stepper = *s;
        else
            ok = false;
    } else if (w.kind == QLatin1String("sim")) {
        if (const auto v
            = f.wholeNumber(o, QStringLiteral("move_ms"), path, false, NumberRange {0, 10000, kMs}))
            w.simMoveTime = std::chrono::milliseconds(qint64(*v));
    }
    f.warnUnknownKeys(o, path,
        {QStringLiteral("kind"), QStringLiteral("positions"), QStringLiteral("line"),
            QStringLiteral("settle_ms"), QStringLiteral("stepper"), QStringLiteral("move_ms")});
    if (!ok)
        return std::nullopt;
    return w;
}

std::optional<FocusDescription> readFocus(
    const QJsonObject &o, const QString &path, const QString &backend, JsonFields &f, const ClaimLine &claim)
{
    FocusDescription d;
    const auto kind = readKind(o, path, {QStringLiteral("stepper"), QStringLiteral("sim")}, backend, f);
    bool ok = kind.has_value();
    if (kind)
        d.kind = *kind;
    const NumberRange steps {-100000, 100000, QStringLiteral("steps")};
    if (const auto v = f.wholeNumber(o, QStringLiteral("min_steps"), path, false, steps))
        d.minSteps = int(*v);
    if (const auto v = f.wholeNumber(o, QStringLiteral("max_steps"), path, false, steps))
        d.maxSteps = int(*v);
    if (d.minSteps >= d.maxSteps) {
        f.sink().error(
            jsonPathKey(path, QStringLiteral("max_steps")), QStringLiteral("must be above min_steps"));
        ok = false;
    }
    if (const auto v = f.wholeNumber(o, QStringLiteral("offset_steps"), path, false, steps))
        d.offsetSteps = int(*v);
    if (const auto per = f.object(o, QStringLiteral("per_filter"), path, false)) {
        const QString pp = jsonPathKey(path, QStringLiteral("per_filter"));
        for (auto it = per->begin(); it != per->end(); ++it) {
            const QString ip = jsonPathKey(pp, it.key());
            const QJsonValue v = it.value();
            if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()) || v.toDouble() < d.minSteps
                || v.toDouble() > d.maxSteps) {
                f.sink().error(
                    ip, QStringLiteral("expected whole steps from %1 to %2").arg(d.minSteps).arg(d.maxSteps));
                ok = false;
                continue;
            }
            d.perFilter.insert(it.key(), v.toInt());
        }
    }
    if (d.kind == QLatin1String("stepper")) {
        if (const auto s = readStepper(o, path, f, claim))
            d.stepper = *s;
        else
            ok = false;
    } else if (d.kind == QLatin1String("sim")) {
        if (const auto v
            = f.number(o, QStringLiteral("step_us"), path, false, NumberRange {1, 1e6, QStringLiteral("µs")}))
            d.stepper.stepTime = std::chrono::microseconds(qint64(*v));
        else if (!o.contains(QStringLiteral("step_us")))
            d.stepper.stepTime = std::chrono::microseconds(1200);
    }
    f.warnUnknownKeys(o, path,
        {QStringLiteral("kind"), QStringLiteral("per_filter"), QStringLiteral("offset_steps"),
            QStringLiteral("min_steps"), QStringLiteral("max_steps"), QStringLiteral("stepper"),
            QStringLiteral("step_us")});
    if (!ok)
        return std::nullopt;
    return d;
}

std::optional<HeaterDescription> readHeater(
    const QJsonObject &o, const QString &path, const QString &backend, JsonFields &f, const ClaimLine &claim)
{
    HeaterDescription h;
    const auto kind = readKind(o, path, {QStringLiteral("pwm"), QStringLiteral("sim")}, backend, f);
    bool ok = kind.has_value();
    if (kind)
        h.kind = *kind;
    if (h.kind == QLatin1String("pwm")) {
        if (const auto l = line(o, QStringLiteral("line"), path, true, f, claim))
            h.bcm = *l;
        else
            ok = false;
    }
    const NumberRange perMille {0, 1000, QStringLiteral("‰")};
    if (const auto v = f.wholeNumber(o, QStringLiteral("max_per_mille"), path, false, perMille))
        h.maxPerMille = int(*v);
    if (const auto v
        = f.number(o, QStringLiteral("p_per_mille_per_k"), path, false, NumberRange {0, 1e6, {}}))
        h.pPerMillePerKelvin = *v;
    if (const auto v
        = f.number(o, QStringLiteral("i_per_mille_per_k_s"), path, false, NumberRange {0, 1e6, {}}))
        h.iPerMillePerKelvinSecond = *v;
    if (const auto v = f.wholeNumber(o, QStringLiteral("bias_per_mille"), path, false, perMille))
        h.biasPerMille = int(*v);
    if (const auto v
        = f.wholeNumber(o, QStringLiteral("control_period_ms"), path, false, NumberRange {100, 60000, kMs}))
        h.controlPeriod = std::chrono::milliseconds(qint64(*v));
    if (const auto v = f.number(
            o, QStringLiteral("reached_within_k"), path, false, NumberRange {0.01, 10, QStringLiteral("K")}))
        h.reachedWithinKelvin = *v;
    if (const auto v
        = f.wholeNumber(o, QStringLiteral("hold_s"), path, false, NumberRange {0, 3600, QStringLiteral("s")}))
        h.holdTime = std::chrono::seconds(qint64(*v));
    if (const auto v = f.wholeNumber(
            o, QStringLiteral("reach_timeout_s"), path, false, NumberRange {1, 86400, QStringLiteral("s")}))
        h.reachTimeout = std::chrono::seconds(qint64(*v));
    if (const auto v
        = f.number(o, QStringLiteral("max_c"), path, false, NumberRange {30, 120, QStringLiteral("°C")}))
        h.maxKelvin = *v + 273.15;
    if (const auto v
        = f.wholeNumber(o, QStringLiteral("sensor_failures_allowed"), path, false, NumberRange {1, 60, {}}))
        h.sensorFailuresAllowed = int(*v);
    if (const auto v = f.number(o, QStringLiteral("heating_k_per_min"), path, false,
            NumberRange {0.01, 100, QStringLiteral("K/min")}))
        h.heatingKelvinPerMinute = *v;

    const QString sp = jsonPathKey(path, QStringLiteral("sensor"));
    if (const auto s = f.object(o, QStringLiteral("sensor"), path, true)) {
        const auto sk = readKind(*s, sp,
            {QStringLiteral("ds18b20"), QStringLiteral("ntc-ads1115"), QStringLiteral("sim")}, backend, f);
        if (sk)
            h.sensor.kind = *sk;
        else
            ok = false;
        if (const auto v = f.string(*s, QStringLiteral("w1_device"), sp, false))
            h.sensor.w1Device = *v;
        if (const auto v = f.string(*s, QStringLiteral("i2c_device"), sp, false))
            h.sensor.i2cDevice = *v;
        if (const auto v
            = f.wholeNumber(*s, QStringLiteral("i2c_address"), sp, false, NumberRange {0x48, 0x4b, {}}))
            h.sensor.i2cAddress = int(*v);
        if (const auto v
            = f.wholeNumber(*s, QStringLiteral("adc_channel"), sp, false, NumberRange {0, 3, {}}))
            h.sensor.adcChannel = int(*v);
        if (const auto v = f.number(
                *s, QStringLiteral("beta_k"), sp, false, NumberRange {1000, 10000, QStringLiteral("K")}))
            h.sensor.ntcBetaKelvin = *v;
        if (const auto v
            = f.number(*s, QStringLiteral("r25_ohm"), sp, false, NumberRange {10, 1e7, QStringLiteral("Ω")}))
            h.sensor.ntcR25Ohm = *v;
        if (const auto v = f.number(
                *s, QStringLiteral("series_ohm"), sp, false, NumberRange {10, 1e7, QStringLiteral("Ω")}))
            h.sensor.seriesOhm = *v;
        if (const auto v = f.boolean(*s, QStringLiteral("ntc_to_ground"), sp, false))
            h.sensor.ntcToGround = *v;
        f.warnUnknownKeys(*s, sp,
            {QStringLiteral("kind"), QStringLiteral("w1_device"), QStringLiteral("i2c_device"),
                QStringLiteral("i2c_address"), QStringLiteral("adc_channel"), QStringLiteral("beta_k"),
                QStringLiteral("r25_ohm"), QStringLiteral("series_ohm"), QStringLiteral("ntc_to_ground")});
    } else {
        ok = false;
    }
    if (h.kind != h.sensor.kind && (h.kind == QLatin1String("sim") || h.sensor.kind == QLatin1String("sim"))
        && ok) {
        f.sink().error(jsonPathKey(sp, QStringLiteral("kind")),
            QStringLiteral("a simulated heater needs a simulated sensor and a real heater a real one"));
        ok = false;
    }
    if (const auto sim = f.object(o, QStringLiteral("sim"), path, false)) {
        const QString simPath = jsonPathKey(path, QStringLiteral("sim"));
        if (h.kind != QLatin1String("sim"))
            f.sink().warning(simPath, QStringLiteral("ignored: the heater is not simulated"));
        if (const auto v = f.number(*sim, QStringLiteral("ambient_c"), simPath, false,
                NumberRange {-20, 50, QStringLiteral("°C")}))
            h.simAmbientKelvin = *v + 273.15;
        if (const auto v = f.number(*sim, QStringLiteral("max_power_w"), simPath, false,
                NumberRange {0.1, 1000, QStringLiteral("W")}))
            h.simMaxPowerW = *v;
        if (const auto v = f.number(*sim, QStringLiteral("heat_capacity_j_per_k"), simPath, false,
                NumberRange {0.1, 1e5, QStringLiteral("J/K")}))
            h.simHeatCapacityJPerK = *v;
        if (const auto v = f.number(*sim, QStringLiteral("loss_w_per_k"), simPath, false,
                NumberRange {0, 100, QStringLiteral("W/K")}))
            h.simLossWPerK = *v;
        if (const auto v = f.wholeNumber(
                *sim, QStringLiteral("sensor_lag_ms"), simPath, false, NumberRange {0, 600000, kMs}))
            h.simSensorLag = std::chrono::milliseconds(qint64(*v));
        if (const auto v = f.number(*sim, QStringLiteral("sensor_noise_k"), simPath, false,
                NumberRange {0, 5, QStringLiteral("K")}))
            h.simSensorNoiseKelvin = *v;
        // A test rig may run the plant faster than real time; the reference rig heats at a real rig's rate.
        if (const auto v
            = f.number(*sim, QStringLiteral("speedup"), simPath, false, NumberRange {1, 10000, {}}))
            h.simSpeedup = *v;
        f.warnUnknownKeys(*sim, simPath,
            {QStringLiteral("ambient_c"), QStringLiteral("max_power_w"),
                QStringLiteral("heat_capacity_j_per_k"), QStringLiteral("loss_w_per_k"),
                QStringLiteral("sensor_lag_ms"), QStringLiteral("sensor_noise_k"),
                QStringLiteral("speedup")});
    }
    f.warnUnknownKeys(o, path,
        {QStringLiteral("kind"), QStringLiteral("line"), QStringLiteral("max_per_mille"),
            QStringLiteral("p_per_mille_per_k"), QStringLiteral("i_per_mille_per_k_s"),
            QStringLiteral("bias_per_mille"), QStringLiteral("control_period_ms"),
            QStringLiteral("reached_within_k"), QStringLiteral("hold_s"), QStringLiteral("reach_timeout_s"),
            QStringLiteral("max_c"), QStringLiteral("sensor_failures_allowed"),
            QStringLiteral("heating_k_per_min"), QStringLiteral("sensor"), QStringLiteral("sim")});
    if (!ok)
        return std::nullopt;
    return h;
}

QJsonObject toJson(const FilterWheelDescription &w)
{
    QJsonArray positions;
    for (const QString &name : w.order)
        positions.append(
            QJsonObject {{QStringLiteral("filter"), name}, {QStringLiteral("at"), w.positions.value(name)}});
    QJsonObject o {{QStringLiteral("kind"), w.kind}, {QStringLiteral("positions"), positions}};
    if (w.kind == QLatin1String("servo")) {
        o.insert(QStringLiteral("line"), w.servoBcm);
        o.insert(QStringLiteral("settle_ms"), qint64(w.servoSettle.count()));
    } else if (w.kind == QLatin1String("stepper")) {
        o.insert(QStringLiteral("stepper"), stepperJson(w.stepper));
    } else {
        o.insert(QStringLiteral("move_ms"), qint64(w.simMoveTime.count()));
    }
    return o;
}

QJsonObject toJson(const FocusDescription &d)
{
    QJsonObject per;
    for (auto it = d.perFilter.begin(); it != d.perFilter.end(); ++it)
        per.insert(it.key(), it.value());
    QJsonObject o {{QStringLiteral("kind"), d.kind}, {QStringLiteral("per_filter"), per},
        {QStringLiteral("offset_steps"), d.offsetSteps}, {QStringLiteral("min_steps"), d.minSteps},
        {QStringLiteral("max_steps"), d.maxSteps}};
    if (d.kind == QLatin1String("stepper"))
        o.insert(QStringLiteral("stepper"), stepperJson(d.stepper));
    else
        o.insert(QStringLiteral("step_us"), qint64(d.stepper.stepTime.count()));
    return o;
}

QJsonObject toJson(const HeaterDescription &h)
{
    QJsonObject sensor {{QStringLiteral("kind"), h.sensor.kind}};
    if (h.sensor.kind == QLatin1String("ds18b20") && !h.sensor.w1Device.isEmpty())
        sensor.insert(QStringLiteral("w1_device"), h.sensor.w1Device);
    if (h.sensor.kind == QLatin1String("ntc-ads1115")) {
        sensor.insert(QStringLiteral("i2c_device"), h.sensor.i2cDevice);
        sensor.insert(QStringLiteral("i2c_address"), h.sensor.i2cAddress);
        sensor.insert(QStringLiteral("adc_channel"), h.sensor.adcChannel);
        sensor.insert(QStringLiteral("beta_k"), h.sensor.ntcBetaKelvin);
        sensor.insert(QStringLiteral("r25_ohm"), h.sensor.ntcR25Ohm);
        sensor.insert(QStringLiteral("series_ohm"), h.sensor.seriesOhm);
        sensor.insert(QStringLiteral("ntc_to_ground"), h.sensor.ntcToGround);
    }
    QJsonObject o {{QStringLiteral("kind"), h.kind}, {QStringLiteral("max_per_mille"), h.maxPerMille},
        {QStringLiteral("p_per_mille_per_k"), h.pPerMillePerKelvin},
        {QStringLiteral("i_per_mille_per_k_s"), h.iPerMillePerKelvinSecond},
        {QStringLiteral("bias_per_mille"), h.biasPerMille},
        {QStringLiteral("control_period_ms"), qint64(h.controlPeriod.count())},
        {QStringLiteral("reached_within_k"), h.reachedWithinKelvin},
        {QStringLiteral("hold_s"), qint64(h.holdTime.count())},
        {QStringLiteral("reach_timeout_s"), qint64(h.reachTimeout.count())},
        {QStringLiteral("max_c"), celsius(h.maxKelvin)},
        {QStringLiteral("sensor_failures_allowed"), h.sensorFailuresAllowed},
        {QStringLiteral("sensor"), sensor}};
    if (h.kind == QLatin1String("pwm"))
        o.insert(QStringLiteral("line"), h.bcm);
    if (h.heatingKelvinPerMinute)
        o.insert(QStringLiteral("heating_k_per_min"), *h.heatingKelvinPerMinute);
    if (h.kind == QLatin1String("sim"))
        o.insert(QStringLiteral("sim"),
            QJsonObject {{QStringLiteral("ambient_c"), celsius(h.simAmbientKelvin)},
                {QStringLiteral("max_power_w"), h.simMaxPowerW},
                {QStringLiteral("heat_capacity_j_per_k"), h.simHeatCapacityJPerK},
                {QStringLiteral("loss_w_per_k"), h.simLossWPerK},
                {QStringLiteral("sensor_lag_ms"), qint64(h.simSensorLag.count())},
                {QStringLiteral("sensor_noise_k"), h.simSensorNoiseKelvin},
                {QStringLiteral("speedup"), h.simSpeedup}});
    return o;
}

}  // namespace scopesync::core::instrument
