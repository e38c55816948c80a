// LED and trigger outputs on real GPIO lines (libgpiod), with hardware PWM for intensity where the pin has
// it.
#include "hal/gpiod/gpiod_output_lines.h"

#include "hal/gpiod/gpiod_chip_access.h"
#include "hal/gpiod/gpiod_v2_request_config.h"

#include <gpiod.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace scopesync::hal::gpiod {

namespace {
#if SCOPESYNC_LIBGPIOD_V2
using LineHandle = gpiod_line_request *;
#else
using LineHandle = gpiod_line *;
#endif
}  // namespace

struct GpiodOutputLines::Line {
    OutputLineSpec spec;
    std::unique_ptr<PwmChannel> pwm;
    LineHandle handle = nullptr;
    std::vector<std::pair<int, LineHandle>> ganged;  // offset, handle
    // Read by isActive() from other threads while the strobe thread writes.
    std::unique_ptr<std::atomic<bool>> active = std::make_unique<std::atomic<bool>>(false);
};

struct GpiodOutputLines::Handles {
    gpiod_chip *chip = nullptr;

    ~Handles()
    {
        if (chip)
            gpiod_chip_close(chip);
    }
};

namespace {
core::Error writeError(const QString &chip, const OutputLineSpec &s)
{
    return core::Error {QStringLiteral("driving GPIO %1 line %2 (%3) failed: %4")
                            .arg(chip)
                            .arg(s.offset)
                            .arg(s.name, QString::fromLocal8Bit(std::strerror(errno))),
        QStringLiteral("lines")};
}

#if SCOPESYNC_LIBGPIOD_V2
using RequestConfig = GpiodV2RequestConfig;
#endif

// Requests one line as an output, inactive; the error names the chip, the line and who holds it.
core::Result<LineHandle> requestLine(gpiod_chip *chipHandle, const QString &chip,
    [[maybe_unused]] std::size_t numLines, int offset, const OutputLineSpec &spec, const QByteArray &consumer)
{
    const unsigned int off = static_cast<unsigned int>(offset);
#if SCOPESYNC_LIBGPIOD_V2
    if (offset < 0 || std::size_t(offset) >= numLines)
        return core::Error {QStringLiteral("%1 has no line %2 (it has %3 lines); fix the %4 line number")
                                .arg(chip)
                                .arg(offset)
                                .arg(numLines)
                                .arg(spec.name),
            QStringLiteral("lines")};
    RequestConfig cfg;
    if (!cfg.allocated())
        return lineRequestError(chip, offset, spec.name, ENOMEM, {});
    // Output, driven inactive from the moment of the request (v1 requests with default value 0);
    // active-low lines (the trigger output) idle high and "active" drives them low.
    gpiod_line_settings_set_active_low(cfg.settings, spec.activeLow);
    if (gpiod_line_settings_set_direction(cfg.settings, GPIOD_LINE_DIRECTION_OUTPUT) != 0
        || gpiod_line_settings_set_output_value(cfg.settings, GPIOD_LINE_VALUE_INACTIVE) != 0
        || gpiod_line_config_add_line_settings(cfg.lineConfig, &off, 1, cfg.settings) != 0)
        return lineRequestError(chip, offset, spec.name, errno, {});
    gpiod_request_config_set_consumer(cfg.requestConfig, consumer.constData());
    LineHandle h = gpiod_chip_request_lines(chipHandle, cfg.requestConfig, cfg.lineConfig);
    if (!h) {
        const int err = errno;
        QString holder;
        if (gpiod_line_info *lineInfo = gpiod_chip_get_line_info(chipHandle, off)) {
            if (const char *c = gpiod_line_info_get_consumer(lineInfo))
                holder = QString::fromLocal8Bit(c);
            gpiod_line_info_free(lineInfo);
        }
        return lineRequestError(chip, offset, spec.name, err, holder);
    }
#else
    LineHandle h = gpiod_chip_get_line(chipHandle, off);
    if (!h)
        return core::Error {QStringLiteral("%1 has no line %2 (it has %3 lines); fix the %4 line number")
                                .arg(chip)
                                .arg(offset)
                                .arg(gpiod_chip_num_lines(chipHandle))
                                .arg(spec.name),
            QStringLiteral("lines")};
    const int flags = spec.activeLow ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    if (gpiod_line_request_output_flags(h, consumer.constData(), flags, 0) != 0) {
        const int err = errno;
        gpiod_line_update(h);
        const char *holder = gpiod_line_consumer(h);
        const core::Error e = lineRequestError(
            chip, offset, spec.name, err, holder ? QString::fromLocal8Bit(holder) : QString());
        return e;
    }
#endif
    return h;
}

bool writeLine(LineHandle handle, int offset, bool active)
{
#if SCOPESYNC_LIBGPIOD_V2
    return handle
        && gpiod_line_request_set_value(handle, static_cast<unsigned int>(offset),
               active ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE)
        == 0;
#else
    (void)offset;
    return handle && gpiod_line_set_value(handle, active ? 1 : 0) == 0;
#endif
}

void releaseLine(LineHandle handle)
{
    if (!handle)
        return;
#if SCOPESYNC_LIBGPIOD_V2
    gpiod_line_request_release(handle);
#else
    gpiod_line_release(handle);
#endif
}

}  // namespace

core::Result<std::unique_ptr<GpiodOutputLines>> GpiodOutputLines::open(
    const QString &chip, const std::vector<OutputLineSpec> &lines, const QString &consumer)
{
    std::unique_ptr<GpiodOutputLines> out(new GpiodOutputLines);
    out->m_h = std::make_unique<Handles>();
    out->m_chip = chip;
    const QByteArray consumerBytes = consumer.toLocal8Bit();
    errno = 0;
#if SCOPESYNC_LIBGPIOD_V2
    out->m_h->chip = gpiod_chip_open(chipDevicePath(chip).toLocal8Bit().constData());
#else
    out->m_h->chip = gpiod_chip_open_lookup(chipDevicePath(chip).toLocal8Bit().constData());
#endif
    if (!out->m_h->chip)
        return chipOpenError(chip, errno ? errno : ENOENT);
#if SCOPESYNC_LIBGPIOD_V2
    // v1 reads the line count when it opens the chip and refuses an offset beyond it by name; v2 would
    // only get the kernel's bare EINVAL from the request.
    gpiod_chip_info *info = gpiod_chip_get_info(out->m_h->chip);
    if (!info)
        return chipOpenError(chip, errno ? errno : ENOTTY);
    const std::size_t numLines = gpiod_chip_info_get_num_lines(info);
    gpiod_chip_info_free(info);
#else
    const std::size_t numLines = 0;  // v1 names the line count itself
#endif

    for (const OutputLineSpec &spec : lines) {
        Line l;
        l.spec = spec;
        if (spec.tryPwm) {
            if (const auto ch = PwmChannel::channelForBcm(spec.offset)) {
                auto pwm = PwmChannel::open(spec.offset, *ch);
                if (pwm.ok()) {
                    l.pwm = std::move(pwm).value();
                    out->m_notes << QStringLiteral("%1: hardware PWM %2 (BCM %3), intensity adjustable")
                                        .arg(spec.name, l.pwm->path())
                                        .arg(spec.offset);
                    out->m_lines.push_back(std::move(l));
                    continue;
                }
                out->m_notes << QStringLiteral("%1: %2 line %3, on/off only: %4")
                                    .arg(spec.name, chip)
                                    .arg(spec.offset)
                                    .arg(pwm.error().message);
            } else {
                out->m_notes << QStringLiteral("%1: %2 line %3, on/off only (BCM %3 has no hardware PWM; "
                                               "BCM 12, 13, 18 and 19 do)")
                                    .arg(spec.name, chip)
                                    .arg(spec.offset);
            }
        } else {
            out->m_notes << QStringLiteral("%1: %2 line %3%4")
                                .arg(spec.name, chip)
                                .arg(spec.offset)
                                .arg(spec.activeLow ? QStringLiteral(", active low") : QString());
        }
        auto handle = requestLine(out->m_h->chip, chip, numLines, spec.offset, spec, consumerBytes);
        if (!handle.ok())
            return handle.error();
        l.handle = *handle;
        for (int g : spec.gangedOffsets) {
            auto gh = requestLine(out->m_h->chip, chip, numLines, g, spec, consumerBytes);
            if (!gh.ok()) {
                // Whatever was requested for this colour is released with the rest by the destructor.
                out->m_lines.push_back(std::move(l));
                return gh.error();
            }
            l.ganged.emplace_back(g, *gh);
        }
        if (!spec.gangedOffsets.isEmpty()) {
            QStringList g;
            for (int o : spec.gangedOffsets)
                g << QString::number(o);
            out->m_notes << QStringLiteral("%1: ganged with lines %2 (on/off, switched with line %3)")
                                .arg(spec.name, g.join(QStringLiteral(", ")))
                                .arg(spec.offset);
        }
        out->m_lines.push_back(std::move(l));
    }
    return out;
}

GpiodOutputLines::~GpiodOutputLines()
{
    // Inactive before release: a released line keeps its last value on most chips.
    for (int i = 0; i < count(); ++i)
        (void)set(i, false);
    for (Line &l : m_lines) {
        releaseLine(l.handle);
        for (auto &g : l.ganged)
            releaseLine(g.second);
    }
    m_lines.clear();
}

int GpiodOutputLines::count() const
{
    return static_cast<int>(m_lines.size());
}

QString GpiodOutputLines::name(int index) const
{
    return m_lines[std::size_t(index)].spec.name;
}

core::Status GpiodOutputLines::set(int index, bool active)
{
    if (index < 0 || index >= count())
        return core::Error {QStringLiteral("no output line %1").arg(index), QStringLiteral("lines")};
    Line &l = m_lines[std::size_t(index)];
    if (l.pwm) {
        auto st = l.pwm->set(active);
        if (!st.ok())
            return st;
    } else if (!writeLine(l.handle, l.spec.offset, active)) {
        return writeError(m_chip, l.spec);
    }
    for (const auto &[offset, handle] : l.ganged)
        if (!writeLine(handle, offset, active))
            return writeError(m_chip, l.spec);
    l.active->store(active, std::memory_order_release);
    return core::Ok {};
}

bool GpiodOutputLines::isActive(int index) const
{
    if (index < 0 || index >= count())
        return false;
    return m_lines[std::size_t(index)].active->load(std::memory_order_acquire);
}

bool GpiodOutputLines::setIntensity(int index, int perMille)
{
    if (index < 0 || index >= count() || !m_lines[std::size_t(index)].pwm)
        return false;
    m_lines[std::size_t(index)].pwm->setIntensity(perMille);
    return true;
}

}  // namespace scopesync::hal::gpiod
