// DoctorFn: how the UI runs the rig doctor without including hal — app hands it a function that checks
// this machine against the rig; CameraListFn, likewise, lists the cameras it sees.
#pragma once

#include "core/acquisition/rig_check.h"

#include <QList>

#include <functional>

namespace scopesync::ui {

// Called on a worker thread (it may probe libcamera for about a second): it must not touch widgets and
// must own, not borrow, what it reads. Every check, in the order a user fixes them.
using DoctorFn = std::function<QList<core::acquisition::RigCheck>()>;

// The cameras this machine offers (libcamera's and Qt Multimedia's), listed the same way: on a worker
// thread, owning what it reads.
using CameraListFn = std::function<QList<core::acquisition::CameraOffer>()>;

}  // namespace scopesync::ui
