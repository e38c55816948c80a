// The one libcamera CameraManager of the process (libcamera allows only one), shared by cameras and the
// doctor.
#pragma once

#include "core/common/result.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace libcamera {
class CameraManager;
}

namespace scopesync::hal::libcamera {

// Started on first use; stopped when the last holder lets go.
core::Result<std::shared_ptr<::libcamera::CameraManager>> sharedCameraManager();

struct CameraListing {
    QString id;
    QString model;  // the sensor as libcamera names it: "imx477"
};

// The cameras libcamera sees now.
core::Result<QList<CameraListing>> listCameras();

// libcamera's version string, e.g. "v0.0.3" (the run-time library's).
QString libcameraVersion();

}  // namespace scopesync::hal::libcamera
