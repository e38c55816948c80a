// The sensor catalog: modes, line times and trigger capabilities of the supported camera sensors.
#pragma once

#include <QList>
#include <QString>

#include <chrono>
#include <optional>

namespace scopesync::core::timing {

enum class ShutterType { Rolling, Global };

// What a sensor can do with its frame-sync pins.
struct TriggerCapabilities {
    bool xvsSource = false;  // drives XVS (driver trigger_mode=1): software catches the pulse
    bool xvsSink = false;  // waits for XVS (trigger_mode=2): software starts each frame
    bool externalSnapshot = false;  // any-time trigger pin (IMX296 XTR): exposure = low pulse width + offset
    bool continuousOnly = false;  // frame-sync input only corrects drift of a free-running stream
};

struct SensorMode {
    int width = 0;
    int height = 0;  // active rows read out
    std::chrono::duration<double, std::nano> lineTime {0};
    double maxFps = 0;
    QString source;  // where the line time comes from

    [[nodiscard]] QString name() const { return QString::number(width) + u'x' + QString::number(height); }
    // Time from the start of row 0's exposure to the start of the last row's: (H − 1)·L.
    [[nodiscard]] std::chrono::duration<double, std::micro> readout() const
    {
        return lineTime * (height - 1);
    }
};

struct SensorInfo {
    QString id;  // lower-case sensor name as the kernel calls it: "imx477"
    QString camera;  // product name: "Raspberry Pi HQ Camera"
    ShutterType shutter = ShutterType::Rolling;
    TriggerCapabilities triggers;
    // External-trigger exposure = low pulse width + this (IMX296: 14.26 µs).
    std::chrono::duration<double, std::micro> externalTriggerExposureOffset {0};
    QList<SensorMode> modes;

    [[nodiscard]] const SensorMode *findMode(int width, int height) const;
    [[nodiscard]] QStringList modeNames() const;
};

class SensorCatalog {
public:
    static const QList<SensorInfo> &sensors();
    static const SensorInfo *find(const QString &id);  // case-insensitive
    static QStringList ids();
};

// A free-running camera the catalog does not know (a USB or other V4L2 camera opened through Qt
// Multimedia), described by its rig file: one mode at its frame rate, a rolling shutter, no trigger
// pins. `readout` is the time from the first row's exposure start to the last row's; unknown (nullopt),
// it is taken as the whole frame period, the worst a rolling shutter at that rate can do.
SensorInfo describedCamera(const QString &id, const QString &name, int width, int height, double fps,
    std::optional<std::chrono::microseconds> readout);

// Parses "4056x3040" (also "4056X3040", "4056:3040"); nullopt when malformed.
std::optional<std::pair<int, int>> parseModeName(const QString &text);

}  // namespace scopesync::core::timing
