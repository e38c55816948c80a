// The small line interfaces the strobe engine drives: a trigger input and a set of output lines.
#pragma once

#include "core/acquisition/ports.h"
#include "core/common/result.h"

#include <QString>

#include <chrono>
#include <optional>

namespace scopesync::hal::strobe {

using core::acquisition::MonoTime;

// A trigger (XVS) input requested for falling edges only, each with the kernel's CLOCK_MONOTONIC
// timestamp taken in the interrupt handler.
class TriggerInput {
public:
    virtual ~TriggerInput() = default;
    // The next edge, waiting at most `timeout`; nullopt on timeout, or when wake() was called.
    virtual core::Result<std::optional<MonoTime>> waitEdge(std::chrono::nanoseconds timeout) = 0;
    // From any thread: makes the waitEdge() in progress, or else the next one, return at once, so that
    // the strobe thread can sleep on its trigger source for as long as nothing else needs it.
    virtual void wake() = 0;
};

// Output lines (LEDs, a trigger output) addressed by index. `set` must be cheap and must not block:
// it is called from the real-time thread at the LED edge.
class OutputLines {
public:
    virtual ~OutputLines() = default;
    [[nodiscard]] virtual int count() const = 0;
    [[nodiscard]] virtual QString name(int index) const = 0;
    virtual core::Status set(int index, bool active) = 0;
    [[nodiscard]] virtual bool isActive(int index) const = 0;
    // PWM duty for lines that have hardware PWM; others are on/off only (returns false).
    virtual bool setIntensity(int index, int perMille)
    {
        (void)index;
        (void)perMille;
        return false;
    }
};

}  // namespace scopesync::hal::strobe
