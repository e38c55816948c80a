// ManifestEntry: one line of a run's manifest.jsonl, describing one complete, fsynced image file.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace scopesync::core::storage {

struct ManifestEntry {
    QString file;  // relative to the run folder
    qint64 frameIndex = 0;
    QString label;
    QString led;
    qint64 monotonicNs = 0;  // CLOCK_MONOTONIC of the frame
    QString wallTime;  // ISO 8601, UTC
    qint64 bytes = 0;  // file size
    quint32 crc32 = 0;  // CRC-32 (zlib's) of the whole file
    int width = 0;
    int height = 0;
    // The instrument's state at exposure; absent in manifests of rigs without the device (and older ones).
    QString filter;  // the filter the protocol asked for
    QString filterInPlace;  // the filter the wheel reported in the light path
    std::optional<int> focusSteps;
    std::optional<double> temperatureKelvin;
    std::optional<double> setPointKelvin;
    // The measured light differs from the plan: the image is flagged, never passed off as good.
    QStringList doseProblems;
    // 0: the first take of the frame; n: its n-th retake (an earlier take's dose was wrong).
    int retake = 0;

    [[nodiscard]] QJsonObject toJson() const;
    // nullopt when a required key is missing or has the wrong type.
    static std::optional<ManifestEntry> fromJson(const QJsonObject &o);
    // "1a2b3c4d": eight lower-case hex digits, as `crc32` tools print it.
    [[nodiscard]] QString crc32Hex() const;

    friend bool operator==(const ManifestEntry &, const ManifestEntry &) = default;
};

}  // namespace scopesync::core::storage
