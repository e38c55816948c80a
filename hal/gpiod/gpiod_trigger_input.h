// The XVS trigger input on a real GPIO line: falling edges only, each with the kernel's monotonic timestamp.
#pragma once

#include "hal/strobe/line_interfaces.h"

#include <memory>

namespace scopesync::hal::gpiod {

class GpiodTriggerInput final : public strobe::TriggerInput {
public:
    // Requests `offset` on `chip` ("gpiochip0", "/dev/gpiochip0" or "0") for falling-edge events.
    static core::Result<std::unique_ptr<GpiodTriggerInput>> open(
        const QString &chip, int offset, const QString &consumer = QStringLiteral("scopesync-xvs"));
    ~GpiodTriggerInput() override;

    GpiodTriggerInput(const GpiodTriggerInput &) = delete;
    GpiodTriggerInput &operator=(const GpiodTriggerInput &) = delete;

    // The kernel queues edges; each call returns the oldest one not yet read. It polls the line's event
    // file and an eventfd, which wake() writes.
    core::Result<std::optional<strobe::MonoTime>> waitEdge(std::chrono::nanoseconds timeout) override;
    void wake() override;

private:
    GpiodTriggerInput();
    struct Handles;
    [[nodiscard]] int eventFd() const;  // the line request's file, readable when an edge is queued
    core::Result<std::optional<strobe::MonoTime>> readEdge();  // one queued edge
    std::unique_ptr<Handles> m_h;
    int m_wakeFd = -1;  // eventfd; -1 if the kernel refused one (then waits are not woken early)
    QString m_chip;
    int m_offset = 0;
};

}  // namespace scopesync::hal::gpiod
