// The one libcamera CameraManager of the process (libcamera allows only one), shared by cameras and the
// doctor.
#include "hal/libcamera/camera_manager_access.h"

#include <libcamera/camera.h>
#include <libcamera/camera_manager.h>
#include <libcamera/property_ids.h>

#include <cstring>
#include <mutex>

namespace scopesync::hal::libcamera {

core::Result<std::shared_ptr<::libcamera::CameraManager>> sharedCameraManager()
{
    static std::mutex mutex;  // guards `current`: cameras opened from several threads share one manager
    static std::weak_ptr<::libcamera::CameraManager> current;
    const std::lock_guard lock(mutex);
    if (auto m = current.lock())
        return m;
    auto manager = std::shared_ptr<::libcamera::CameraManager>(
        new ::libcamera::CameraManager, [](::libcamera::CameraManager *cm) {
            cm->stop();
            delete cm;
        });
    if (const int rc = manager->start(); rc != 0)
        return core::Error {QStringLiteral("libcamera's camera manager did not start: %1")
                                .arg(QString::fromLocal8Bit(std::strerror(-rc))),
            QStringLiteral("camera")};
    current = manager;
    return manager;
}

core::Result<QList<CameraListing>> listCameras()
{
    auto manager = sharedCameraManager();
    if (!manager.ok())
        return manager.error();
    QList<CameraListing> out;
    for (const auto &cam : manager.value()->cameras()) {
        CameraListing l;
        l.id = QString::fromStdString(cam->id());
        if (auto model = cam->properties().get(::libcamera::properties::Model))
            l.model = QString::fromStdString(*model);
        out << l;
    }
    return out;
}

QString libcameraVersion()
{
    return QString::fromStdString(::libcamera::CameraManager::version());
}

}  // namespace scopesync::hal::libcamera
