// PreviewFrame: a camera frame made ready for display on the worker thread (binned, histogram, saturation).
#pragma once

#include "core/acquisition/ports.h"
#include "core/common/image.h"

#include <array>
#include <memory>
#include <vector>

namespace scopesync::ui {

struct PreviewFrame {
    static constexpr int kLevels = 4096;  // 12-bit samples; deeper data is shifted down to 12 bits

    core::Image16 display;  // binned (mean of bin×bin) and reduced to 12 bits
    std::vector<quint8> saturated;  // per display pixel: 1 when any sensor pixel of its bin is at full scale
    std::array<quint32, kLevels>
        histogram {};  // of the full frame's 12-bit values (every second row and column)
    std::shared_ptr<const core::Image16> full;  // the frame as captured, for the value under the cursor
    int bin = 1;  // display pixel = bin × bin sensor pixels
    int shift = 0;  // full-frame value >> shift = 12-bit value
    qint64 sequence = 0;
    core::acquisition::MonoTime exposureStart {};
    QString strobedLed;  // the LED flashed on this frame, empty when none

    // Bins the frame until it fits within maxSide × maxSide. Runs on the worker thread: never on the GUI.
    static std::shared_ptr<PreviewFrame> fromCapture(core::acquisition::CapturedFrame &&frame, int maxSide);
};

}  // namespace scopesync::ui
