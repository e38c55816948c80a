// The XVS trigger input on a real GPIO line: falling edges only, each with the kernel's monotonic timestamp.
#include "hal/gpiod/gpiod_trigger_input.h"

#include "hal/gpiod/gpiod_chip_access.h"

#include <gpiod.h>

#include <cerrno>
#include <cstring>

namespace scopesync::hal::gpiod {

using strobe::MonoNs;

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

core::Result<std::unique_ptr<GpiodTriggerInput>> GpiodTriggerInput::open(
    const QString &chip, int offset, const QString &consumer)
{
    std::unique_ptr<GpiodTriggerInput> in(new GpiodTriggerInput);
    in->m_h = std::make_unique<Handles>();
    in->m_chip = chip;
    in->m_offset = offset;
    in->m_h->chip = gpiod_chip_open(chipDevicePath(chip).toLocal8Bit().constData());
    if (!in->m_h->chip)
        return chipOpenError(chip, errno);
    gpiod_line_settings *settings = gpiod_line_settings_new();
    gpiod_line_config *lineConfig = gpiod_line_config_new();
    gpiod_request_config *requestConfig = gpiod_request_config_new();
    gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_INPUT);
    gpiod_line_settings_set_edge_detection(settings, GPIOD_LINE_EDGE_FALLING);
    gpiod_line_settings_set_event_clock(settings, GPIOD_LINE_CLOCK_MONOTONIC);
    const unsigned int off = static_cast<unsigned int>(offset);
    gpiod_line_config_add_line_settings(lineConfig, &off, 1, settings);
    const QByteArray consumerBytes = consumer.toLocal8Bit();
    gpiod_request_config_set_consumer(requestConfig, consumerBytes.constData());
    in->m_h->request = gpiod_chip_request_lines(in->m_h->chip, requestConfig, lineConfig);
    const int err = errno;
    gpiod_request_config_free(requestConfig);
    gpiod_line_config_free(lineConfig);
    gpiod_line_settings_free(settings);
    if (!in->m_h->request) {
        QString holder;
        if (gpiod_line_info *info = gpiod_chip_get_line_info(in->m_h->chip, off)) {
            if (const char *c = gpiod_line_info_get_consumer(info))
                holder = QString::fromLocal8Bit(c);
            gpiod_line_info_free(info);
        }
        return lineRequestError(chip, offset, QStringLiteral("XVS trigger input"), err, holder);
    }
    in->m_h->buffer = gpiod_edge_event_buffer_new(1);
    return in;
}

core::Result<std::optional<MonoNs>> GpiodTriggerInput::waitEdge(std::chrono::nanoseconds timeout)
{
    const int ready = gpiod_line_request_wait_edge_events(m_h->request, timeout.count());
    if (ready < 0)
        return readError(m_chip, m_offset);
    if (ready == 0)
        return std::optional<MonoNs> {};
    if (gpiod_line_request_read_edge_events(m_h->request, m_h->buffer, 1) != 1)
        return readError(m_chip, m_offset);
    const gpiod_edge_event *ev = gpiod_edge_event_buffer_get_event(m_h->buffer, 0);
    return std::optional<MonoNs>(MonoNs(static_cast<qint64>(gpiod_edge_event_get_timestamp_ns(ev))));
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

core::Result<std::optional<MonoNs>> GpiodTriggerInput::waitEdge(std::chrono::nanoseconds timeout)
{
    const auto ns = std::max<qint64>(0, timeout.count());
    const timespec ts {static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    const int ready = gpiod_line_event_wait(m_h->line, &ts);
    if (ready < 0)
        return readError(m_chip, m_offset);
    if (ready == 0)
        return std::optional<MonoNs> {};
    gpiod_line_event ev {};
    if (gpiod_line_event_read(m_h->line, &ev) != 0)
        return readError(m_chip, m_offset);
    return std::optional<MonoNs>(MonoNs(qint64(ev.ts.tv_sec) * 1'000'000'000 + ev.ts.tv_nsec));
}

#endif

GpiodTriggerInput::~GpiodTriggerInput() = default;

}  // namespace scopesync::hal::gpiod
