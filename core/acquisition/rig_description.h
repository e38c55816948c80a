// The rig description: which camera, trigger wiring, LED lines, flash delay and safety limits a rig has.
#pragma once

#include "core/common/diagnostics.h"
#include "core/instrument/instrument_description.h"
#include "core/timing/sensor_catalog.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QString>

#include <chrono>
#include <optional>

namespace scopesync::core::acquisition {

// The trigger wiring, named from the Pi's side of the XVS wire.
enum class TriggerMode {
    XvsSink,  // the camera drives XVS (driver trigger_mode=1); the Pi catches each edge on a GPIO interrupt
    XvsSource,  // the Pi drives XVS (trigger_mode=2); the camera starts a frame on each pulse
    External,  // the Pi drives the Global Shutter camera's XTR pin; low pulse width = exposure − 14.26 µs
    FreeRun,  // no trigger wire: LED timing predicted from frame timestamps, lower precision
};

QString triggerModeName(TriggerMode mode);
std::optional<TriggerMode> triggerModeFromName(const QString &name);

// Raspberry Pi software camera synchronisation (libcamera's rpi::SyncMode, in Raspberry Pi's libcamera
// from v0.4.0+rpt): one camera is the server, the others clients that shift their frames onto its timing
// over the network. The cameras free-run; there is no trigger wire between rigs.
enum class CameraSync { Off, Server, Client };
QString cameraSyncName(CameraSync sync);
std::optional<CameraSync> cameraSyncFromName(const QString &name);

struct LedLine {
    int bcm = -1;
    QList<int> gangedBcm;  // further lines switched together with `bcm` (one colour on several pins)
    std::chrono::milliseconds maxOn {0};  // 0: the rig's led_max_on_ms
};

// Faults and physics of the simulated rig (hal/sim).
struct SimParameters {
    std::chrono::microseconds xvsOffset {0};  // row 0's exposure starts this long after the XVS edge
    int pulsesPerFrame = 1;  // 2: a pulse at exposure start and one at exposure stop
    bool vflip = true;
    bool hflip = false;
    double missedPulseRate = 0.0;
    double glitchRate = 0.0;  // spurious edges per frame
    quint64 seed = 1;
};

// Where a rig's images come from. "libcamera": the Raspberry Pi camera of the rig's `sensor` (the default).
// "qt": any camera Qt Multimedia opens (USB and other V4L2 cameras), named by `device`; it free-runs, and
// the rig file describes its timing, as the sensor catalog does not know it.
struct CameraSource {
    QString backend = QStringLiteral("libcamera");
    QString device;  // qt: the camera's name as `scopesync doctor` lists it, or Qt's id
    double fps = 0;  // qt: the frame rate the camera runs its mode at
    // qt: from the first row's exposure start to the last row's; unset: not known (taken as a frame period)
    std::optional<std::chrono::microseconds> readout;

    [[nodiscard]] bool isQt() const { return backend == QLatin1String("qt"); }
};

struct RigDescription {
    QString name;
    QString backend = QStringLiteral("sim");  // "sim" | "pi" (the Pi's GPIO lines, whatever the camera)
    CameraSource camera;
    QString sensor = QStringLiteral("imx477");  // "qt:<device>" for a Qt Multimedia camera
    int modeWidth = 4056;
    int modeHeight = 3040;
    TriggerMode trigger = TriggerMode::XvsSink;
    CameraSync cameraSync = CameraSync::Off;  // "camera_sync": only with a free-running camera
    QString gpioChip = QStringLiteral("gpiochip0");
    int xvsLine = 6;
    QMap<QString, LedLine> leds;  // name → line
    std::chrono::microseconds delay {93'000};
    // When every row is exposing, from the trigger edge, as the rig's calibration measured it (its window
    // of flash starts, plus its flash length); set from a calibration profile that matches the run's
    // settings, never read from the rig file. Unset: the sensor model's, with row 0 starting at the edge.
    struct Span {
        std::chrono::microseconds start {0};
        std::chrono::microseconds end {0};
    };
    std::optional<Span> allRowsExposing;
    std::chrono::milliseconds ledMaxOn {1000};
    std::chrono::milliseconds illuminationMaxOn {600'000};
    SimParameters sim;
    // The devices beyond camera and LEDs; absent when the rig file does not describe them.
    std::optional<instrument::FilterWheelDescription> filterWheel;
    std::optional<instrument::FocusDescription> focus;
    std::optional<instrument::HeaterDescription> heater;  // with its thermometer
    // A Qt Multimedia camera's timing, made from `camera` (timing::describedCamera); sensorInfo() returns
    // it instead of a catalog entry.
    std::optional<timing::SensorInfo> describedSensor;

    // The reference rig of DOMAIN.md §3 on the simulated backend: IMX477 4056×3040, XVS into BCM 6,
    // LEDs red 16, orange 17, green 20, blue 21 and UV 18, vflip.
    static RigDescription referenceSim();

    [[nodiscard]] const timing::SensorInfo *sensorInfo() const;
    [[nodiscard]] const timing::SensorMode *sensorMode() const;
    [[nodiscard]] QStringList ledNames() const { return leds.keys(); }
    [[nodiscard]] std::chrono::milliseconds maxOnFor(const QString &led) const;
    [[nodiscard]] QJsonObject toJson() const;
};

struct RigReadResult {
    std::optional<RigDescription> rig;  // set when there are no errors
    Diagnostics diagnostics;
};

class RigReader {
public:
    // The largest rig file read: a device or an endless stream named by mistake must not hang the reader.
    static constexpr qint64 kMaxFileBytes = 1 << 20;

    static RigReadResult readFile(const QString &path);
    static RigReadResult readBytes(const QByteArray &bytes);
};

}  // namespace scopesync::core::acquisition
