// The sensor catalog: modes, line times and trigger capabilities of the supported camera sensors.
#include "core/timing/sensor_catalog.h"

#include <QRegularExpression>

namespace scopesync::core::timing {

namespace {

using NsD = std::chrono::duration<double, std::nano>;

// Line time from the driver's line length (pixels, including blanking) and pixel rate.
constexpr NsD lineTime(double lineLengthPix, double pixelRateHz)
{
    return NsD(lineLengthPix / pixelRateHz * 1e9);
}

QList<SensorInfo> buildCatalog()
{
    QList<SensorInfo> out;

    // IMX477, Raspberry Pi HQ Camera. Raspberry Pi Linux drivers/media/i2c/imx477.c: IMX477_PIXEL_RATE
    // 840 MHz; line_length_pix 0x5dc0 (24000) for the 12 MP mode and 0x31c4 (12740) for the 2x2 binned
    // modes, 0x1a08 (6664) for the 1332x990 cropped mode (also quoted by Raspberry Pi engineers on the
    // forum thread "How fast the shutter speed the HQ camera can achieve?"). XVS: trigger_mode 1 = source,
    // 2 = sink (Raspberry Pi camera documentation, "Synchronous captures"). The reference rig measured
    // 28.567 µs/row by sweeping a strobe delay, which agrees with 24000 / 840 MHz = 28.571 µs.
    {
        SensorInfo s;
        s.id = QStringLiteral("imx477");
        s.camera = QStringLiteral("Raspberry Pi HQ Camera");
        s.shutter = ShutterType::Rolling;
        s.triggers = {.xvsSource = true, .xvsSink = true, .externalSnapshot = false, .continuousOnly = true};
        const QString src = QStringLiteral("imx477.c: line_length_pix / 840 MHz pixel rate");
        s.modes = {
            {4056, 3040, lineTime(24000, 840e6), 10, src},
            {2028, 1520, lineTime(12740, 840e6), 40, src},
            {2028, 1080, lineTime(12740, 840e6), 50, src},
            {1332, 990, lineTime(6664, 840e6), 120, src},
        };
        out.append(s);
    }

    // IMX708, Raspberry Pi Camera Module 3. Raspberry Pi Linux drivers/media/i2c/imx708.c: pixel rate
    // 595.2 MHz for the full and 2x2 binned modes; line lengths giving 26.29, 13.36 and 9.21 µs
    // (DOMAIN.md §3 table, derived from the driver's mode table). The Raspberry Pi camera documentation
    // describes hardware frame sync for the HQ and Global Shutter cameras only: free-run here.
    {
        SensorInfo s;
        s.id = QStringLiteral("imx708");
        s.camera = QStringLiteral("Raspberry Pi Camera Module 3");
        s.shutter = ShutterType::Rolling;
        s.triggers
            = {.xvsSource = false, .xvsSink = false, .externalSnapshot = false, .continuousOnly = true};
        const QString src = QStringLiteral("imx708.c: line_length_pix / 595.2 MHz pixel rate");
        s.modes = {
            {4608, 2592, NsD(26290), 14, src},
            {2304, 1296, NsD(13360), 56, src},
            {1536, 864, NsD(9210), 120, src},
        };
        out.append(s);
    }

    // IMX296, Raspberry Pi Global Shutter Camera. Raspberry Pi Linux drivers/media/i2c/imx296.c: 1100
    // pixel line at 74.25 MHz = 14.81 µs (readout only: every row exposes together). External trigger on
    // the XTR pad with trigger_mode=1: exposure = low pulse width + 14.26 µs, frame rate = pulse rate
    // (Raspberry Pi camera documentation, "External trigger on the GS camera").
    {
        SensorInfo s;
        s.id = QStringLiteral("imx296");
        s.camera = QStringLiteral("Raspberry Pi Global Shutter Camera");
        s.shutter = ShutterType::Global;
        s.triggers = {.xvsSource = true, .xvsSink = true, .externalSnapshot = true, .continuousOnly = false};
        s.externalTriggerExposureOffset = std::chrono::duration<double, std::micro>(14.26);
        s.modes
            = {{1456, 1088, lineTime(1100, 74.25e6), 60, QStringLiteral("imx296.c: 1100 px / 74.25 MHz")}};
        out.append(s);
    }

    // IMX378 (Luxonis OAK): Luxonis documentation lists rolling-shutter readout times of 16.54 ms
    // (1080p), 23.58 ms (4K) and 33.04 ms (12 MP); line time = readout / (rows − 1). FSYNC input is
    // accepted in continuous mode only (Luxonis "Frame synchronization" page).
    {
        SensorInfo s;
        s.id = QStringLiteral("imx378");
        s.camera = QStringLiteral("Luxonis OAK (IMX378)");
        s.shutter = ShutterType::Rolling;
        s.triggers = {.xvsSource = false, .xvsSink = true, .externalSnapshot = false, .continuousOnly = true};
        const QString src = QStringLiteral("Luxonis docs: documented readout / (rows - 1)");
        s.modes = {
            {1920, 1080, NsD(16.54e6 / 1079), 60, src},
            {3840, 2160, NsD(23.58e6 / 2159), 30, src},
            {4056, 3040, NsD(33.04e6 / 3039), 28, src},
        };
        out.append(s);
    }
    return out;
}

}  // namespace

const SensorMode *SensorInfo::findMode(int width, int height) const
{
    for (const auto &m : modes)
        if (m.width == width && m.height == height)
            return &m;
    return nullptr;
}

QStringList SensorInfo::modeNames() const
{
    QStringList out;
    for (const auto &m : modes)
        out.append(m.name());
    return out;
}

const QList<SensorInfo> &SensorCatalog::sensors()
{
    static const QList<SensorInfo> catalog = buildCatalog();
    return catalog;
}

const SensorInfo *SensorCatalog::find(const QString &id)
{
    for (const auto &s : sensors())
        if (s.id.compare(id.trimmed(), Qt::CaseInsensitive) == 0)
            return &s;
    return nullptr;
}

QStringList SensorCatalog::ids()
{
    QStringList out;
    for (const auto &s : sensors())
        out.append(s.id);
    return out;
}

SensorInfo describedCamera(const QString &id, const QString &name, int width, int height, double fps,
    std::optional<std::chrono::microseconds> readout)
{
    SensorInfo s;
    s.id = id;
    s.camera = name;
    s.shutter = ShutterType::Rolling;
    s.triggers = {.xvsSource = false, .xvsSink = false, .externalSnapshot = false, .continuousOnly = true};
    const NsD frame(fps > 0 ? 1e9 / fps : 0.0);
    const NsD span = readout ? NsD(*readout) : frame;
    const NsD line = height > 1 ? span / double(height - 1) : span;
    s.modes = {{width, height, line, fps,
        readout ? QStringLiteral("rig file: camera.readout_ms over the mode's rows")
                : QStringLiteral("no camera.readout_ms in the rig file: the whole frame period assumed")}};
    return s;
}

std::optional<std::pair<int, int>> parseModeName(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d{1,5})\\s*[xX:]\\s*(\\d{1,5})\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const int w = m.captured(1).toInt();
    const int h = m.captured(2).toInt();
    if (w <= 0 || h <= 0)
        return std::nullopt;
    return std::pair {w, h};
}

}  // namespace scopesync::core::timing
