// DeviceRig: a simulated rig's camera and LEDs with test devices beside them — a filter wheel and a focus
// that take a little time to move and count their moves, and a heater and thermometer over the thermal
// plant — so a protocol run can be tested against the instrument without the rig's own device backends.
#pragma once

#include "core/acquisition/rig.h"

#include <QStringList>

#include "../unit/instrument/plant_bench.h"
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

namespace scopesync::testing {

// A wheel whose moves take `moveTime` per position; thread-safe.
class TestFilterWheel : public core::instrument::FilterChanger {
public:
    explicit TestFilterWheel(
        QStringList order, std::chrono::milliseconds perPosition = std::chrono::milliseconds(20))
        : m_order(std::move(order)), m_perPosition(perPosition)
    {
    }
    [[nodiscard]] QStringList positions() const override { return m_order; }
    core::Status home() override
    {
        std::lock_guard lock(m_mutex);
        m_current = m_order.first();
        ++m_homes;
        return core::Ok {};
    }
    core::Status moveTo(const QString &filter) override
    {
        std::lock_guard lock(m_mutex);
        if (!m_order.contains(filter))
            return core::Error {
                QStringLiteral("unknown filter %1").arg(filter), QStringLiteral("test wheel")};
        m_arrival = core::monotonicNow() + moveTimeLocked(m_current.value_or(m_order.first()), filter);
        m_target = filter;
        m_current.reset();
        ++m_moves;
        return core::Ok {};
    }
    // A raw position is slot `at` of the order.
    core::Status moveToRaw(int at) override
    {
        if (at < 0 || at >= m_order.size())
            return core::Error {QStringLiteral("no slot %1").arg(at), QStringLiteral("test wheel")};
        return moveTo(m_order.at(at));
    }
    core::Status waitSettled(std::chrono::milliseconds timeout) override
    {
        const auto until = core::monotonicNow() + timeout;
        for (;;) {
            {
                std::lock_guard lock(m_mutex);
                if (!m_current && core::monotonicNow() >= m_arrival)
                    m_current = m_target;
                if (m_current)
                    return core::Ok {};
            }
            if (core::monotonicNow() > until)
                return core::Error {QStringLiteral("the wheel did not settle"), QStringLiteral("test wheel")};
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    [[nodiscard]] std::optional<QString> current() const override
    {
        std::lock_guard lock(m_mutex);
        return m_current;
    }
    [[nodiscard]] std::chrono::milliseconds moveTime(const QString &from, const QString &to) const override
    {
        std::lock_guard lock(m_mutex);
        return moveTimeLocked(from, to);
    }
    void release() override { ++m_releases; }
    [[nodiscard]] int moves() const
    {
        std::lock_guard lock(m_mutex);
        return m_moves;
    }
    std::atomic<int> m_releases {0};

private:
    [[nodiscard]] std::chrono::milliseconds moveTimeLocked(const QString &from, const QString &to) const
    {
        return m_perPosition * std::abs(m_order.indexOf(to) - m_order.indexOf(from));
    }
    mutable std::mutex m_mutex;  // protects the position, the move and the counters
    QStringList m_order;
    std::chrono::milliseconds m_perPosition;
    std::optional<QString> m_current;
    QString m_target;
    core::MonoTime m_arrival {};
    int m_moves = 0;
    int m_homes = 0;
};

// A focus that arrives at once; thread-safe.
class TestFocus : public core::instrument::FocusDrive {
public:
    core::Status home() override
    {
        m_position = 0;
        return core::Ok {};
    }
    core::Status moveTo(int steps) override
    {
        m_position = steps;
        ++m_moves;
        return core::Ok {};
    }
    core::Status waitSettled(std::chrono::milliseconds) override { return core::Ok {}; }
    [[nodiscard]] std::optional<int> position() const override
    {
        const int p = m_position;
        return p == kUnknown ? std::nullopt : std::optional<int>(p);
    }
    [[nodiscard]] std::chrono::milliseconds moveTime(int, int) const override
    {
        return std::chrono::milliseconds(0);
    }
    void release() override { }
    std::atomic<int> m_moves {0};

private:
    static constexpr int kUnknown = INT_MIN;
    std::atomic<int> m_position {kUnknown};
};

class DeviceRig : public core::acquisition::Rig {
public:
    // Borrows `inner` (camera and LEDs); the devices present are those `description` describes.
    DeviceRig(core::acquisition::Rig &inner, core::acquisition::RigDescription description)
        : m_inner(inner), m_description(std::move(description))
    {
        if (m_description.filterWheel)
            wheel.emplace(m_description.filterWheel->order);
        if (m_description.focus)
            focus.emplace();
        if (m_description.heater)
            plant.emplace(*m_description.heater);
    }
    [[nodiscard]] const core::acquisition::RigDescription &description() const override
    {
        return m_description;
    }
    core::acquisition::Camera &camera() override { return m_inner.camera(); }
    core::acquisition::StrobeController &strobe() override { return m_inner.strobe(); }
    [[nodiscard]] QString summary() const override { return QStringLiteral("test rig with devices"); }
    [[nodiscard]] std::chrono::nanoseconds framePeriod() const override { return m_inner.framePeriod(); }
    core::instrument::FilterChanger *filterChanger() override { return wheel ? &*wheel : nullptr; }
    core::instrument::FocusDrive *focusDrive() override { return focus ? &*focus : nullptr; }
    core::instrument::Thermometer *thermometer() override { return plant ? &*plant : nullptr; }
    core::instrument::Heater *heater() override { return plant ? &*plant : nullptr; }

    std::optional<TestFilterWheel> wheel;
    std::optional<TestFocus> focus;
    std::optional<tests::PlantBench> plant;

private:
    core::acquisition::Rig &m_inner;
    core::acquisition::RigDescription m_description;
};

}  // namespace scopesync::testing
