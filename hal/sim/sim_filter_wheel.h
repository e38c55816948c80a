// SimFilterWheel: the simulated filter wheel. Its raw positions are servo-like pulse widths; each filter
// really sits a few units off its nominal slot (simFilterCentre), and a filter passes less of the beam the
// further the wheel stands from its centre. A move takes its time; while it moves no filter is in the light
// path, and the sensor asks which filter, and how much of the beam, was in place when it exposed.
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
    // 500–2500, like a servo.
    core::Status moveToRaw(int at) override;
    core::Status waitSettled(std::chrono::milliseconds timeout) override;
    [[nodiscard]] std::optional<QString> current() const override;
    [[nodiscard]] std::chrono::milliseconds moveTime(const QString &from, const QString &to) const override;
    void release() override { }

    // What the sensor sees through the wheel at `t`: the filter in the beam and the fraction of the beam
    // it passes (none while moving or between filters).
    struct Optics {
        QString filter;
        double pass = 1.0;
    };
    [[nodiscard]] std::optional<Optics> opticsAt(core::MonoTime t) const;
    // The filter in the light path at `t` (nullopt while moving or between filters), for the sensor.
    [[nodiscard]] std::optional<QString> filterAt(core::MonoTime t) const;
    [[nodiscard]] int moves() const;

private:
    // One stretch of the wheel's history: from `from` on, at raw position `raw` (none: moving).
    struct Segment {
        core::MonoTime from {};
        std::optional<int> raw;
    };
    [[nodiscard]] std::optional<int> rawAtLocked(core::MonoTime t) const;
    core::Status moveLocked(int at);

    core::instrument::FilterWheelDescription m_description;
    mutable std::mutex m_mutex;  // protects the history and the move count
    std::deque<Segment> m_history;  // oldest first; the last may lie in the future (the move's arrival)
    int m_moves = 0;
};

}  // namespace scopesync::hal::sim
