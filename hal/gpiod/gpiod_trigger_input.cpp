// The XVS trigger input on a real GPIO line: falling edges only, each with the kernel's monotonic timestamp.
#include "hal/gpiod/gpiod_trigger_input.h"

#include "hal/gpiod/gpiod_chip_access.h"
#include "hal/gpiod/gpiod_v2_request_config.h"

#include <gpiod.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace scopesync::hal::gpiod {

using strobe::MonoTime;

namespace {
core::Error readError(const QString &chip, int offset)
{
    return core::Error {QStringLiteral("reading edges of GPIO %1 line %2 failed: %3")
                            .arg(chip)
                            .arg(offset)
                            .arg(QString::fromLocal8Bit(std::strerror(errno))),
        QStringLiteral("lines.xvs")};
}
}  // namespace

#if SCOPESYNC_LIBGPIOD_V2

// libgpiod 2.x: a line request with the monotonic event clock and a one-event buffer.
struct GpiodTriggerInput::Handles {
    gpiod_chip *chip = nullptr;
    gpiod_line_request *request = nullptr;
    gpiod_edge_event_buffer *buffer = nullptr;
    ~Handles()
    {
        if (buffer)
            gpiod_edge_event_buffer_free(buffer);
        if (request)
            gpiod_line_request_release(request);
        if (chip)
            gpiod_chip_close(chip);
    }
};

namespace {
using RequestConfig = GpiodV2RequestConfig;
}  // namespace

core::Result<std::unique_ptr<GpiodTriggerInput>> GpiodTriggerInput::open(
    const QString &chip, int offset, const QString &consumer)
{
    const QString role = QStringLiteral("XVS trigger input");
    std::unique_ptr<GpiodTriggerInput> in(new GpiodTriggerInput);
    in->m_h = std::make_unique<Handles>();
    in->m_chip = chip;
    in->m_offset = offset;
    errno = 0;
    in->m_h->chip = gpiod_chip_open(chipDevicePath(chip).toLocal8Bit().constData());
    if (!in->m_h->chip)
        return chipOpenError(chip, errno ? errno : ENOENT);
    // v1 reads the chip info when it opens the chip and refuses an offset beyond it by name; v2 would
    // only get the kernel's bare EINVAL from the request, so ask for the line count here.
    gpiod_chip_info *info = gpiod_chip_get_info(in->m_h->chip);
    if (!info)
        return chipOpenError(chip, errno ? errno : ENOTTY);
    const std::size_t numLines = gpiod_chip_info_get_num_lines(info);
    gpiod_chip_info_free(info);
    if (offset < 0 || std::size_t(offset) >= numLines)
        return core::Error {QStringLiteral("%1 has no line %2 (it has %3 lines); set \"lines\": {\"xvs\": …}")
                                .arg(chip)
                                .arg(offset)
                                .arg(numLines),
            QStringLiteral("lines.xvs")};

    RequestConfig cfg;
    if (!cfg.allocated())
        return lineRequestError(chip, offset, role, ENOMEM, {});
    const unsigned int off = static_cast<unsigned int>(offset);
    // Input with falling-edge detection only, stamped by the kernel on CLOCK_MONOTONIC (the clock v1's
    // events use and the strobe engine schedules on). Not active-low: with active-low the kernel swaps
    // the edges and "falling" would report the physical rising edge of XVS.
    if (gpiod_line_settings_set_direction(cfg.settings, GPIOD_LINE_DIRECTION_INPUT) != 0
        || gpiod_line_settings_set_edge_detection(cfg.settings, GPIOD_LINE_EDGE_FALLING) != 0
        || gpiod_line_settings_set_event_clock(cfg.settings, GPIOD_LINE_CLOCK_MONOTONIC) != 0
        || gpiod_line_config_add_line_settings(cfg.lineConfig, &off, 1, cfg.settings) != 0)
        return lineRequestError(chip, offset, role, errno, {});
    const QByteArray consumerBytes = consumer.toLocal8Bit();
    gpiod_request_config_set_consumer(cfg.requestConfig, consumerBytes.constData());
    in->m_h->request = gpiod_chip_request_lines(in->m_h->chip, cfg.requestConfig, cfg.lineConfig);
    if (!in->m_h->request) {
        const int err = errno;
        QString holder;
        if (gpiod_line_info *lineInfo = gpiod_chip_get_line_info(in->m_h->chip, off)) {
            if (const char *c = gpiod_line_info_get_consumer(lineInfo))
                holder = QString::fromLocal8Bit(c);
            gpiod_line_info_free(lineInfo);
        }
        return lineRequestError(chip, offset, role, err, holder);
    }
    in->m_h->buffer = gpiod_edge_event_buffer_new(1);
    if (!in->m_h->buffer)
        return readError(chip, offset);
    return in;
}

int GpiodTriggerInput::eventFd() const
{
    return gpiod_line_request_get_fd(m_h->request);
}

core::Result<std::optional<MonoTime>> GpiodTriggerInput::readEdge()
{
    // One event per call, as v1 reads them: the rest stay queued in the kernel for the next call.
    if (gpiod_line_request_read_edge_events(m_h->request, m_h->buffer, 1) != 1)
        return readError(m_chip, m_offset);
    gpiod_edge_event *ev = gpiod_edge_event_buffer_get_event(m_h->buffer, 0);
    return std::optional<MonoTime>(MonoTime(static_cast<qint64>(gpiod_edge_event_get_timestamp_ns(ev))));
}

#else

// libgpiod 1.6: falling-edge events; the kernel stamps them with CLOCK_MONOTONIC (Linux ≥ 5.7 uses the
// monotonic clock by default and 1.6 has no flag to choose another).
struct GpiodTriggerInput::Handles {
    gpiod_chip *chip = nullptr;
    gpiod_line *line = nullptr;
    ~Handles()
    {
        if (line)
            gpiod_line_release(line);
        if (chip)
            gpiod_chip_close(chip);
    }
};

core::Result<std::unique_ptr<GpiodTriggerInput>> GpiodTriggerInput::open(
    const QString &chip, int offset, const QString &consumer)
{
    std::unique_ptr<GpiodTriggerInput> in(new GpiodTriggerInput);
    in->m_h = std::make_unique<Handles>();
    in->m_chip = chip;
    in->m_offset = offset;
    errno = 0;
    in->m_h->chip = gpiod_chip_open_lookup(chipDevicePath(chip).toLocal8Bit().constData());
    if (!in->m_h->chip)
        return chipOpenError(chip, errno ? errno : ENOENT);
    gpiod_line *line = gpiod_chip_get_line(in->m_h->chip, static_cast<unsigned int>(offset));
    if (!line)
        return core::Error {QStringLiteral("%1 has no line %2 (it has %3 lines); set \"lines\": {\"xvs\": …}")
                                .arg(chip)
                                .arg(offset)
                                .arg(gpiod_chip_num_lines(in->m_h->chip)),
            QStringLiteral("lines.xvs")};
    const QByteArray consumerBytes = consumer.toLocal8Bit();
    if (gpiod_line_request_falling_edge_events(line, consumerBytes.constData()) != 0) {
        const int err = errno;
        gpiod_line_update(line);
        const char *holder = gpiod_line_consumer(line);
        return lineRequestError(chip, offset, QStringLiteral("XVS trigger input"), err,
            holder ? QString::fromLocal8Bit(holder) : QString());
    }
    in->m_h->line = line;
    return in;
}

int GpiodTriggerInput::eventFd() const
{
    return gpiod_line_event_get_fd(m_h->line);
}

core::Result<std::optional<MonoTime>> GpiodTriggerInput::readEdge()
{
    gpiod_line_event ev {};
    if (gpiod_line_event_read(m_h->line, &ev) != 0)
        return readError(m_chip, m_offset);
    return std::optional<MonoTime>(core::monoFromNs(qint64(ev.ts.tv_sec) * 1'000'000'000 + ev.ts.tv_nsec));
}

#endif

GpiodTriggerInput::GpiodTriggerInput() : m_wakeFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
}

GpiodTriggerInput::~GpiodTriggerInput()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
}

core::Result<std::optional<MonoTime>> GpiodTriggerInput::waitEdge(std::chrono::nanoseconds timeout)
{
    const auto ns = std::max<qint64>(0, timeout.count());
    const timespec ts {static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    pollfd fds[2] = {{eventFd(), POLLIN, 0}, {m_wakeFd, POLLIN, 0}};
    const int ready = ppoll(fds, m_wakeFd >= 0 ? 2 : 1, &ts, nullptr);
    if (ready < 0 && errno == EINTR)
        return std::optional<MonoTime> {};  // a signal: the caller waits again
    if (ready < 0)
        return readError(m_chip, m_offset);
    if (ready == 0)
        return std::optional<MonoTime> {};
    if (m_wakeFd >= 0 && (fds[1].revents & POLLIN)) {
        std::uint64_t count = 0;
        (void)!::read(m_wakeFd, &count, sizeof count);
    }
    if (fds[0].revents & POLLIN)
        return readEdge();
    if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
        errno = EIO;
        return readError(m_chip, m_offset);
    }
    return std::optional<MonoTime> {};  // woken
}

void GpiodTriggerInput::wake()
{
    if (m_wakeFd < 0)
        return;
    const std::uint64_t one = 1;
    (void)!::write(m_wakeFd, &one, sizeof one);
}

}  // namespace scopesync::hal::gpiod
