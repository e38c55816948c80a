// CameraSettings: the fixed camera parameters a run uses, with rpicam-apps' names and defaults.
#include "core/camera/camera_settings.h"

#include <QJsonValue>

#include <array>
#include <utility>

namespace scopesync::core::camera {

namespace {

template <typename E> struct Word {
    const char *text;
    E value;
};

// Canonical words first: toString() returns the first match, so a written file uses them.
constexpr std::array<Word<AwbMode>, 9> kAwbWords {{
    {"auto", AwbMode::Auto},
    {"incandescent", AwbMode::Incandescent},
    {"tungsten", AwbMode::Tungsten},
    {"fluorescent", AwbMode::Fluorescent},
    {"indoor", AwbMode::Indoor},
    {"daylight", AwbMode::Daylight},
    {"cloudy", AwbMode::Cloudy},
    {"custom", AwbMode::Custom},
    {"normal", AwbMode::Auto},
}};

constexpr std::array<Word<Denoise>, 5> kDenoiseWords {{
    {"auto", Denoise::Auto},
    {"off", Denoise::Off},
    {"cdn_off", Denoise::CdnOff},
    {"cdn_fast", Denoise::CdnFast},
    {"cdn_hq", Denoise::CdnHq},
}};

constexpr std::array<Word<ExposureMode>, 5> kExposureWords {{
    {"normal", ExposureMode::Normal},
    {"short", ExposureMode::Short},
    {"long", ExposureMode::Long},
    {"custom", ExposureMode::Custom},
    {"sport", ExposureMode::Short},
}};

constexpr std::array<Word<MeteringMode>, 5> kMeteringWords {{
    {"centre", MeteringMode::Centre},
    {"spot", MeteringMode::Spot},
    {"matrix", MeteringMode::Matrix},
    {"custom", MeteringMode::Custom},
    {"average", MeteringMode::Matrix},
}};

template <typename E, std::size_t N> QString wordFor(const std::array<Word<E>, N> &words, E value)
{
    for (const auto &w : words)
        if (w.value == value)
            return QString::fromLatin1(w.text);
    Q_ASSERT(false);
    return {};
}

template <typename E, std::size_t N>
std::optional<E> valueFor(const std::array<Word<E>, N> &words, const QString &text)
{
    for (const auto &w : words)
        if (text == QLatin1String(w.text))
            return w.value;
    return std::nullopt;
}

template <typename E, std::size_t N> QStringList allWords(const std::array<Word<E>, N> &words)
{
    QStringList out;
    for (const auto &w : words)
        out.append(QString::fromLatin1(w.text));
    return out;
}

}  // namespace

QString toString(AwbMode mode)
{
    return wordFor(kAwbWords, mode);
}
QString toString(Denoise mode)
{
    return wordFor(kDenoiseWords, mode);
}
QString toString(ExposureMode mode)
{
    return wordFor(kExposureWords, mode);
}
QString toString(MeteringMode mode)
{
    return wordFor(kMeteringWords, mode);
}

std::optional<AwbMode> awbModeFromString(const QString &text)
{
    return valueFor(kAwbWords, text);
}
std::optional<Denoise> denoiseFromString(const QString &text)
{
    return valueFor(kDenoiseWords, text);
}
std::optional<ExposureMode> exposureModeFromString(const QString &text)
{
    return valueFor(kExposureWords, text);
}
std::optional<MeteringMode> meteringModeFromString(const QString &text)
{
    return valueFor(kMeteringWords, text);
}

QStringList awbModeNames()
{
    return allWords(kAwbWords);
}
QStringList denoiseNames()
{
    return allWords(kDenoiseWords);
}
QStringList exposureModeNames()
{
    return allWords(kExposureWords);
}
QStringList meteringModeNames()
{
    return allWords(kMeteringWords);
}

CameraSettings CameraSettings::referenceRig()
{
    // DOMAIN.md §5. The rig's file says awbgains=0,0, which rpicam-apps treats as "no explicit
    // gains", so white balance is not actually fixed: isFixed() reports it.
    CameraSettings s;
    s.shutter = std::chrono::microseconds(250'000);
    s.analogueGain = 8.0;
    s.awbMode = AwbMode::Custom;
    s.awbGains.reset();
    s.denoise = Denoise::Off;
    s.brightness = 0.0;
    s.contrast = 0.0;
    s.saturation = 1.0;
    s.sharpness = 1.0;
    s.ev = 0.0;
    s.exposureMode = ExposureMode::Normal;
    s.vflip = true;
    s.hflip = false;
    return s;
}

QJsonObject CameraSettings::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("shutter_us"),
        shutter ? QJsonValue(static_cast<qint64>(shutter->count())) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("analogue_gain"), analogueGain ? QJsonValue(*analogueGain) : QJsonValue());
    o.insert(QStringLiteral("awb_mode"), toString(awbMode));
    o.insert(QStringLiteral("awb_gains"),
        awbGains ? QJsonValue(
            QJsonObject {{QStringLiteral("red"), awbGains->red}, {QStringLiteral("blue"), awbGains->blue}})
                 : QJsonValue());
    o.insert(QStringLiteral("denoise"), toString(denoise));
    o.insert(QStringLiteral("brightness"), brightness);
    o.insert(QStringLiteral("contrast"), contrast);
    o.insert(QStringLiteral("saturation"), saturation);
    o.insert(QStringLiteral("sharpness"), sharpness);
    o.insert(QStringLiteral("ev"), ev);
    o.insert(QStringLiteral("exposure_mode"), toString(exposureMode));
    o.insert(QStringLiteral("metering"), toString(metering));
    o.insert(QStringLiteral("hflip"), hflip);
    o.insert(QStringLiteral("vflip"), vflip);
    o.insert(QStringLiteral("rotation_deg"), rotationDeg);
    o.insert(QStringLiteral("roi"),
        roi ? QJsonValue(QJsonObject {{QStringLiteral("x"), roi->x}, {QStringLiteral("y"), roi->y},
            {QStringLiteral("width"), roi->width}, {QStringLiteral("height"), roi->height}})
            : QJsonValue());
    o.insert(QStringLiteral("sensor_mode"),
        sensorMode ? QJsonValue(QJsonObject {{QStringLiteral("width"), sensorMode->width},
            {QStringLiteral("height"), sensorMode->height},
            {QStringLiteral("bit_depth"), sensorMode->bitDepth},
            {QStringLiteral("packed"), sensorMode->packed}})
                   : QJsonValue());
    o.insert(QStringLiteral("framerate_fps"), framerateFps ? QJsonValue(*framerateFps) : QJsonValue());
    o.insert(QStringLiteral("width"), width);
    o.insert(QStringLiteral("height"), height);
    o.insert(QStringLiteral("tuning_file"), tuningFile.isEmpty() ? QJsonValue() : QJsonValue(tuningFile));
    o.insert(QStringLiteral("buffer_count"), bufferCount);
    o.insert(QStringLiteral("fixed"), isFixed());
    return o;
}

QList<CameraSettings::FixedIssue> CameraSettings::fixedIssues() const
{
    QList<FixedIssue> out;
    if (!shutter)
        out.append({QStringLiteral("shutter"),
            QStringLiteral("no shutter set, so auto-exposure stays on; add a fixed exposure such as "
                           "'shutter=250000' (µs) or 'shutter=250ms'")});
    if (!analogueGain)
        out.append({QStringLiteral("gain"),
            QStringLiteral("no gain set, so the analogue gain stays automatic; add a fixed gain such as "
                           "'gain=8.0'")});
    if (!awbGains) {
        // rpicam-apps fixes the colour gains only when both awbgains are non-zero; any awb mode,
        // "custom" included, otherwise leaves the AWB algorithm adjusting them frame by frame.
        out.append({QStringLiteral("awbgains"),
            QStringLiteral("awb=%1 without non-zero awbgains leaves auto white balance running; add fixed "
                           "gains such as 'awbgains=1.5,1.2' (red,blue)")
                .arg(toString(awbMode))});
    }
    return out;
}

bool CameraSettings::isFixed(QStringList *why) const
{
    const auto issues = fixedIssues();
    if (why) {
        why->clear();
        for (const auto &issue : issues)
            why->append(issue.message);
    }
    return issues.isEmpty();
}

}  // namespace scopesync::core::camera
