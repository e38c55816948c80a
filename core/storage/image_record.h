// ImageRecord: everything known about one saved frame, written into its OME-XML and the run manifest.
#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace scopesync::core::storage {

// One LED pulse as the strobe thread measured it, relative to the frame's trigger edge.
struct LedEdge {
    QString led;
    qint64 onNs = 0;
    qint64 offNs = 0;
};

struct ImageRecord {
    QString channelName;  // the LED(s) lit for this image: "red", or "red+blue"
    QString label;  // the protocol's image label, often the wavelength: "645"
    QString filter;  // "no_filter", "red", …: the filter the protocol asked for
    QString filterInPlace;  // the filter the wheel reported in place at exposure; empty: no wheel
    std::optional<int> focusSteps;  // the focus drive's position at exposure
    std::optional<double> temperatureKelvin;  // the heater's sensor at exposure
    std::optional<double> setPointKelvin;  // the heater's set point at exposure (none: heater off)
    double exposureUs = 0;
    double analogueGain = 1;
    QString sensorId;  // "imx477"
    QString sensorMode;  // "4056x3040"
    double flashDelayUs = 0;  // trigger edge → LED on, as planned
    QMap<QString, int> intensityPerMille;  // LED → 0..1000
    qint64 frameIndex = 0;  // position in the run, from 0; also the file name's prefix
    QString planStepPath;  // JSON path of the protocol step, "$.events[2].images[0]"
    QList<int> iterationIndices;  // one per enclosing Group/ReactionCycle, outermost first
    qint64 frameTimestampNs = 0;  // CLOCK_MONOTONIC of the frame (exposure start)
    qint64 runStartNs = -1;  // CLOCK_MONOTONIC of the run's first frame, for OME DeltaT; −1 = unknown
    QDateTime wallClock;  // CLOCK_REALTIME of the frame
    QList<LedEdge> ledEdges;  // measured, not planned
    // Where the measured light differs from the plan (a late or cut flash): the image is kept, flagged.
    QStringList doseProblems;
    int retake
        = 0;  // 0: the first take of frameIndex; n: its n-th retake (the earlier take's dose was wrong)
    int missedPulses = 0;
    int rejectedPulses = 0;
    QList<std::pair<QString, QString>> extra;  // free-form, kept in order
};

}  // namespace scopesync::core::storage
