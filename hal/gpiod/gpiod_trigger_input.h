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

    // The kernel queues edges; each call returns the oldest one not yet read.
    core::Result<std::optional<strobe::MonoTime>> waitEdge(std::chrono::nanoseconds timeout) override;

private:
    GpiodTriggerInput() = default;
    struct Handles;
    std::unique_ptr<Handles> m_h;
    QString m_chip;
    int m_offset = 0;
};

}  // namespace scopesync::hal::gpiod
