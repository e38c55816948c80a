// bench_run_throughput: back-to-back strobed images through a whole protocol run on the simulated rig.
//
// Run:  build/default/bench/bench_run_throughput [cycles=25] [slow_disk_ms=0: auto] [folder=/tmp]
//       [only the run of this name, e.g. "4056x3040 slow disk"]
//
// Runs 4 colours × `cycles` image steps back to back (no wait between them) through ProtocolRun on the
// simulated IMX477 rig, at 2028×1520 (shutter 50 ms: ~19.9 fps) and 4056×3040 (shutter 120 ms), each
// once with the disk as it is and once throttled by the writer's slow-disk seam (a per-image write
// time of three shutter times, so the camera outruns the disk). For each it prints:
//   images per frame period: images ÷ ((last image's trigger − first's) ÷ frame period + 1); 1.0 is
//     the physical limit (every frame carries an image),
//   the writer queue's high-water mark (images and MB) and how long the capture waited for the disk,
//   peak RSS of the process that ran it,
//   CPU seconds per image: the run's process CPU minus that of the same simulated rig running idle
//     for as long (the simulated camera renders every frame in software, which a real camera does
//     not), divided by the images,
//   and whether every planned image is listed with a file of the listed size and CRC.
// Each run is in its own child process, so peak RSS is that run's alone.
#include "core/acquisition/protocol_run.h"
#include "core/acquisition/rig_description.h"
#include "core/camera/camera_settings.h"
#include "core/protocol/protocol.h"
#include "core/storage/crc32.h"
#include "core/storage/manifest_reader.h"
#include "core/storage/run_folder.h"
#include "hal/sim/sim_rig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace scopesync;
using namespace std::chrono_literals;

namespace {

struct Config {
    const char *name;
    int width;
    int height;
    std::chrono::microseconds shutter;
    std::chrono::microseconds delay;  // inside the rolling shutter's window for a 10 ms flash
    std::chrono::milliseconds slowDisk;  // 0: the disk as it is
};

struct Figures {
    bool ok = false;
    char error[512] = {};
    qint64 images = 0;
    qint64 planned = 0;
    qint64 verified = 0;  // listed images whose file has the listed size and CRC
    double imagesPerPeriod = 0;
    double framePeriodMs = 0;
    double seconds = 0;
    double cpuSeconds = 0;
    double idleCpuSeconds = 0;
    qint64 highWaterImages = 0;
    qint64 highWaterBytes = 0;
    qint64 boundBytes = 0;
    qint64 waits = 0;
    double waitedSeconds = 0;
    qint64 triggers = 0;
    qint64 droppedFrames = 0;
    long peakRssKb = 0;
};

double cpuSecondsNow()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

core::protocol::Step imageStep(const QString &led)
{
    core::protocol::Step s;
    s.kind = core::protocol::StepKind::Image;
    s.label = led;
    s.flashes = {core::protocol::Flash {led, 10ms, 1000, {}}};
    return s;
}

core::acquisition::RigDescription rigFor(const Config &c)
{
    auto rig = core::acquisition::RigDescription::referenceSim();
    rig.modeWidth = c.width;
    rig.modeHeight = c.height;
    rig.delay = c.delay;
    return rig;
}

core::camera::CameraSettings settingsFor(const Config &c)
{
    auto s = core::camera::CameraSettings::referenceRig();
    s.shutter = c.shutter;
    return s;
}

void fail(Figures &f, const QString &why)
{
    std::snprintf(f.error, sizeof f.error, "%s", qPrintable(why));
}

// Runs in the child: one protocol run, then the same rig idle for as long.
Figures measure(const Config &c, int cycles, const QString &parent)
{
    Figures f;
    core::protocol::Protocol p;
    p.name = QStringLiteral("back to back");
    core::protocol::Step group;
    group.kind = core::protocol::StepKind::Group;
    group.label = QStringLiteral("cycle");
    group.iterations = cycles;
    for (const char *led : {"red", "orange", "green", "blue"})
        group.children.push_back(imageStep(QString::fromLatin1(led)));
    p.steps = {group};

    const auto rig = rigFor(c);
    const auto settings = settingsFor(c);
    QTemporaryDir tmp(parent + QStringLiteral("/bench_run_throughput-XXXXXX"));
    auto sim = hal::sim::SimRig::create(rig, settings, false);
    if (!sim.ok())
        return fail(f, sim.error().toString()), f;
    auto folder = core::storage::RunFolder::create(tmp.filePath(QStringLiteral("run")));
    if (!folder.ok())
        return fail(f, folder.error().toString()), f;
    f.framePeriodMs = std::chrono::duration<double, std::milli>((*sim)->framePeriod()).count();

    core::acquisition::ProtocolRun run(**sim, **folder, p, settings);
    run.setWriteDelayPerImage(c.slowDisk);
    const double cpu0 = cpuSecondsNow();
    const auto t0 = std::chrono::steady_clock::now();
    const auto out = run.execute();
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    f.cpuSeconds = cpuSecondsNow() - cpu0;
    if (!out.completed)
        fail(f, out.stopReason);
    f.images = out.imagesSaved;
    f.planned = out.framesPlanned;
    f.imagesPerPeriod = out.imagesPerFramePeriod;
    f.highWaterImages = out.writer.highWaterImages;
    f.highWaterBytes = out.writer.highWaterBytes;
    f.boundBytes = out.writer.maxQueuedBytes;
    f.waits = out.writer.waits;
    f.waitedSeconds = std::chrono::duration<double>(out.writer.waited).count();
    f.triggers = out.strobe.triggers;
    f.droppedFrames = out.droppedFrames;

    // Every listed image complete: size and CRC as listed.
    if (auto m = core::storage::ManifestReader::read((*folder)->path()); m.ok()) {
        for (const auto &e : m->entries) {
            QFile file((*folder)->path() + u'/' + e.file);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            const QByteArray bytes = file.readAll();
            if (qint64(bytes.size()) == e.bytes
                && core::storage::Crc32::of(bytes.constData(), std::size_t(bytes.size())) == e.crc32)
                ++f.verified;
        }
    }
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    f.peakRssKb = u.ru_maxrss;
    folder->reset();

    // The simulated camera and strobe thread alone, for as long as the run took.
    auto idleRig = hal::sim::SimRig::create(rig, settings, false);
    if (idleRig.ok() && (*idleRig)->strobe().start().ok() && (*idleRig)->camera().start().ok()) {
        const double i0 = cpuSecondsNow();
        const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(f.seconds);
        while (std::chrono::steady_clock::now() < until)
            (void)(*idleRig)->camera().waitFrame(50ms);  // taken and dropped, as an idle run does
        f.idleCpuSeconds = cpuSecondsNow() - i0;
        (*idleRig)->strobe().stop();
        (*idleRig)->camera().stop();
    }
    f.ok = f.error[0] == 0;
    return f;
}

// Runs `measure` in a child process and returns its figures.
Figures inChild(const Config &c, int cycles, const QString &parent)
{
    int fds[2];
    if (pipe(fds) != 0)
        return {};
    const pid_t pid = fork();
    if (pid == 0) {
        ::close(fds[0]);
        const Figures f = measure(c, cycles, parent);
        const auto *p = reinterpret_cast<const char *>(&f);
        std::size_t left = sizeof f;
        while (left > 0) {
            const ssize_t n = ::write(fds[1], p, left);
            if (n <= 0)
                break;
            p += n;
            left -= std::size_t(n);
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    Figures f;
    auto *p = reinterpret_cast<char *>(&f);
    std::size_t got = 0;
    while (got < sizeof f) {
        const ssize_t n = ::read(fds[0], p + got, sizeof f - got);
        if (n <= 0)
            break;
        got += std::size_t(n);
    }
    ::close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (got != sizeof f) {
        f = {};
        std::snprintf(f.error, sizeof f.error, "the measuring process ended early (status %d)", status);
    }
    return f;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int cycles = args.size() > 1 ? std::max(1, args[1].toInt()) : 25;
    const int slowArg = args.size() > 2 ? args[2].toInt() : 0;
    const QString parent = args.size() > 3 ? args[3] : QDir::tempPath();

    // The throttled disk: each image takes three shutter times, so the camera outruns it threefold and
    // the queue fills within the run at both sizes.
    const auto slow = [&](std::chrono::microseconds shutter) {
        return slowArg > 0 ? std::chrono::milliseconds(slowArg)
                           : std::chrono::duration_cast<std::chrono::milliseconds>(shutter * 3);
    };
    const Config configs[] = {
        {"2028x1520", 2028, 1520, 50'000us, 30'000us, 0ms},
        {"2028x1520 slow disk", 2028, 1520, 50'000us, 30'000us, slow(50'000us)},
        {"4056x3040", 4056, 3040, 120'000us, 93'000us, 0ms},
        {"4056x3040 slow disk", 4056, 3040, 120'000us, 93'000us, slow(120'000us)},
    };
    std::printf("bench_run_throughput: 4 colours x %d cycles back to back on the simulated IMX477 rig, "
                "%d CPUs\n",
        cycles, int(sysconf(_SC_NPROCESSORS_ONLN)));
    std::printf("%-20s %7s %9s %8s %8s %10s %13s %10s %9s %9s %11s %8s\n", "run", "period", "disk_ms",
        "images", "verified", "img/period", "queue_peak", "waited_s", "rss_MB", "cpu_s/img", "idle_cpu_s",
        "dropped");
    int failures = 0;
    const QString only = args.size() > 4 ? args[4] : QString();
    for (const Config &c : configs) {
        if (!only.isEmpty() && QString::fromLatin1(c.name) != only)
            continue;
        const Figures f = inChild(c, cycles, parent);
        const double perImage = f.images > 0 ? (f.cpuSeconds - f.idleCpuSeconds) / double(f.images) : 0.0;
        std::printf("%-20s %5.1fms %9lld %8lld %8lld %10.3f %4lld/%6.1fMB %10.1f %9.0f %9.4f %11.2f %8lld\n",
            c.name, f.framePeriodMs, static_cast<long long>(c.slowDisk.count()),
            static_cast<long long>(f.images), static_cast<long long>(f.verified), f.imagesPerPeriod,
            static_cast<long long>(f.highWaterImages), double(f.highWaterBytes) / 1e6, f.waitedSeconds,
            double(f.peakRssKb) / 1024.0, perImage, f.idleCpuSeconds,
            static_cast<long long>(f.droppedFrames));
        std::printf(
            "%-20s   run %.1f s, %lld triggers, process CPU %.2f s; queue bound %.0f MB, %lld waits for "
            "the disk; %s\n",
            "", f.seconds, static_cast<long long>(f.triggers), f.cpuSeconds, double(f.boundBytes) / 1e6,
            static_cast<long long>(f.waits),
            f.ok && f.images == f.planned && f.verified == f.images ? "no image lost" : "INCOMPLETE");
        if (!f.ok) {
            std::printf("%-20s   stopped: %s\n", "", f.error);
            ++failures;
        }
    }
    return failures == 0 ? 0 : 1;
}
