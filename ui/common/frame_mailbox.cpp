// FrameMailbox: hands the newest preview frame from the camera worker to the GUI; older unread ones are
// dropped.
#include "ui/common/frame_mailbox.h"

namespace scopesync::ui {

bool FrameMailbox::put(std::shared_ptr<const PreviewFrame> frame)
{
    std::shared_ptr<const PreviewFrame> old;  // released outside the lock: freeing 24 MB takes a moment
    bool wasEmpty = false;
    {
        const std::lock_guard lock(m_mutex);
        old = std::exchange(m_slot, std::move(frame));
        wasEmpty = !old;
    }
    ++m_posted;
    if (!wasEmpty)
        ++m_dropped;
    return wasEmpty;
}

std::shared_ptr<const PreviewFrame> FrameMailbox::take()
{
    std::shared_ptr<const PreviewFrame> f;
    {
        const std::lock_guard lock(m_mutex);
        f = std::exchange(m_slot, nullptr);
    }
    if (f)
        ++m_delivered;
    return f;
}

}  // namespace scopesync::ui
