// LiveView: pulls preview frames from a rig, optionally strobing an LED on each one, between other work.
#include "core/acquisition/live_view.h"

namespace scopesync::core::acquisition {

LiveView::LiveView(Rig &rig) : m_rig(rig), m_capture(rig)
{
}

LiveView::~LiveView()
{
    stop();
}

Status LiveView::start()
{
    if (m_running)
        return Ok {};
    if (auto s = m_rig.strobe().start(); !s.ok())
        return s;
    if (auto s = m_rig.camera().start(); !s.ok()) {
        m_rig.strobe().stop();
        return s;
    }
    m_running = true;
    return Ok {};
}

void LiveView::stop()
{
    // Always, even when not running: a stop must leave every LED off whatever happened before.
    m_rig.camera().stop();
    m_rig.strobe().stop();
    m_running = false;
}

void LiveView::setStrobe(std::optional<LedPulse> pulse)
{
    if (pulse) {
        const auto limit
            = std::chrono::duration_cast<std::chrono::microseconds>(m_rig.description().maxOnFor(pulse->led));
        if (limit.count() > 0 && pulse->duration > limit)
            pulse->duration = limit;
    }
    m_strobe = std::move(pulse);
}

Result<std::optional<Shot>> LiveView::next(std::chrono::milliseconds timeout)
{
    if (auto s = start(); !s.ok())
        return s.error();
    if (const QString f = m_rig.strobe().fault(); !f.isEmpty())
        return Error {f, QStringLiteral("strobe")};
    if (m_strobe) {
        auto shot = m_capture.strobed({*m_strobe});
        if (!shot.ok())
            return shot.error();
        return std::optional<Shot>(std::move(shot).value());
    }
    auto frame = m_rig.camera().waitFrame(timeout);
    if (!frame)
        return std::optional<Shot>();
    return std::optional<Shot>(Shot {std::move(*frame), std::nullopt, {}});
}

Status LiveView::beginFlash(const QString &led, std::chrono::milliseconds duration)
{
    const auto &rig = m_rig.description();
    if (!rig.leds.contains(led))
        return Error {
            QStringLiteral("the rig has no LED '%1'; use one of %2").arg(led, rig.ledNames().join(u',')),
            QStringLiteral("flash")};
    const auto limit = rig.maxOnFor(led);
    if (duration.count() <= 0 || (limit.count() > 0 && duration > limit))
        return Error {QStringLiteral("a flash of %1 ms on '%2' is outside 1–%3 ms (the rig's led_max_on_ms)")
                          .arg(duration.count())
                          .arg(led)
                          .arg(limit.count()),
            QStringLiteral("flash")};
    if (auto s = start(); !s.ok())
        return s;
    return m_rig.strobe().illuminate(
        {LedPulse {led, std::chrono::microseconds(0), std::chrono::microseconds(duration), 1000}});
}

Status LiveView::endFlash()
{
    return m_rig.strobe().illuminate({});
}

}  // namespace scopesync::core::acquisition
