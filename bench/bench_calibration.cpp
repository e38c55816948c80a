// Benchmark: frames and wall time of the model-guided delay search against the 1 ms sweep, and scoring speed.
#include "core/analysis/uniformity_scorer.h"
#include "core/calibration/delay_search.h"
#include "core/calibration/delay_sweep.h"
#include "core/calibration/rig_delay_probe.h"
#include "core/timing/exposure_model.h"
#include "hal/sim/sim_rig.h"
#include "hal/sim/slide_renderer.h"

#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace scopesync;
using core::timing::Micros;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

// The reference rig (IMX477 4056×3040, 250 ms shutter, 150 ms flash, vflip) without a clock: each frame is
// rendered under the per-row dose the exposure model gives, so only the method's cost is timed.
struct Synthetic {
    const core::timing::SensorInfo *info = core::timing::SensorCatalog::find(QStringLiteral("imx477"));
    core::timing::SensorMode mode = *info->findMode(4056, 3040);
    core::timing::ExposureModel model {info->shutter, mode, Micros(250'000), Micros(0)};
    hal::sim::SlideRenderer renderer {4056, 3040, 7};
    int frames = 0;

    core::calibration::MeasureFn measure()
    {
        return [this](Micros delay) -> core::Result<core::calibration::DelayShot> {
            ++frames;
            std::vector<double> dose(std::size_t(mode.height));
            const Micros off = delay + Micros(150'000);
            for (int r = 0; r < mode.height; ++r)
                dose[std::size_t(r)] = model.rowOverlap(r, {delay, off}).count();
            return core::calibration::DelayShot {renderer.render(dose, 8.0, true, false), delay, off};
        };
    }
    core::calibration::CalibrationRequest request() const
    {
        core::calibration::CalibrationRequest r;
        r.shutter = info->shutter;
        r.mode = mode;
        r.exposure = Micros(250'000);
        r.flash = Micros(150'000);
        r.vflip = true;
        return r;
    }
};

void report(const char *name, const core::Result<core::calibration::CalibrationResult> &r, int frames,
    double seconds, double truthStartMs, double truthEndMs)
{
    if (!r.ok()) {
        std::printf("%-34s failed: %s\n", name, qPrintable(r.error().toString()));
        return;
    }
    const double s = r->windowStart.count() / 1000.0, e = r->windowEnd.count() / 1000.0;
    std::printf("%-34s %4d frames %8.1f s   window %7.3f – %7.3f ms   error %+6.3f / %+6.3f ms\n", name,
        frames, seconds, s, e, s - truthStartMs, e - truthEndMs);
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    std::printf("bench_calibration: reference rig IMX477 4056x3040, shutter 250 ms, flash 150 ms, vflip\n");
    std::printf("run: build/bench/bench_calibration [--quick]   (--quick skips the 101-frame sweep on the "
                "simulated rig)\n\n");

    // 1. Both methods on synthetic frames: frame counts and accuracy, cost without the camera's clock.
    Synthetic syn;
    const auto truth = syn.model.validWindow(Micros(150'000));
    const double ts = truth.start.count() / 1000.0, te = truth.end.count() / 1000.0;
    std::printf("model window (no trigger offset): %.3f – %.3f ms\n\n", ts, te);
    {
        syn.frames = 0;
        const auto t0 = Clock::now();
        auto r = core::calibration::DelaySearch(syn.request()).run(syn.measure());
        report("synthetic, model-guided search", r, syn.frames,
            std::chrono::duration<double>(Clock::now() - t0).count(), ts, te);
        syn.frames = 0;
        const auto t1 = Clock::now();
        auto w = core::calibration::DelaySweep(syn.request(), {Micros(0), Micros(100'000), Micros(1'000)})
                     .run(syn.measure());
        report("synthetic, sweep 0–100 ms step 1", w, syn.frames,
            std::chrono::duration<double>(Clock::now() - t1).count(), ts, te);
    }

    // 2. The simulated rig in real time, through the real strobe engine: wall time a user waits.
    auto rigDesc = core::acquisition::RigDescription::referenceSim();
    auto settings = core::camera::CameraSettings::referenceRig();
    for (int pass = 0; pass < (quick ? 1 : 2); ++pass) {
        auto rig = hal::sim::SimRig::create(rigDesc, settings, true);
        if (!rig.ok()) {
            std::printf("sim rig: %s\n", qPrintable(rig.error().toString()));
            return 1;
        }
        auto request = core::calibration::RigDelayProbe::requestFor(
            rigDesc, settings, true, std::chrono::microseconds(150'000));
        core::calibration::RigDelayProbe probe(
            **rig, QStringLiteral("red"), std::chrono::microseconds(150'000));
        if (auto s = probe.start(); !s.ok() || !request.ok()) {
            std::printf("sim rig: %s\n",
                s.ok() ? qPrintable(request.error().toString()) : qPrintable(s.error().toString()));
            return 1;
        }
        const auto t0 = Clock::now();
        auto r = pass == 0
            ? core::calibration::DelaySearch(*request).run(probe.measureFn())
            // From 2 ms: in XVS-sink mode the strobe learns of the frame start by an interrupt and cannot
            // switch an LED on at the edge itself (RigDelayProbe says so and where to start).
            : core::calibration::DelaySweep(*request, {Micros(2'000), Micros(100'000), Micros(1'000)})
                  .run(probe.measureFn());
        const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        probe.stop();
        report(pass == 0 ? "sim rig, model-guided search" : "sim rig, sweep 2–100 ms step 1", r,
            probe.framesTaken(), secs, ts, te);
    }

    // 3. Scoring time for full-resolution frames, against a memcpy of the same bytes timed in between, so
    // both see the same machine state. Both ways the calibration scores a frame: against a reference row
    // profile (row means) and alone (row medians, what the model-guided search uses).
    const auto refShot = syn.measure()(Micros(93'000));
    const auto bandedShot = syn.measure()(Micros(60'000));
    const core::Image16 *ref = &refShot->image;
    const core::Image16 *banded = &bandedShot->image;
    core::analysis::ScoringGeometry g;
    g.rampRows = 150'000.0 / (syn.mode.lineTime.count() / 1000.0);
    g.vflip = true;
    const core::analysis::UniformityScorer scorer(g);
    const auto refProfile = scorer.profileOf(*ref);
    std::vector<quint16> copy(banded->pixels.size());
    const double mb = double(banded->byteSize()) / 1e6;
    std::printf("\nscoring a %dx%d frame (%.1f MB) against memcpy of the same bytes, %d runs each; "
                "ratio = time(scoring) / time(memcpy), the goal is <= 3\n",
        banded->width, banded->height, mb, 30);
    volatile double sink = 0;
    for (const bool referenced : {true, false}) {
        std::vector<double> scoreMs, copyMs, ratios;
        core::analysis::UniformityScore last;
        for (int i = 0; i < 30; ++i) {
            auto t0 = Clock::now();
            const auto s = referenced ? scorer.score(*banded, refProfile) : scorer.score(*banded);
            scoreMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            sink = sink + s.uniformity;
            last = s;
            t0 = Clock::now();
            std::memcpy(copy.data(), banded->pixels.data(), banded->byteSize());
            copyMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            sink = sink + copy[std::size_t(i)];
            ratios.push_back(scoreMs.back() / copyMs.back());
        }
        std::printf("  %-32s median %6.2f ms (p90 %6.2f); memcpy median %5.2f ms (p90 %5.2f) = %5.0f MB/s; "
                    "ratio median %.2f (p90 %.2f), ratio of medians %.2f\n",
            referenced ? "with reference (row means):" : "alone (row medians):", median(scoreMs),
            percentile(scoreMs, 0.9), median(copyMs), percentile(copyMs, 0.9), mb / median(copyMs) * 1000.0,
            median(ratios), percentile(ratios, 0.9), median(scoreMs) / median(copyMs));
        // Exact, so that a faster kernel can be seen to give the same score.
        std::printf("    score: uniformity %a, level %a, knees %a %a, rms %a, timing %s\n", last.uniformity,
            last.level, last.fit.firstLitRow, last.fit.lastLitRow, last.fit.rmsResidual,
            qPrintable(core::analysis::flashTimingName(last.timing)));
    }
    return 0;
}
