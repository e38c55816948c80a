// Simulated GPIO: LED outputs that log every edge for the virtual sensor, and the XVS / trigger wire.
#pragma once

#include "hal/strobe/line_interfaces.h"

#include <QStringList>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace scopesync::hal::sim {

using strobe::MonoTime;

// A time interval during which one LED was on, with its PWM duty.
struct LightInterval {
    int led = 0;
    MonoTime on {};
    MonoTime off {};
    double intensity = 1.0;
};

// LED outputs. Each set() is stamped with CLOCK_MONOTONIC as it happens: the light the sensor
// integrates is the light the strobe engine actually drove, with all its timing error.
class SimLedBank final : public strobe::OutputLines {
public:
    explicit SimLedBank(QStringList names);

    [[nodiscard]] int count() const override { return int(m_names.size()); }
    [[nodiscard]] QString name(int index) const override { return m_names.value(index); }
    core::Status set(int index, bool active) override;
    [[nodiscard]] bool isActive(int index) const override;
    bool setIntensity(int index, int perMille) override;

    // On intervals overlapping [from, to]; an LED still on is reported as on until `to`.
    [[nodiscard]] std::vector<LightInterval> lightBetween(MonoTime from, MonoTime to) const;
    // Forgets intervals that ended before `before` (keeps memory bounded on long runs).
    void prune(MonoTime before);
    // Test seam: make set() fail after `okWrites` more successful writes (a GPIO fault).
    void failAfter(int okWrites);

private:
    QStringList m_names;
    // Guards everything below: set() (strobe thread) against lightBetween() (sensor thread).
    mutable std::mutex m_mutex;
    std::vector<MonoTime> m_onSince;  // per LED; 0 = off
    std::vector<double> m_intensity;  // per LED, 0–1
    std::vector<LightInterval> m_done;  // completed intervals, in order of their end
    int m_failAfter = -1;
};

// The XVS wire as the Pi sees it in XVS-sink mode: the sensor pushes falling edges stamped at the
// moment they happen (like the kernel's hard-IRQ timestamp); the strobe engine waits for them.
class SimXvsInput final : public strobe::TriggerInput {
public:
    core::Result<std::optional<MonoTime>> waitEdge(std::chrono::nanoseconds timeout) override;
    void wake() override;
    void push(MonoTime timestamp);

private:
    // Guards m_edges and m_woken.
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<MonoTime> m_edges;
    bool m_woken = false;
};

// The trigger wire the Pi drives (XVS source, GS external trigger). Active = line pulled low.
class SimTriggerOutput final : public strobe::OutputLines {
public:
    using Listener = std::function<void(bool active, MonoTime when)>;
    explicit SimTriggerOutput(Listener listener) : m_listener(std::move(listener)) { }

    [[nodiscard]] int count() const override { return 1; }
    [[nodiscard]] QString name(int) const override { return QStringLiteral("trigger"); }
    core::Status set(int index, bool active) override;
    [[nodiscard]] bool isActive(int) const override { return m_active; }

private:
    Listener m_listener;
    std::atomic<bool> m_active {false};
};

}  // namespace scopesync::hal::sim
