// bench_preview: CPU time per frame of the GUI's live preview path (worker binning, LUT, painting) vs memcpy.
//
// Run:  build/bench/bench_preview [iterations=40] [seconds=10]
// Part 1 times each stage of the real path on a simulated-slide frame, with the real widgets laid out by
// the real MainWindow for the 800×480 touchscreen and a 1920×1080 desktop, against a memcpy of the same
// frame interleaved in the same loop: first with software binning of the raw frame (the simulated rig,
// cameras without a preview stream), then with each frame carrying the ISP preview stream a Pi camera
// delivers (hal::pi::previewStreamSize, 8-bit), which the path shows wherever the view allows. Part 2
// runs the real MainWindow live on the simulated rig for `seconds` and counts the frames the camera
// delivered and the preview showed and painted.
#include "core/acquisition/rig_description.h"
#include "core/camera/camera_settings.h"
#include "hal/pi/pi_rig.h"
#include "hal/rig_factory.h"
#include "hal/sim/slide_renderer.h"
#include "ui/common/frame_mailbox.h"
#include "ui/common/rig_controller.h"
#include "ui/main_window/main_window.h"
#include "ui/main_window/status_strip.h"
#include "ui/preview/histogram_widget.h"
#include "ui/preview/level_lut.h"
#include "ui/preview/preview_frame.h"
#include "ui/preview/preview_panel.h"
#include "ui/preview/preview_widget.h"

#include <QApplication>
#include <QEventLoop>
#include <QImage>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <sys/resource.h>
#include <vector>

using namespace scopesync;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kWarmup = 5;

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const double pos = p * double(v.size() - 1);
    const auto lo = std::size_t(pos);
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Runs the GUI event loop (not a busy processEvents spin, which would inflate the GUI thread's CPU time).
void runEventsFor(std::chrono::milliseconds span)
{
    QEventLoop loop;
    QTimer::singleShot(span, &loop, &QEventLoop::quit);
    loop.exec();
}

template <typename Pred> bool waitFor(Pred done, std::chrono::milliseconds timeout)
{
    const auto t0 = Clock::now();
    while (!done()) {
        if (Clock::now() - t0 > timeout)
            return false;
        runEventsFor(50ms);
    }
    return true;
}

double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double processCpuMs()
{
    rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    const auto ms = [](const timeval &t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
    return ms(ru.ru_utime) + ms(ru.ru_stime);
}

// The offscreen platform warns on every top-level resize; every other message still reaches stderr.
void messageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(QLatin1String("propagateSizeHints")))
        return;
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

// The factory `scopesync gui` passes (no camera config given, real-time requested, raw stream).
ui::RigFactory guiFactory()
{
    return [](const core::acquisition::RigDescription &rig, const core::camera::CameraSettings &s) {
        return hal::createRig(rig, s, hal::RigFactoryOptions {false, true, true});
    };
}

struct Screen {
    const char *name;
    QSize window;  // the size MainWindow gives itself on that screen
    bool compact;
};

// 800×480: the instrument's kiosk (full screen, compact layout). 1920×1080: MainWindow opens at
// min(1400, available) × min(900, available) with the desktop layout.
const Screen kScreens[] = {
    {"800x480 touchscreen", {800, 480}, true},
    {"1920x1080 desktop (window 1400x900)", {1400, 900}, false},
};

void applyScreen(ui::MainWindow &w, const Screen &s)
{
    w.resize(s.window);
    QCoreApplication::processEvents();
    w.applyLayout(s.compact);
    // Layouts settle through posted LayoutRequest events.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents();
}

// Counts the paint events that reach a widget: what the user actually sees refreshed.
class PaintCounter : public QObject {
public:
    using QObject::QObject;
    qint64 paints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(watched, event);
    }
};

// One frame of the simulated slide under the reference rig's 150 ms flash on every row, as the camera
// delivers it: 12-bit samples in 16-bit words.
core::Image16 slideFrame(int width, int height)
{
    hal::sim::SlideRenderer renderer(width, height, 454);
    return renderer.render(std::vector<double>(std::size_t(height), 150'000.0), 8.0, true, false);
}

// What a Pi camera's ISP preview stream carries for a frame: the frame over k (hal::pi::previewStreamSize),
// 8 bits. Box means of the slide, not the ISP's colour pipeline: only its size and depth matter here.
core::Image16 previewStreamOf(const core::Image16 &frame)
{
    const QSize size
        = hal::pi::previewStreamSize(QSize(frame.width, frame.height), ui::RigController::kPreviewMaxSide);
    const int k = frame.width / size.width();
    core::Image16 out(size.width(), size.height(), 8);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            quint32 sum = 0;
            for (int dy = 0; dy < k; ++dy)
                for (int dx = 0; dx < k; ++dx)
                    sum += frame.at(x * k + dx, y * k + dy);
            out.row(y)[x] = quint16(std::min<quint32>(sum / quint32(k * k) >> 4, 255));
        }
    return out;
}

// `withPreviewStream`: each frame also carries its ISP preview stream, as on a Pi; the path then shows it
// wherever the view allows.
void benchStages(ui::MainWindow &window, int width, int height, int iterations, bool withPreviewStream)
{
    const core::Image16 source = slideFrame(width, height);
    const core::Image16 stream = withPreviewStream ? previewStreamOf(source) : core::Image16();
    const std::size_t bytes = source.byteSize();
    const auto clipped
        = std::count(source.pixels.begin(), source.pixels.end(), quint16(hal::sim::SlideRenderer::kMaxValue));
    std::vector<quint16> copy(source.pixels.size(), 1);  // written once: no page faults in the timing

    auto *panel = window.previewPanel();
    auto *preview = panel->preview();
    auto *histogram = panel->histogram();
    ui::FrameMailbox &mailbox = window.controller()->mailbox();
    std::vector<double> memcpyMs;
    qint64 sequence = 0;
    bool headerDone = false;

    for (const Screen &screen : kScreens) {
        applyScreen(window, screen);
        // The X11 backing store's format at depth 24.
        QImage previewTarget(preview->size(), QImage::Format_RGB32);
        QImage histogramTarget(histogram->size(), QImage::Format_RGB32);
        std::vector<double> worker, binOnly, take, lutOnly, paintPreview, paintHistogram, path, gui;
        for (int i = -kWarmup; i < iterations; ++i) {
            // Baseline, interleaved with the path so both see the same load on the machine.
            auto t = Clock::now();
            std::memcpy(copy.data(), source.pixels.data(), bytes);
            asm volatile("" : : "r"(copy.data()) : "memory");
            const double copyMs = msSince(t);

            // Untimed: the camera hands over a freshly filled buffer.
            core::acquisition::CapturedFrame frame;
            frame.image = source;
            frame.preview = stream;
            frame.sequence = ++sequence;

            // Worker thread: RigController::publish.
            t = Clock::now();
            auto binned = ui::PreviewFrame::fromCapture(
                std::move(frame), ui::RigController::kPreviewMaxSide, window.controller()->previewView());
            const double binMs = msSince(t);
            mailbox.put(std::move(binned));
            const double workerMs = msSince(t);

            // GUI thread: the previewFrameReady slot (it also frees the frame shown before).
            t = Clock::now();
            panel->takeFrame();
            const double takeMs = msSince(t);

            // Not part of the path: how much of takeFrame the LUT mapping is.
            t = Clock::now();
            const QImage again
                = preview->lut().render(preview->frame()->display, &preview->frame()->saturated, true,
                    preview->rendered().size() * preview->rendered().devicePixelRatio());
            const double lutMs = msSince(t);

            // GUI thread: the repaints takeFrame asked for.
            t = Clock::now();
            preview->render(&previewTarget);
            const double paintPreviewMs = msSince(t);
            t = Clock::now();
            histogram->render(&histogramTarget);
            const double paintHistogramMs = msSince(t);

            if (i < 0)
                continue;
            memcpyMs.push_back(copyMs);
            worker.push_back(workerMs);
            binOnly.push_back(binMs);
            take.push_back(takeMs);
            lutOnly.push_back(lutMs);
            paintPreview.push_back(paintPreviewMs);
            paintHistogram.push_back(paintHistogramMs);
            gui.push_back(takeMs + paintPreviewMs + paintHistogramMs);
            path.push_back(workerMs + takeMs + paintPreviewMs + paintHistogramMs);
        }

        const auto &pf = *preview->frame();
        if (!headerDone) {
            headerDone = true;
            std::printf("\n%dx%d 12-bit in 16-bit (%.1f MB, %.2f %% of pixels at full scale)%s\n", width,
                height, double(bytes) / 1e6, 100.0 * double(clipped) / double(source.pixels.size()),
                withPreviewStream
                    ? qPrintable(QStringLiteral(", with the ISP preview stream %1x%2 8-bit (a Pi)")
                                     .arg(stream.width)
                                     .arg(stream.height))
                    : ", software binning (the simulated rig, cameras without a preview stream)");
        }
        const QString title
            = QStringLiteral("  %1: preview %2x%3 -> display %4x%5 (bin %6%9), histogram %7x%8")
                  .arg(QLatin1String(screen.name))
                  .arg(preview->width())
                  .arg(preview->height())
                  .arg(pf.display.width)
                  .arg(pf.display.height)
                  .arg(pf.bin)
                  .arg(histogram->width())
                  .arg(histogram->height())
                  .arg(pf.cameraPreview ? QStringLiteral(", from the stream") : QString());
        std::printf("%-56s %8s %8s\n", qPrintable(title), "median", "p90");
        const auto row = [](const char *name, const std::vector<double> &v) {
            std::printf("    %-52s %8.2f %8.2f\n", name, percentile(v, 0.5), percentile(v, 0.9));
        };
        row("worker  PreviewFrame::fromCapture + mailbox put", worker);
        row("          of which fromCapture (bin, histogram) alone", binOnly);
        row("GUI     PreviewPanel::takeFrame (LUT -> QImage)", take);
        row("          of which LevelLut::render alone", lutOnly);
        row("GUI     paint PreviewWidget", paintPreview);
        row("GUI     paint HistogramWidget", paintHistogram);
        row("whole path", path);
        const double pathMedian = percentile(path, 0.5);
        const double copyMedian = percentile(memcpyMs, 0.5);
        std::printf(
            "    = %.1fx the memcpy median (%.2f ms); one core: <= %.0f preview fps (GUI thread alone "
            "<= %.0f fps)\n",
            pathMedian / copyMedian, copyMedian, 1000.0 / pathMedian, 1000.0 / percentile(gui, 0.5));
    }
    std::printf("  memcpy of the frame, all iterations: median %.2f ms, p90 %.2f ms (%.0f MB/s)\n",
        percentile(memcpyMs, 0.5), percentile(memcpyMs, 0.9),
        double(bytes) / 1e3 / percentile(memcpyMs, 0.5));
}

// The binning alone, its frame in the cache, after code that leaves the upper halves of the AVX
// registers in use (one VEX instruction writing YMM15) against after VZEROUPPER: equal medians
// show that core::clearUpperVectorState keeps the SSE kernels at their speed whatever ran before them on
// the thread (without it, on the machine it was found on: 0.83-0.90 ms against 0.37 ms, ratio 2.3).
void benchDirtyUpperState()
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx")) {
        std::printf("\nupper AVX state: this CPU has no AVX, nothing to measure\n");
        return;
    }
    const auto frame = std::make_shared<const core::Image16>(slideFrame(2028, 1520));
    std::vector<double> clean;
    std::vector<double> dirty;
    for (int i = -kWarmup; i < 60; ++i) {
        for (const bool dirtied : {false, true}) {
            if (dirtied)
                asm volatile("vpcmpeqd %%ymm15, %%ymm15, %%ymm15" ::: "xmm15");
            else
                asm volatile("vzeroupper" ::
                                 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
                             "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
            const auto t = Clock::now();
            const auto binned = ui::PreviewFrame::binned(frame, 4);
            const double ms = msSince(t);
            if (i >= 0)
                (dirtied ? dirty : clean).push_back(ms);
        }
    }
    std::printf(
        "\nPreviewFrame::binned, 2028x1520 by 4, frame in cache, 60 runs each: median %.2f ms (p90 %.2f) "
        "after code that used AVX registers, %.2f ms (p90 %.2f) after VZEROUPPER: ratio %.2f\n",
        percentile(dirty, 0.5), percentile(dirty, 0.9), percentile(clean, 0.5), percentile(clean, 0.9),
        percentile(dirty, 0.5) / percentile(clean, 0.5));
#endif
}

void benchSustained(
    const char *label, ui::MainWindowOptions options, const Screen &screen, std::chrono::milliseconds span)
{
    QSettings().clear();  // every run starts as a first start: no layout or levels carried over
    ui::MainWindow window(guiFactory(), options);
    window.loadProtocol(QStringLiteral(":/protocols/quick_demo.json"));  // what the GUI opens by default
    applyScreen(window, screen);
    window.show();
    auto *preview = window.previewPanel()->preview();
    PaintCounter counter;
    preview->installEventFilter(&counter);
    const auto shutter = options.settings.shutter.value_or(0us);
    std::printf("\n%s: real MainWindow %s, live on %s %dx%d, shutter %lld ms\n", label, screen.name,
        qPrintable(options.rig.sensor), options.rig.modeWidth, options.rig.modeHeight,
        static_cast<long long>(shutter.count() / 1000));
    if (!waitFor([&] { return preview->framesShown() >= 2; }, 120s)) {
        std::printf("  no preview frames within 120 s: not measured\n");
        return;
    }
    auto *controller = window.controller();
    const qint64 shown0 = preview->framesShown();
    const qint64 paints0 = counter.paints;
    const qint64 worker0 = controller->workerFrames();
    const qint64 posted0 = controller->mailbox().posted();
    const qint64 dropped0 = controller->mailbox().dropped();
    const qint64 cameraDropped0 = window.statusStrip()->status().cameraDropped;
    const double guiCpu0 = threadCpuMs();
    const double processCpu0 = processCpuMs();
    const auto t0 = Clock::now();
    runEventsFor(span);
    const double wallS = msSince(t0) / 1e3;
    const double guiCpu = threadCpuMs() - guiCpu0;
    const double processCpu = processCpuMs() - processCpu0;
    const qint64 shown = preview->framesShown() - shown0;
    const qint64 paints = counter.paints - paints0;
    const qint64 worker = controller->workerFrames() - worker0;
    const auto &status = window.statusStrip()->status();
    std::printf(
        "  %.1f s: camera %.2f fps (frame timestamps), %lld camera drops; worker took %lld (%.2f/s)\n", wallS,
        status.framesPerSecond, static_cast<long long>(status.cameraDropped - cameraDropped0),
        static_cast<long long>(worker), double(worker) / wallS);
    std::printf("  preview shown %lld (%.2f fps), painted %lld (%.2f/s); mailbox dropped %lld of %lld\n",
        static_cast<long long>(shown), double(shown) / wallS, static_cast<long long>(paints),
        double(paints) / wallS, static_cast<long long>(controller->mailbox().dropped() - dropped0),
        static_cast<long long>(controller->mailbox().posted() - posted0));
    std::printf(
        "  GUI thread CPU %.1f ms per shown frame (%.0f %% of a core); whole process %.0f %% of a core "
        "(includes the simulated sensor's rendering and the worker)\n",
        shown > 0 ? guiCpu / double(shown) : 0.0, guiCpu / (wallS * 10.0), processCpu / (wallS * 10.0));
    controller->setLive(false);
    preview->removeEventFilter(&counter);
}

}  // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures and Qt's stderr lines stay in order
    qInstallMessageHandler(messageHandler);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = QApplication::arguments();
    const int iterations = args.size() > 1 ? std::max(30, args[1].toInt()) : 40;
    const auto span
        = std::chrono::milliseconds(args.size() > 2 ? std::max(1, args[2].toInt()) * 1000 : 10'000);

    // Keep the user's own GUI settings and run folders out of it.
    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "cannot create a temporary folder\n");
        return 1;
    }
    QCoreApplication::setOrganizationName(QStringLiteral("ScopeSyncBench"));
    QCoreApplication::setApplicationName(QStringLiteral("bench_preview"));
    QSettings::setPath(
        QSettings::NativeFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
    QSettings().clear();

    std::printf(
        "bench_preview: CPU time per frame of the live preview path (the real code, stage by stage)\n"
        "  worker  PreviewFrame::fromCapture(frame, RigController::kPreviewMaxSide = %d, the view the\n"
        "          MainWindow gave the controller: binned no finer than the screen shows it) + FrameMailbox::"
        "put\n"
        "  GUI     PreviewPanel::takeFrame (histogram copy, PreviewWidget::setFrame -> LevelLut::render,\n"
        "          the previous frame freed), then PreviewWidget and HistogramWidget painted with\n"
        "          QWidget::render into RGB32 images of the size the real MainWindow layout gives them\n"
        "  path    worker + takeFrame + both paints; baseline: memcpy of the frame into a pre-faulted\n"
        "          buffer, interleaved with the path\n"
        "  %d iterations after %d warm-up, ms; platform %s; usage: bench_preview [iterations=40] "
        "[seconds=10]\n",
        ui::RigController::kPreviewMaxSide, iterations, kWarmup, qPrintable(QGuiApplication::platformName()));

    {
        ui::MainWindowOptions options;
        options.runsDirectory = dir.filePath(QStringLiteral("runs"));
        options.startLive = false;  // only the frames fed below reach the preview
        ui::MainWindow window(guiFactory(), options);
        window.show();
        for (const bool stream : {false, true}) {
            benchStages(window, 2028, 1520, iterations, stream);
            benchStages(window, 4056, 3040, iterations, stream);
        }
    }
    benchDirtyUpperState();

    ui::MainWindowOptions defaults;
    defaults.runsDirectory = dir.filePath(QStringLiteral("runs"));
    benchSustained("sustained, the default simulated rig", defaults, kScreens[0], span);
    // The same GUI with a camera as fast as its 2028x1520 mode allows (40 fps): where the preview tops out.
    ui::MainWindowOptions fast = defaults;
    fast.rig.modeWidth = 2028;
    fast.rig.modeHeight = 1520;
    fast.settings.shutter = 20ms;
    benchSustained("sustained, fast camera", fast, kScreens[0], span);
    return 0;
}
