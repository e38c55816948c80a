// ViewScale: the time axis of the timing view, as the time at the plot's left edge and seconds per pixel.
#pragma once

namespace scopesync::ui {

struct ViewScale {
    double offsetS = 0.0;  // time (s, relative to the trigger edge) at x = 0 of the plot
    double secondsPerPixel = 1e-3;

    [[nodiscard]] double xForTime(double seconds) const { return (seconds - offsetS) / secondsPerPixel; }
    [[nodiscard]] double timeForX(double x) const { return offsetS + x * secondsPerPixel; }

    // Zooms by `factor` (> 1 zooms in) keeping the time under `x` where it is.
    void zoomAround(double x, double factor)
    {
        const double anchor = timeForX(x);
        secondsPerPixel /= factor;
        if (secondsPerPixel < kMinSecondsPerPixel)
            secondsPerPixel = kMinSecondsPerPixel;
        if (secondsPerPixel > kMaxSecondsPerPixel)
            secondsPerPixel = kMaxSecondsPerPixel;
        offsetS = anchor - x * secondsPerPixel;
    }
    // Moves the content right by `dx` pixels (a drag to the right shows earlier times).
    void panByPixels(double dx) { offsetS -= dx * secondsPerPixel; }

    // 10 ns to 1 s per pixel: past these, labels and the model's resolution stop meaning anything.
    static constexpr double kMinSecondsPerPixel = 1e-8;
    static constexpr double kMaxSecondsPerPixel = 1.0;

    friend bool operator==(const ViewScale &, const ViewScale &) = default;
};

}  // namespace scopesync::ui
