// Test doubles for the strobe engine's lines: outputs that record each write with its CLOCK_MONOTONIC
// time, and a trigger input the test feeds with stamped edges.
#pragma once

#include "hal/strobe/line_interfaces.h"
#include "hal/strobe/precise_clock.h"

#include <QStringList>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace scopesync::tests {

using hal::strobe::MonoTime;

struct RecordedWrite {
    int line = 0;
    bool active = false;
    MonoTime when {};  // stamped inside set(), before it returns
};

// One on period of a line; `off` is 0 while the line is still on.
struct OnInterval {
    MonoTime on {};
    MonoTime off {};
};

class RecordingLines final : public hal::strobe::OutputLines {
public:
    explicit RecordingLines(QStringList names)
        : m_names(std::move(names)), m_state(std::size_t(m_names.size()))
    {
    }

    [[nodiscard]] int count() const override { return int(m_names.size()); }
    [[nodiscard]] QString name(int index) const override { return m_names.value(index); }

    core::Status set(int index, bool active) override
    {
        const MonoTime now = hal::strobe::monotonicNow();
        const std::lock_guard lock(m_mutex);
        if (index < 0 || index >= count())
            return core::Error {QStringLiteral("no line %1").arg(index), QStringLiteral("test")};
        if (m_slowLine == index && m_slowActive == active) {
            m_slowLine = -1;
            std::this_thread::sleep_for(m_slowFor);  // a slow chip, or the writing thread preempted
        }
        if (m_failLine == index && m_failActive == active) {
            // One failed write, as a GPIO chip that hiccups; the line keeps its state.
            m_failLine = -1;
            return core::Error {
                QStringLiteral("injected write failure on '%1'").arg(m_names[index]), QStringLiteral("test")};
        }
        m_state[std::size_t(index)] = active;
        m_writes.push_back({index, active, now});
        return core::Ok {};
    }

    [[nodiscard]] bool isActive(int index) const override
    {
        const std::lock_guard lock(m_mutex);
        return index >= 0 && index < count() && m_state[std::size_t(index)];
    }

    bool setIntensity(int index, int perMille) override
    {
        const MonoTime now = hal::strobe::monotonicNow();
        const std::lock_guard lock(m_mutex);
        m_lastIntensity = {index, perMille};
        m_intensityWrites.push_back({index, perMille, now});
        return true;
    }

    // The next write that drives `line` to `active` takes `duration`, once.
    void slowNextWrite(int line, bool active, std::chrono::nanoseconds duration)
    {
        const std::lock_guard lock(m_mutex);
        m_slowLine = line;
        m_slowActive = active;
        m_slowFor = duration;
    }

    // The next write that drives `line` to `active` fails, once.
    void failNextWrite(int line, bool active)
    {
        const std::lock_guard lock(m_mutex);
        m_failLine = line;
        m_failActive = active;
    }

    // Every setIntensity() call: line, per-mille and when.
    struct IntensityWrite {
        int line = 0;
        int perMille = 0;
        MonoTime when {};
    };
    [[nodiscard]] std::vector<IntensityWrite> intensityWrites() const
    {
        const std::lock_guard lock(m_mutex);
        return m_intensityWrites;
    }

    [[nodiscard]] std::vector<RecordedWrite> writes() const
    {
        const std::lock_guard lock(m_mutex);
        return m_writes;
    }

    // On periods of `line` from its state changes (repeated writes of the same level are ignored).
    [[nodiscard]] std::vector<OnInterval> onIntervals(int line) const
    {
        std::vector<OnInterval> out;
        bool on = false;
        for (const auto &w : writes()) {
            if (w.line != line || w.active == on)
                continue;
            on = w.active;
            if (on)
                out.push_back({w.when, MonoTime {}});
            else
                out.back().off = w.when;
        }
        return out;
    }

    [[nodiscard]] bool anyActive() const
    {
        for (int i = 0; i < count(); ++i)
            if (isActive(i))
                return true;
        return false;
    }

private:
    QStringList m_names;
    // Guards everything below: set() runs on the engine thread, the checks on the test thread.
    mutable std::mutex m_mutex;
    std::vector<bool> m_state;
    std::vector<RecordedWrite> m_writes;
    int m_failLine = -1;
    bool m_failActive = false;
    int m_slowLine = -1;
    bool m_slowActive = false;
    std::chrono::nanoseconds m_slowFor {0};
    std::pair<int, int> m_lastIntensity {-1, 0};
    std::vector<IntensityWrite> m_intensityWrites;
};

// A trigger input whose edges carry whatever timestamp the test gives them, delivered when the test
// pushes them (so a test can deliver an edge late, as a thread woken late would see it).
class FakeTrigger final : public hal::strobe::TriggerInput {
public:
    core::Result<std::optional<MonoTime>> waitEdge(std::chrono::nanoseconds timeout) override
    {
        std::unique_lock lock(m_mutex);
        const bool early
            = m_cv.wait_for(lock, timeout, [this] { return !m_edges.empty() || m_failure || m_woken; });
        if (!early && m_oversleep > std::chrono::nanoseconds {0}) {
            // A CPU slow to wake: the timer expired, the thread runs this much later.
            lock.unlock();
            std::this_thread::sleep_for(m_oversleep);
            lock.lock();
        }
        m_woken = false;
        ++m_waitsReturned;
        if (m_failure)
            return core::Error {*m_failure, QStringLiteral("test")};
        if (m_edges.empty())
            return std::optional<MonoTime> {};
        const MonoTime t = m_edges.front();
        m_edges.pop_front();
        return std::optional<MonoTime> {t};
    }

    void wake() override
    {
        {
            const std::lock_guard lock(m_mutex);
            m_woken = true;
        }
        m_cv.notify_all();
    }
    // Every later wait that times out returns `late` after its timeout.
    void oversleep(std::chrono::nanoseconds late)
    {
        const std::lock_guard lock(m_mutex);
        m_oversleep = late;
    }
    // How many times waitEdge() returned (the strobe thread's wake-ups on this input).
    [[nodiscard]] qint64 waitsReturned()
    {
        const std::lock_guard lock(m_mutex);
        return m_waitsReturned;
    }

    void push(MonoTime timestamp)
    {
        {
            const std::lock_guard lock(m_mutex);
            m_edges.push_back(timestamp);
        }
        m_cv.notify_all();
    }

    // Every later wait fails, as a line whose chip went away.
    void fail(const QString &why)
    {
        {
            const std::lock_guard lock(m_mutex);
            m_failure = why;
        }
        m_cv.notify_all();
    }

private:
    // Guards everything below.
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<MonoTime> m_edges;
    std::optional<QString> m_failure;
    bool m_woken = false;
    qint64 m_waitsReturned = 0;
    std::chrono::nanoseconds m_oversleep {0};
};

}  // namespace scopesync::tests
