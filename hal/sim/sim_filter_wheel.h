// SimFilterWheel: the simulated filter wheel. A move takes its time per position passed; while it moves no
// filter is in the light path, and the sensor asks which filter was in place when it exposed.
#pragma once

#include "core/instrument/devices.h"
#include "core/instrument/instrument_description.h"

#include <deque>
#include <mutex>

namespace scopesync::hal::sim {

class SimFilterWheel final : public core::instrument::FilterChanger {
public:
    explicit SimFilterWheel(core::instrument::FilterWheelDescription description);

    [[nodiscard]] QStringList positions() const override { return m_description.order; }
    core::Status home() override;
    core::Status moveTo(const QString &filter) override;
    core::Status waitSettled(std::chrono::milliseconds timeout) override;
    [[nodiscard]] std::optional<QString> current() const override;
    [[nodiscard]] std::chrono::milliseconds moveTime(const QString &from, const QString &to) const override;
    void release() override { }

    // The filter in the light path at `t` (nullopt while moving or before homing), for the sensor.
    [[nodiscard]] std::optional<QString> filterAt(core::MonoTime t) const;
    [[nodiscard]] int moves() const;

private:
    // One stretch of the wheel's history: from `from` on, `filter` (none: moving or unknown).
    struct Segment {
        core::MonoTime from {};
        std::optional<QString> filter;
    };
    [[nodiscard]] std::optional<QString> filterAtLocked(core::MonoTime t) const;

    core::instrument::FilterWheelDescription m_description;
    mutable std::mutex m_mutex;  // protects the history and the move count
    std::deque<Segment> m_history;  // oldest first; the last may lie in the future (the move's arrival)
    int m_moves = 0;
};

}  // namespace scopesync::hal::sim
