// bench_strobe_idle: what an idle strobe engine costs — CPU time and wake-ups per second with no frame to
// serve (a fleet follower waiting for its leader, a rig between runs).
//
// Run:  build/default/bench/bench_strobe_idle [engines=20] [seconds=5]
//
// Starts `engines` engines in each idle situation, one situation at a time, and measures the process's CPU
// time (getrusage) and voluntary context switches over `seconds`, minus the same span with no engine:
//   - xvs-source on request: the Pi drives the trigger only when asked (fleet follower), no request comes;
//   - xvs-sink, camera silent: waiting on an XVS input that carries no edge (a stopped camera);
//   - xvs-sink with an LED held on by an illumination step for the whole span.
// Prints per engine: CPU ms per second, wake-ups per second, and the time from a trigger request to its
// edge (a request must still be served at once after a long idle).
#include "hal/sim/sim_lines.h"
#include "hal/strobe/strobe_engine.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sys/resource.h>
#include <thread>
#include <vector>

using namespace scopesync;
using namespace std::chrono_literals;

namespace {

struct Usage {
    double cpuSeconds = 0;
    long switches = 0;
};

Usage usageNow()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return {
        double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6,
        u.ru_nvcsw + u.ru_nivcsw};
}

hal::strobe::StrobeEngineConfig configFor(core::acquisition::TriggerMode mode)
{
    hal::strobe::StrobeEngineConfig cfg;
    cfg.mode = mode;
    cfg.framePeriod = 100ms;
    cfg.flashMaxOn = {1000ms};
    cfg.illuminationMaxOn = {600'000ms};
    cfg.requestRealtime = false;  // many engines on two CPUs: none may starve the others
    if (mode == core::acquisition::TriggerMode::XvsSource)
        cfg.triggerOnRequest = true;
    return cfg;
}

struct Idle {
    std::unique_ptr<hal::sim::SimXvsInput> in;
    std::unique_ptr<hal::sim::SimLedBank> led;
    std::unique_ptr<hal::sim::SimTriggerOutput> out;
    std::unique_ptr<hal::strobe::StrobeEngine> engine;
};

}  // namespace

int main(int argc, char **argv)
{
    const int engines = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    const auto span = std::chrono::duration<double>(argc > 2 ? std::atof(argv[2]) : 5.0);
    std::printf("bench_strobe_idle: %d engines per situation, %.1f s each (no real-time priority)\n", engines,
        span.count());

    const Usage b0 = usageNow();
    std::this_thread::sleep_for(span);
    const Usage b1 = usageNow();
    const double baseCpu = b1.cpuSeconds - b0.cpuSeconds;
    const long baseSwitches = b1.switches - b0.switches;

    struct Situation {
        const char *name;
        core::acquisition::TriggerMode mode;
        bool lit;
    };
    const Situation situations[] = {
        {"xvs-source, on request, none comes", core::acquisition::TriggerMode::XvsSource, false},
        {"xvs-sink, camera silent", core::acquisition::TriggerMode::XvsSink, false},
        {"xvs-sink, LED held on", core::acquisition::TriggerMode::XvsSink, true},
    };
    std::printf("%-38s %14s %14s\n", "situation", "CPU ms/s each", "wake-ups/s each");
    for (const Situation &s : situations) {
        std::vector<Idle> all(static_cast<std::size_t>(engines));
        for (Idle &e : all) {
            e.in = std::make_unique<hal::sim::SimXvsInput>();
            e.led = std::make_unique<hal::sim::SimLedBank>(QStringList {QStringLiteral("led")});
            e.out = std::make_unique<hal::sim::SimTriggerOutput>([](bool, core::MonoTime) {});
            const bool source = s.mode == core::acquisition::TriggerMode::XvsSource;
            e.engine = std::make_unique<hal::strobe::StrobeEngine>(
                configFor(s.mode), *e.led, source ? nullptr : e.in.get(), source ? e.out.get() : nullptr);
            if (auto st = e.engine->start(); !st.ok()) {
                std::fprintf(stderr, "bench_strobe_idle: %s\n", qPrintable(st.error().toString()));
                return 1;
            }
            if (s.lit)
                (void)e.engine->illuminate({{QStringLiteral("led"), 0us, 600'000'000us, 1000}});
        }
        std::this_thread::sleep_for(200ms);  // settled
        const Usage u0 = usageNow();
        std::this_thread::sleep_for(span);
        const Usage u1 = usageNow();
        const double cpu = std::max(0.0, (u1.cpuSeconds - u0.cpuSeconds) - baseCpu);
        const long switches = std::max(0L, (u1.switches - u0.switches) - baseSwitches);
        std::printf("%-38s %14.3f %14.1f\n", s.name, cpu / span.count() / engines * 1000.0,
            double(switches) / span.count() / engines);
        // After the idle span a request is still served: the time from asking to the edge going out.
        if (s.mode == core::acquisition::TriggerMode::XvsSource) {
            std::vector<double> lateMs;
            for (Idle &e : all) {
                const auto when = core::monotonicNow() + e.engine->requestLead();
                e.engine->fireTriggerAt(when);
                std::this_thread::sleep_for(e.engine->requestLead() + 20ms);
                for (const auto &edge : e.engine->takeEdgeLog())
                    if (edge.line == QLatin1String("trigger") && edge.active)
                        lateMs.push_back(
                            std::chrono::duration<double, std::milli>(edge.measured - edge.intended).count());
            }
            std::sort(lateMs.begin(), lateMs.end());
            if (lateMs.empty())
                std::printf("  requests after idle: NO TRIGGER EDGE was driven\n");
            else
                std::printf(
                    "  requests after idle: %zu of %d driven, edge − asked time p50 %.3f ms, max %.3f ms\n",
                    lateMs.size(), engines, lateMs[lateMs.size() / 2], lateMs.back());
        }
        for (Idle &e : all)
            e.engine->stop();
    }
    return 0;
}
