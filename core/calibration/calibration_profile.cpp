// CalibrationProfile: a rig's calibrated flash delay, saved per rig, used by runs and compared with their
// settings.
#include "core/calibration/calibration_profile.h"

#include "core/common/bounded_file_reader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>

namespace scopesync::core::calibration {

namespace {

double ms(Micros t)
{
    return t.count() / 1000.0;
}

QString msText(Micros t)
{
    return QString::number(ms(t), 'f', 3);
}

}  // namespace

CalibrationProfile CalibrationProfile::from(const CalibrationResult &result,
    const acquisition::RigDescription &rig, Micros shutter, Micros flash, const QString &led)
{
    CalibrationProfile p;
    p.sensor = rig.sensor;
    p.modeWidth = rig.modeWidth;
    p.modeHeight = rig.modeHeight;
    p.trigger = acquisition::triggerModeName(rig.trigger);
    p.shutter = shutter;
    p.flash = flash;
    p.led = led;
    p.date = QDateTime::currentDateTimeUtc();
    p.windowStart = result.windowStart;
    p.windowEnd = result.windowEnd;
    p.recommended = result.recommended;
    p.method = result.method;
    p.framesUsed = result.framesUsed;
    return p;
}

QJsonObject CalibrationProfile::toJson() const
{
    return QJsonObject {
        {QStringLiteral("format"), QStringLiteral("scopesync-calibration")},
        {QStringLiteral("version"), 1},
        {QStringLiteral("sensor"), sensor},
        {QStringLiteral("mode"), QStringLiteral("%1x%2").arg(modeWidth).arg(modeHeight)},
        {QStringLiteral("trigger"), trigger},
        {QStringLiteral("shutter_us"), shutter.count()},
        {QStringLiteral("flash_ms"), ms(flash)},
        {QStringLiteral("led"), led},
        {QStringLiteral("date"), date.toString(Qt::ISODate)},
        {QStringLiteral("window_start_ms"), ms(windowStart)},
        {QStringLiteral("window_end_ms"), ms(windowEnd)},
        {QStringLiteral("recommended_ms"), ms(recommended)},
        {QStringLiteral("method"), method},
        {QStringLiteral("frames_used"), framesUsed},
    };
}

Result<CalibrationProfile> CalibrationProfile::fromJson(const QJsonObject &o)
{
    CalibrationProfile p;
    const auto need = [&](const QString &key, QJsonValue::Type type) -> std::optional<Error> {
        if (o.value(key).type() != type)
            return Error {QStringLiteral("missing or of the wrong type; run 'scopesync calibrate --save' "
                                         "again"),
                QStringLiteral("$.") + key};
        return std::nullopt;
    };
    for (const auto &k : {QStringLiteral("sensor"), QStringLiteral("mode"), QStringLiteral("trigger")})
        if (auto e = need(k, QJsonValue::String))
            return *e;
    for (const auto &k :
        {QStringLiteral("shutter_us"), QStringLiteral("flash_ms"), QStringLiteral("window_start_ms"),
            QStringLiteral("window_end_ms"), QStringLiteral("recommended_ms")})
        if (auto e = need(k, QJsonValue::Double))
            return *e;
    p.sensor = o.value(QStringLiteral("sensor")).toString();
    const auto wh = timing::parseModeName(o.value(QStringLiteral("mode")).toString());
    if (!wh)
        return Error {QStringLiteral("not a mode; write it as WIDTHxHEIGHT"), QStringLiteral("$.mode")};
    p.modeWidth = wh->first;
    p.modeHeight = wh->second;
    p.trigger = o.value(QStringLiteral("trigger")).toString();
    p.shutter = Micros(o.value(QStringLiteral("shutter_us")).toDouble());
    p.flash = Micros(o.value(QStringLiteral("flash_ms")).toDouble() * 1000);
    p.led = o.value(QStringLiteral("led")).toString();
    p.date = QDateTime::fromString(o.value(QStringLiteral("date")).toString(), Qt::ISODate);
    p.windowStart = Micros(o.value(QStringLiteral("window_start_ms")).toDouble() * 1000);
    p.windowEnd = Micros(o.value(QStringLiteral("window_end_ms")).toDouble() * 1000);
    p.recommended = Micros(o.value(QStringLiteral("recommended_ms")).toDouble() * 1000);
    p.method = o.value(QStringLiteral("method")).toString();
    p.framesUsed = o.value(QStringLiteral("frames_used")).toInt();
    if (p.recommended < Micros(0) || p.windowEnd < p.windowStart)
        return Error {QStringLiteral("the window is empty or the delay negative; run 'scopesync calibrate "
                                     "--save' again"),
            QStringLiteral("$.recommended_ms")};
    return p;
}

Result<CalibrationProfile> CalibrationProfile::load(const QString &path)
{
    auto bytes = BoundedFileReader::read(path, 1 << 20, QStringLiteral("calibration profile"));
    if (!bytes.ok())
        return bytes.error();
    QJsonParseError e {};
    const auto doc = QJsonDocument::fromJson(*bytes, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return Error {QStringLiteral("not a JSON object (%1); run 'scopesync calibrate --save' again")
                          .arg(e.errorString()),
            path};
    auto p = fromJson(doc.object());
    if (!p.ok())
        return Error {p.error().message, path + u':' + p.error().where};
    return p;
}

Status CalibrationProfile::save(const QString &path) const
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return Error {QStringLiteral("cannot create the folder %1").arg(info.absolutePath()), path};
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return Error {QStringLiteral("cannot write the calibration profile: %1").arg(f.errorString()), path};
    f.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    if (!f.commit())
        return Error {QStringLiteral("cannot write the calibration profile: %1").arg(f.errorString()), path};
    return Ok {};
}

QString CalibrationProfile::pathFor(const QString &rigArgument)
{
    if (rigArgument.isEmpty() || rigArgument == QLatin1String("sim")) {
        QString base = qEnvironmentVariable("XDG_CONFIG_HOME");
        if (base.isEmpty())
            base = QDir::homePath() + QStringLiteral("/.config");
        return base + QStringLiteral("/scopesync/calibration/sim.json");
    }
    const QFileInfo info(rigArgument);
    QString name = info.fileName();
    if (name.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        name.chop(5);
    return info.dir().filePath(name + QStringLiteral(".calibration.json"));
}

std::optional<acquisition::RigDescription::Span> allRowsExposing(const CalibrationProfile &profile,
    const acquisition::RigDescription &rig, const camera::CameraSettings &settings)
{
    if (profile.sensor != rig.sensor || profile.modeWidth != rig.modeWidth
        || profile.modeHeight != rig.modeHeight
        || profile.trigger != acquisition::triggerModeName(rig.trigger) || !settings.shutter)
        return std::nullopt;
    const Micros end = profile.windowEnd + profile.flash + (Micros(*settings.shutter) - profile.shutter);
    const auto us = [](Micros t) { return std::chrono::microseconds(std::llround(t.count())); };
    return acquisition::RigDescription::Span {us(profile.windowStart), us(end)};
}

Diagnostics compare(const CalibrationProfile &profile, const acquisition::RigDescription &rig,
    const camera::CameraSettings &settings, Micros flash)
{
    Diagnostics d;
    const QString where = QStringLiteral("calibration");
    if (profile.sensor != rig.sensor || profile.modeWidth != rig.modeWidth
        || profile.modeHeight != rig.modeHeight) {
        d.warning(where,
            QStringLiteral("calibrated on %1 %2x%3 but the rig is %4 %5x%6: the readout and so the window "
                           "differ; run 'scopesync calibrate --save' for this mode")
                .arg(profile.sensor)
                .arg(profile.modeWidth)
                .arg(profile.modeHeight)
                .arg(rig.sensor)
                .arg(rig.modeWidth)
                .arg(rig.modeHeight));
        return d;
    }
    if (profile.trigger != acquisition::triggerModeName(rig.trigger))
        d.warning(where,
            QStringLiteral(
                "calibrated with the %1 trigger but the rig uses %2: the trigger offset may differ; "
                "calibrate again")
                .arg(profile.trigger, acquisition::triggerModeName(rig.trigger)));
    const Micros shutter = settings.shutter ? Micros(*settings.shutter) : Micros(0);
    // The start is set by the readout and the offset; the end moves with the shutter and the flash.
    const Micros end = profile.windowEnd + (shutter - profile.shutter) - (flash - profile.flash);
    const bool changed = std::abs((shutter - profile.shutter).count()) > 0.5
        || std::abs((flash - profile.flash).count()) > 0.5;
    if (changed) {
        const bool fits = profile.recommended >= profile.windowStart && profile.recommended <= end;
        d.warning(where,
            QStringLiteral(
                "calibrated with shutter %1 ms and a %2 ms flash, now %3 ms and %4 ms: the valid "
                "window becomes %5–%6 ms, %7; run 'scopesync calibrate --save' with these settings")
                .arg(msText(profile.shutter), msText(profile.flash), msText(shutter), msText(flash),
                    msText(profile.windowStart), msText(end),
                    end < profile.windowStart ? QStringLiteral("which is empty: every image will be banded")
                        : fits                ? QStringLiteral("the calibrated delay %1 ms still fits")
                                     .arg(msText(profile.recommended))
                               : QStringLiteral("and the calibrated delay %1 ms falls outside it")
                                     .arg(msText(profile.recommended))));
    }
    return d;
}

}  // namespace scopesync::core::calibration
