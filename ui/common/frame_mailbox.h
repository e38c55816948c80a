// FrameMailbox: hands the newest preview frame from the camera worker to the GUI; older unread ones are
// dropped.
#pragma once

#include "ui/preview/preview_frame.h"

#include <atomic>
#include <memory>
#include <mutex>

namespace scopesync::ui {

// The camera side never waits for the GUI: put() replaces an unread frame (counting it as dropped) and
// returns at once. The lock is held only to swap a pointer.
class FrameMailbox {
public:
    // Returns true when the box was empty, i.e. the reader needs a wake-up (one per batch, not per frame).
    bool put(std::shared_ptr<const PreviewFrame> frame);
    // The newest frame, or null when nothing arrived since the last take().
    std::shared_ptr<const PreviewFrame> take();

    [[nodiscard]] qint64 delivered() const { return m_delivered.load(); }
    [[nodiscard]] qint64 dropped() const { return m_dropped.load(); }
    [[nodiscard]] qint64 posted() const { return m_posted.load(); }

private:
    std::mutex m_mutex;  // guards m_slot
    std::shared_ptr<const PreviewFrame> m_slot;
    std::atomic<qint64> m_posted {0};
    std::atomic<qint64> m_delivered {0};
    std::atomic<qint64> m_dropped {0};
};

}  // namespace scopesync::ui
