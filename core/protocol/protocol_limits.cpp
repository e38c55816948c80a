// ProtocolLimits: the sane ranges of protocol values, and the checks the reader and validator share.
#include "core/protocol/protocol_limits.h"

#include <cmath>

namespace scopesync::core::protocol {

namespace {

bool checkDuration(double ms, double maxMs, const QString &what, const QString &path, DiagnosticSink &sink)
{
    if (ms > 0 && ms <= maxMs)
        return true;
    if (ms > maxMs)
        sink.error(path,
            QStringLiteral("the %1 lasts %2, longer than the limit of %3; check the unit (duration_ms is in "
                           "milliseconds) and use at most %4 ms")
                .arg(what, ProtocolLimits::formatMs(ms), ProtocolLimits::formatMs(maxMs))
                .arg(maxMs, 0, 'f', 0));
    else
        sink.error(path,
            QStringLiteral("the %1 lasts %2; it must last more than 0 ms (at most %3)")
                .arg(what, ProtocolLimits::formatMs(ms), ProtocolLimits::formatMs(maxMs)));
    return false;
}

}  // namespace

bool ProtocolLimits::checkFlashMs(double ms, const QString &path, DiagnosticSink &sink)
{
    return checkDuration(ms, kMaxFlashMs, QStringLiteral("flash"), path, sink);
}

bool ProtocolLimits::checkWaitMs(double ms, const QString &path, DiagnosticSink &sink)
{
    return checkDuration(ms, kMaxWaitMs, QStringLiteral("wait"), path, sink);
}

bool ProtocolLimits::checkIlluminateMs(double ms, const QString &path, DiagnosticSink &sink)
{
    return checkDuration(ms, kMaxIlluminateMs, QStringLiteral("illumination"), path, sink);
}

bool ProtocolLimits::checkCapturePeriodMs(double ms, const QString &path, DiagnosticSink &sink)
{
    if (ms > 0 && ms <= kMaxIlluminateMs)
        return true;
    sink.error(path,
        QStringLiteral("the capture period is %1; it must be more than 0 ms and at most %2 (leave "
                       "capture_period_ms out to capture nothing while the light is on)")
            .arg(formatMs(ms), formatMs(kMaxIlluminateMs)));
    return false;
}

bool ProtocolLimits::checkIterations(double iterations, const QString &path, DiagnosticSink &sink)
{
    if (iterations >= 1 && iterations <= kMaxIterations)
        return true;
    sink.error(path,
        QStringLiteral("iterations is %1; a group must repeat a whole number of times from 1 to %2")
            .arg(QString::number(iterations, 'g', 12))
            .arg(kMaxIterations));
    return false;
}

bool ProtocolLimits::checkIntensity(double perMille, const QString &path, DiagnosticSink &sink)
{
    if (perMille >= 0 && perMille <= kMaxIntensityPerMille)
        return true;
    sink.error(path,
        QStringLiteral("intensity_per_mille is %1; use a whole number from 0 (off) to 1000 (full power)")
            .arg(QString::number(perMille, 'g', 12)));
    return false;
}

bool ProtocolLimits::checkKelvin(double kelvin, const QString &path, DiagnosticSink &sink)
{
    if (kelvin >= kMinKelvin && kelvin <= kMaxKelvin)
        return true;
    QString hint;
    // A set point written in degrees Celsius is the likely mistake (the 454 instrument's files have one).
    if (kelvin >= 0 && kelvin <= 100)
        hint = QStringLiteral("; if you meant %1 °C, write %2").arg(kelvin).arg(kelvin + 273.15);
    sink.error(path,
        QStringLiteral("the temperature is %1 K, outside %2–%3 K%4")
            .arg(QString::number(kelvin, 'g', 12))
            .arg(kMinKelvin)
            .arg(kMaxKelvin)
            .arg(hint));
    return false;
}

QString ProtocolLimits::formatMs(double ms)
{
    const double absMs = std::abs(ms);
    if (absMs >= 2 * 3'600'000.0 && absMs < 1e15)
        return QString::number(ms / 3'600'000.0, 'g', 4) + QStringLiteral(" h");
    if (absMs >= 120'000.0 && absMs < 1e15)
        return QString::number(ms / 60'000.0, 'g', 4) + QStringLiteral(" min");
    return QString::number(ms, 'g', 10) + QStringLiteral(" ms");
}

}  // namespace scopesync::core::protocol
