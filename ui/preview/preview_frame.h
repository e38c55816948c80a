// PreviewFrame: a camera frame made ready for display on the worker thread (binned, histogram, saturation).
#pragma once

#include "core/acquisition/ports.h"
#include "core/common/image.h"

#include <QSize>

#include <array>
#include <memory>
#include <vector>

namespace scopesync::ui {

// What the screen shows of a frame: the preview widget's size in device pixels and its zoom (1 = the whole
// frame fits). The worker bins no finer than that, so a small screen costs less per frame.
struct PreviewView {
    QSize devicePixels;  // empty: unknown, bin only to fit maxSide
    double zoom = 1.0;
};

struct PreviewFrame {
    static constexpr int kLevels = 4096;  // 12-bit samples; deeper data is shifted down to 12 bits
    static constexpr int kHistogramSamples = 65536;
    static constexpr int kMaxViewBin = 32;  // a tiny view bins no coarser (sums stay within 32 bits)
    static constexpr double kMaxUpscale = 1.1;  // screen pixels one display pixel may cover (binFor)

    core::Image16 display;  // binned (mean of bin×bin) and reduced to 12 bits
    std::vector<quint8> saturated;  // per display pixel: 1 when any sensor pixel of its bin is at full scale
    // Of the frame's 12-bit values, one sensor pixel per histogramStep in x and y (at least every second,
    // no closer than the bin, and no more than needed for kHistogramSamples counts).
    std::array<quint32, kLevels> histogram {};
    int histogramStep = 2;
    std::shared_ptr<const core::Image16> full;  // the frame as captured, for the value under the cursor
    int bin = 1;  // display pixel = bin × bin sensor pixels
    int shift = 0;  // full-frame value >> shift = 12-bit value
    qint64 sequence = 0;
    core::acquisition::MonoTime exposureStart {};
    QString strobedLed;  // the LED flashed on this frame, empty when none
    // The display came from the camera's own preview stream (processed by its ISP: levels and histogram
    // are of that image, widened to 12 bits), not from binning `full`.
    bool cameraPreview = false;

    // The coarsest bin whose display pixels are still no larger than kMaxUpscale screen pixels in `view`,
    // and fine enough that the display fits within maxSide × maxSide.
    // (`maxUpscale` 1: display pixels no larger than a screen pixel.)
    static int binFor(QSize frame, const PreviewView &view, int maxSide, double maxUpscale = kMaxUpscale);

    // Bins the frame (binFor), or shows the frame's preview stream when it has one and the view needs no
    // finer bin than the stream's (binned further to the multiple of the stream's bin nearest the view's).
    // Runs on the worker thread: never on the GUI.
    static std::shared_ptr<PreviewFrame> fromCapture(
        core::acquisition::CapturedFrame &&frame, int maxSide, const PreviewView &view = {});
    // The same for a frame already held (a still frame re-binned when the view zooms in).
    static std::shared_ptr<PreviewFrame> fromImage(
        std::shared_ptr<const core::Image16> full, int maxSide, const PreviewView &view = {});
    // `image` binned bin × bin: display, saturation and histogram; `full` is `image`.
    static std::shared_ptr<PreviewFrame> binned(std::shared_ptr<const core::Image16> image, int bin);
};

}  // namespace scopesync::ui
