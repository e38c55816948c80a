// ProtocolLimits: the sane ranges of protocol values, and the checks the reader and validator share.
#pragma once

#include "core/common/diagnostic_sink.h"

#include <QString>

#include <chrono>

namespace scopesync::core::protocol {

// Limits are generous for real runs (a 16-cycle sequencing run lasts hours and captures hundreds of
// frames) and exist to catch typos: a flash in seconds written as milliseconds, a temperature in °C.
class ProtocolLimits {
public:
    static constexpr int kMaxNestingDepth = 32;  // groups inside groups
    static constexpr qint64 kMaxFrames = 10'000'000;  // frames captured by the whole run
    static constexpr int kMaxIterations = 1'000'000;  // per group
    static constexpr int kMaxIntensityPerMille = 1000;
    static constexpr double kMaxFlashMs = 3'600'000.0;  // 1 h: an LED on longer overheats and bleaches
    static constexpr double kMaxIlluminateMs = 3'600'000.0;  // 1 h of continuous light
    static constexpr double kMaxWaitMs = 7.0 * 24 * 3'600'000.0;  // 7 days
    // Durations beyond this are reported by the reader and never converted (they would overflow).
    static constexpr double kMaxRepresentableMs = 1e12;
    static constexpr double kMinKelvin = 273.0;  // the slide's water freezes below
    static constexpr double kMaxKelvin = 373.0;  // and boils above

    // Each check reports one problem at `path` and returns false when the value is out of range.
    // `what` names the value in the message ("flash", "wait", "illumination", "capture period").
    static bool checkFlashMs(double ms, const QString &path, DiagnosticSink &sink);
    static bool checkWaitMs(double ms, const QString &path, DiagnosticSink &sink);
    static bool checkIlluminateMs(double ms, const QString &path, DiagnosticSink &sink);
    static bool checkCapturePeriodMs(double ms, const QString &path, DiagnosticSink &sink);
    static bool checkIterations(double iterations, const QString &path, DiagnosticSink &sink);
    static bool checkIntensity(double perMille, const QString &path, DiagnosticSink &sink);
    static bool checkKelvin(double kelvin, const QString &path, DiagnosticSink &sink);

    // "150 ms", "1.5 ms", "2 h": short, for messages.
    static QString formatMs(double ms);
};

}  // namespace scopesync::core::protocol
