// bench_soak: a long run of back-to-back strobed frames on the simulated rig with missed XVS pulses and
// glitches, watching for growth (memory, file descriptors, threads) and for frames lit wrongly.
//
// Run:  build/default/bench/bench_soak [frames=100000] [report_every=10000] [missed=0.01] [glitches=0.05]
//
// The simulated IMX477 in its 1332×990 mode (the smallest, fastest one) runs at its frame rate; three
// captures are armed ahead, as in a protocol run, in a repeating pattern of four: red 2 ms, green 1 ms,
// dark (a job with no flash), blue 0.5 ms. The XVS line misses `missed` of its pulses and carries
// `glitches` spurious edges per frame. Frames are not saved (10⁵ frames would fill a disk); each is
// reduced to its mean level and its record is built as a run builds it, dose check included.
//
// The first 400 frames (100 of each kind) learn each kind's level. From then on a frame whose level is
// nearest another kind's is mis-assigned: the LED or flash of another frame reached it. A late edge is an
// LED edge driven more than the dose check's edge tolerance after its time; it must be flagged by the
// image's dose check. Every `report_every` frames prints RSS, open file descriptors, threads, the
// engine's counters, mis-assigned frames and unflagged late edges. Goal: RSS, descriptors and threads
// flat after warm-up, no mis-assigned frame that is not flagged, no late edge unflagged.
#include "core/acquisition/dose_check.h"
#include "core/acquisition/image_record_builder.h"
#include "core/acquisition/rig_description.h"
#include "core/acquisition/strobed_capture.h"
#include "core/camera/camera_settings.h"
#include "hal/sim/sim_rig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <deque>

using namespace scopesync;
using namespace std::chrono_literals;
using core::acquisition::LedPulse;

namespace {

struct Kind {
    const char *name;
    const char *led;  // nullptr: dark
    std::chrono::microseconds flash;
};
// Flash lengths differ by at least 2× so that the levels stay apart whatever each LED's brightness.
constexpr std::array<Kind, 4> kKinds {{{"red 2 ms", "red", 2000us}, {"green 1 ms", "green", 1000us},
    {"dark", nullptr, 0us}, {"blue 0.5 ms", "blue", 500us}}};
constexpr int kWarmupPerKind = 100;

long procStatusKb(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(int(qstrlen(key))).trimmed().split(' ').first().toLong();
    return -1;
}

int openDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::System).size());
}

// The mean of every 8th row: enough to tell the kinds apart at a fraction of the cost.
double meanLevel(const core::Image16 &im)
{
    double sum = 0;
    qint64 n = 0;
    for (int y = 0; y < im.height; y += 8) {
        const quint16 *row = im.pixels.data() + std::size_t(y) * std::size_t(im.width);
        quint64 s = 0;
        for (int x = 0; x < im.width; ++x)
            s += row[x];
        sum += double(s);
        n += im.width;
    }
    return n ? sum / double(n) : 0.0;
}

// Where a frame sits against its trigger and what its LEDs did, for a wrongly lit frame's report.
QString describe(int kind, const core::acquisition::Shot &shot)
{
    QString out = QStringLiteral("%1, camera frame %2")
                      .arg(QString::fromLatin1(kKinds[std::size_t(kind)].name))
                      .arg(shot.frame.sequence);
    if (!shot.event)
        return out + QStringLiteral(", no strobe event");
    const auto &ev = *shot.event;
    const auto rel = [&](core::MonoTime t) {
        return std::chrono::duration<double, std::milli>(t - ev.triggerTime).count();
    };
    out += QStringLiteral(", trigger %1, row 0 starts %2 ms after it")
               .arg(ev.triggerSequence)
               .arg(rel(shot.frame.exposureStart), 0, 'f', 3);
    for (const auto &e : ev.edges)
        out += QStringLiteral(", %1 %2 at %3 ms (asked %4)")
                   .arg(e.line, e.active ? QStringLiteral("on") : QStringLiteral("off"))
                   .arg(rel(e.measured), 0, 'f', 3)
                   .arg(rel(e.intended), 0, 'f', 3);
    return out;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 frames = argc > 1 ? std::atoll(argv[1]) : 100'000;
    const qint64 every = argc > 2 ? std::atoll(argv[2]) : 10'000;
    const double missed = argc > 3 ? std::atof(argv[3]) : 0.01;
    const double glitches = argc > 4 ? std::atof(argv[4]) : 0.05;

    auto rig = core::acquisition::RigDescription::referenceSim();
    rig.modeWidth = 1332;
    rig.modeHeight = 990;
    // Camera and LEDs only: no filter may darken a colour.
    rig.filterWheel.reset();
    rig.focus.reset();
    rig.heater.reset();
    rig.sim.missedPulseRate = missed;
    rig.sim.glitchRate = glitches;
    rig.sim.seed = 7;
    // 1332×990 reads out in 7.85 ms: with a 12 ms shutter every row exposes from 7.9 to 12 ms after row 0
    // starts; the flashes (2 ms at most) sit at 9 ms.
    rig.delay = 9000us;
    auto settings = core::camera::CameraSettings::referenceRig();
    settings.shutter = 12'000us;
    auto sim = hal::sim::SimRig::create(rig, settings, false);
    if (!sim.ok()) {
        std::fprintf(stderr, "bench_soak: %s\n", qPrintable(sim.error().toString()));
        return 1;
    }
    auto &r = **sim;
    if (auto s = r.strobe().start(); !s.ok()) {
        std::fprintf(stderr, "bench_soak: %s\n", qPrintable(s.error().toString()));
        return 1;
    }
    if (auto s = r.camera().start(); !s.ok()) {
        std::fprintf(stderr, "bench_soak: %s\n", qPrintable(s.error().toString()));
        return 1;
    }
    const double periodMs = std::chrono::duration<double, std::milli>(r.framePeriod()).count();
    std::printf(
        "bench_soak: %lld frames, 1332x990 at %.2f ms per frame (%.1f fps), shutter 12 ms, flashes at "
        "9 ms; XVS misses %.3f of its pulses, %.3f glitches per frame\n",
        static_cast<long long>(frames), periodMs, 1000.0 / periodMs, missed, glitches);
    std::printf("%9s %8s %7s %8s %4s %7s %9s %7s %8s %6s %6s %10s %10s %8s\n", "frames", "seconds", "fps",
        "RSS MB", "fds", "threads", "triggers", "missed", "rejected", "late", "errors", "misassign",
        "unflagged", "flagged");

    core::acquisition::StrobedCapture capture(r);
    struct Pending {
        int kind;
        std::vector<LedPulse> pulses;
        core::acquisition::ArmedCapture job;
    };
    std::deque<Pending> armed;
    QString previous;  // the last collected frame, described
    qint64 next = 0;  // frames armed
    qint64 done = 0;  // frames collected (or failed)
    qint64 errors = 0, misassigned = 0, misassignedFlagged = 0, lateEdges = 0, unflaggedLate = 0, flagged = 0;
    std::array<std::vector<double>, kKinds.size()> warm;
    std::array<double, kKinds.size()> level {};
    bool learned = false;
    long rssAfterWarmup = 0;
    int fdsAfterWarmup = 0, threadsAfterWarmup = 0;
    long rssMax = 0;
    int fdsMax = 0, threadsMax = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const auto arm = [&] {
        Pending p;
        p.kind = int(next % qint64(kKinds.size()));
        const Kind &k = kKinds[std::size_t(p.kind)];
        if (k.led)
            p.pulses.push_back(LedPulse {QString::fromLatin1(k.led), rig.delay, k.flash, 1000});
        p.job = capture.arm(p.pulses);
        armed.push_back(std::move(p));
        ++next;
    };
    while (done < frames) {
        while (next < frames && armed.size() < 3)
            arm();
        Pending p = std::move(armed.front());
        armed.pop_front();
        auto shot = capture.collect(p.job);
        ++done;
        if (!shot.ok()) {
            if (++errors <= 5)
                std::printf(
                    "  frame %lld: %s\n", static_cast<long long>(done), qPrintable(shot.error().toString()));
            continue;
        }
        core::acquisition::ImageIntent intent;
        intent.lights = p.pulses;
        intent.delay = rig.delay;
        intent.frameIndex = done;
        const auto rec = core::acquisition::buildImageRecord(rig, intent, *shot, r.strobe().stats());
        const bool doseFlag = !rec.doseProblems.isEmpty();
        flagged += doseFlag ? 1 : 0;
        int late = 0;
        if (shot->event)
            for (const auto &e : shot->event->edges)
                late += e.measured - e.intended > core::acquisition::DoseTolerance {}.edgeShift ? 1 : 0;
        lateEdges += late;
        if (late > 0 && !doseFlag)
            unflaggedLate += late;

        const double m = meanLevel(shot->frame.image);
        if (!learned) {
            warm[std::size_t(p.kind)].push_back(m);
            if (done == qint64(kWarmupPerKind * kKinds.size())) {
                for (std::size_t i = 0; i < kKinds.size(); ++i)
                    level[i] = median(warm[i]);
                std::printf("  levels after warm-up:");
                for (std::size_t i = 0; i < kKinds.size(); ++i)
                    std::printf(" %s %.2f DN;", kKinds[i].name, level[i]);
                std::printf("\n");
                learned = true;
            }
        } else {
            std::size_t nearest = 0;
            for (std::size_t i = 1; i < kKinds.size(); ++i)
                if (std::abs(m - level[i]) < std::abs(m - level[nearest]))
                    nearest = i;
            if (int(nearest) != p.kind) {
                ++misassigned;
                misassignedFlagged += doseFlag ? 1 : 0;
                if (misassigned - misassignedFlagged <= 5 && !doseFlag)
                    std::printf("  frame %lld: planned %s, level %.2f DN is %s's; this frame: %s; the one "
                                "before: %s\n",
                        static_cast<long long>(done), kKinds[std::size_t(p.kind)].name, m,
                        kKinds[nearest].name, qPrintable(describe(p.kind, *shot)), qPrintable(previous));
            }
        }
        previous = describe(p.kind, *shot);

        if (done % every == 0 || done == frames) {
            const long rss = procStatusKb("VmRSS:");
            const int fds = openDescriptors();
            const int threads = int(procStatusKb("Threads:"));
            if (done == every) {
                rssAfterWarmup = rss;
                fdsAfterWarmup = fds;
                threadsAfterWarmup = threads;
            } else if (done > every) {
                rssMax = std::max(rssMax, rss);
                fdsMax = std::max(fdsMax, fds);
                threadsMax = std::max(threadsMax, threads);
            }
            const auto st = r.strobe().stats();
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::printf("%9lld %8.1f %7.1f %8.1f %4d %7d %9lld %7lld %8lld %6lld %6lld %10lld %10lld %8lld\n",
                static_cast<long long>(done), s, double(done) / s, double(rss) / 1024.0, fds, threads,
                static_cast<long long>(st.triggers), static_cast<long long>(st.missed),
                static_cast<long long>(st.rejected), static_cast<long long>(st.lateEdges),
                static_cast<long long>(errors), static_cast<long long>(misassigned - misassignedFlagged),
                static_cast<long long>(unflaggedLate), static_cast<long long>(flagged));
            std::fflush(stdout);
        }
    }
    r.camera().stop();
    r.strobe().stop();
    const auto st = r.strobe().stats();
    std::printf(
        "summary: %lld frames collected, %lld errors; %lld triggers (%.2f per frame); engine counted %lld "
        "missed pulses and rejected %lld glitches\n",
        static_cast<long long>(done - errors), static_cast<long long>(errors),
        static_cast<long long>(st.triggers), double(st.triggers) / double(std::max<qint64>(done, 1)),
        static_cast<long long>(st.missed), static_cast<long long>(st.rejected));
    std::printf(
        "summary: mis-assigned frames %lld (%lld of them flagged by the dose check); late LED edges %lld, "
        "unflagged %lld; dose-flagged frames %lld\n",
        static_cast<long long>(misassigned), static_cast<long long>(misassignedFlagged),
        static_cast<long long>(lateEdges), static_cast<long long>(unflaggedLate),
        static_cast<long long>(flagged));
    if (done > every)
        std::printf(
            "summary: after warm-up (frame %lld) RSS %.1f -> max %.1f MB (%+.1f MB), descriptors %d -> max "
            "%d, threads %d -> max %d\n",
            static_cast<long long>(every), double(rssAfterWarmup) / 1024.0, double(rssMax) / 1024.0,
            double(rssMax - rssAfterWarmup) / 1024.0, fdsAfterWarmup, fdsMax, threadsAfterWarmup, threadsMax);
    const bool ok = misassigned == misassignedFlagged && unflaggedLate == 0;
    std::printf("verdict: %s\n",
        ok ? "no unflagged mis-assigned frame, no unflagged late edge"
           : "FRAMES LIT WRONGLY WITHOUT A FLAG (see above)");
    return ok ? 0 : 2;
}
