// CameraSettings: the fixed camera parameters a run uses, with rpicam-apps' names and defaults.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace scopesync::core::camera {

// The enumerations mirror rpicam-apps' accepted words. Aliases there (awb "normal" = "auto",
// exposure "sport" = "short", metering "average" = "matrix") map to one value here, so a
// written file always uses the canonical word.
enum class AwbMode { Auto, Incandescent, Tungsten, Fluorescent, Indoor, Daylight, Cloudy, Custom };
enum class Denoise { Auto, Off, CdnOff, CdnFast, CdnHq };
enum class ExposureMode { Normal, Short, Long, Custom };
enum class MeteringMode { Centre, Spot, Matrix, Custom };

QString toString(AwbMode mode);
QString toString(Denoise mode);
QString toString(ExposureMode mode);
QString toString(MeteringMode mode);

// Parse rpicam-apps' word (aliases included, case-sensitive as rpicam-apps is); nullopt if unknown.
std::optional<AwbMode> awbModeFromString(const QString &text);
std::optional<Denoise> denoiseFromString(const QString &text);
std::optional<ExposureMode> exposureModeFromString(const QString &text);
std::optional<MeteringMode> meteringModeFromString(const QString &text);

// The words accepted, canonical first, for error messages ("one of auto, off, …").
QStringList awbModeNames();
QStringList denoiseNames();
QStringList exposureModeNames();
QStringList meteringModeNames();

// Explicit white-balance gains. rpicam-apps only fixes the colour gains when both are non-zero,
// so a set value here always has both > 0.
struct AwbGains {
    double red = 0;
    double blue = 0;
    friend bool operator==(const AwbGains &, const AwbGains &) = default;
};

// Digital zoom as fractions of the sensor's active area (rpicam-apps' `roi=x,y,w,h`).
struct Roi {
    double x = 0;
    double y = 0;
    double width = 1;
    double height = 1;
    friend bool operator==(const Roi &, const Roi &) = default;
};

// The sensor readout mode requested with `mode=W:H:bit-depth:P|U`.
struct SensorModeRequest {
    int width = 0;
    int height = 0;
    int bitDepth = 12;  // rpicam-apps' default when only W:H is given
    bool packed = true;
    friend bool operator==(const SensorModeRequest &, const SensorModeRequest &) = default;
};

struct CameraSettings {
    // Unset means the camera's automatic algorithm chooses (rpicam-apps' `shutter=0`, `gain=0`).
    std::optional<std::chrono::microseconds> shutter;
    std::optional<double> analogueGain;
    AwbMode awbMode = AwbMode::Auto;
    std::optional<AwbGains> awbGains;
    Denoise denoise = Denoise::Auto;
    double brightness = 0.0;  // -1 … 1
    double contrast = 1.0;  // 0 … 15.99, 1 = normal
    double saturation = 1.0;  // 0 … 15.99, 1 = normal
    double sharpness = 1.0;  // 0 … 15.99, 1 = normal
    double ev = 0.0;  // exposure compensation in stops, only acts while auto-exposure is on
    ExposureMode exposureMode = ExposureMode::Normal;
    MeteringMode metering = MeteringMode::Centre;
    bool hflip = false;
    bool vflip = false;
    int rotationDeg = 0;  // 0 or 180: rpicam-apps refuses transposing rotations
    std::optional<Roi> roi;  // unset: the full field of view
    std::optional<SensorModeRequest> sensorMode;  // unset: libcamera picks the mode
    std::optional<double> framerateFps;
    int width = 0;  // output size; 0 = the app's default
    int height = 0;
    QString tuningFile;  // empty = libcamera's default tuning for the sensor
    int bufferCount = 0;  // 0 = the app's default

    friend bool operator==(const CameraSettings &, const CameraSettings &) = default;

    // The 454 Bio instrument's settings (DOMAIN.md §5): IMX477, 250 ms, gain 8, vflip.
    static CameraSettings referenceRig();

    // Stable snake_case keys for run metadata and `--json`; unset values are null.
    [[nodiscard]] QJsonObject toJson() const;

    // True when no automatic algorithm can change pixel intensities between frames: shutter,
    // gain and both white-balance gains are fixed. Otherwise `why` (if given) receives one
    // sentence per problem saying what to add.
    [[nodiscard]] bool isFixed(QStringList *why = nullptr) const;

    // The same problems as isFixed(), each with the rpicam-apps key that would fix it, so a
    // config-file reader can point at the line to change.
    struct FixedIssue {
        QString key;  // "shutter", "gain" or "awbgains"
        QString message;
    };
    [[nodiscard]] QList<FixedIssue> fixedIssues() const;
};

}  // namespace scopesync::core::camera
