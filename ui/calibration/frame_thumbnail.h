// frameThumbnail: an 8-bit view of a raw frame for the wizards' pictures, binned to fit and stretched
// from the black level to the brightest 0.5 % of the frame, so a dim fluorescent frame is visible.
#pragma once

#include "core/common/image.h"

#include <QImage>

namespace scopesync::ui {

[[nodiscard]] QImage frameThumbnail(const core::Image16 &image, int maxSide);

}  // namespace scopesync::ui
