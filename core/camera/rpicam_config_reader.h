// Reads and writes rpicam-apps `-c/--config` files (rpicam-still, rpicam-vid) as CameraSettings.
#pragma once

#include "core/camera/camera_settings.h"
#include "core/common/diagnostics.h"

#include <QByteArray>
#include <QString>

namespace scopesync::core::camera {

// A file larger than this is not a camera config; refusing it keeps a wrong path from eating memory.
inline constexpr qint64 kMaxRpicamConfigBytes = 1024 * 1024;

struct ConfigReadResult {
    CameraSettings settings;
    // Paths are "line N" (empty for whole-file problems). Errors mark lines rpicam-apps would
    // refuse or that ScopeSync cannot honour; their keys keep the value from `base`.
    Diagnostics diagnostics;
};

// Parses the text as rpicam-apps does (boost::program_options' config-file syntax: `key=value`,
// long option names without "--", '#' starts a comment anywhere, surrounding whitespace ignored),
// starting from `base` so a file only changes the keys it names. Never throws, whatever the bytes.
ConfigReadResult readRpicamConfig(const QByteArray &text, const CameraSettings &base = {});

// As readRpicamConfig, from a file. A missing, unreadable or oversized (> kMaxRpicamConfigBytes)
// file gives one error naming the file and the reason, and `base` unchanged.
ConfigReadResult readRpicamConfigFile(const QString &path, const CameraSettings &base = {});

// A config file rpicam-apps accepts (`rpicam-still -c FILE`) and readRpicamConfig reads back equal:
// every key ScopeSync uses, canonical words, plain µs for the shutter, shortest exact numbers.
QByteArray writeRpicamConfig(const CameraSettings &settings);

}  // namespace scopesync::core::camera
