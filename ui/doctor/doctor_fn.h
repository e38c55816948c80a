// DoctorFn: how the UI runs the rig doctor without including hal — app hands it a function that checks
// this machine against the rig.
#pragma once

#include "core/acquisition/rig_check.h"

#include <QList>

#include <functional>

namespace scopesync::ui {

// Called on a worker thread (it may probe libcamera for about a second): it must not touch widgets and
// must own, not borrow, what it reads. Every check, in the order a user fixes them.
using DoctorFn = std::function<QList<core::acquisition::RigCheck>()>;

}  // namespace scopesync::ui
