// FleetSchedule: a protocol laid out on a fixed timeline from T.
#include "core/fleet/fleet_schedule.h"

namespace scopesync::core::fleet {

using timing::ActionKind;

namespace {
QString ms(std::chrono::nanoseconds d)
{
    return QString::number(static_cast<double>(d.count()) / 1e6, 'f', 1);
}
}  // namespace

FleetScheduleCursor::FleetScheduleCursor(const protocol::Protocol &protocol, std::chrono::nanoseconds slot)
    : m_plan(protocol), m_slot(slot)
{
    if (m_slot <= std::chrono::nanoseconds(0))
        m_error
            = Error {QStringLiteral("the time per image (slot) must be positive"), QStringLiteral("slot")};
}

bool FleetScheduleCursor::next(ScheduledStep &out)
{
    while (!m_error) {
        timing::PlanAction action;
        if (m_pending) {
            action = std::move(*m_pending);
            m_pending.reset();
        } else if (!m_plan.next(action)) {
            if (!m_lightsOffAt)
                return false;
            out = ScheduledStep {ScheduledStep::Kind::LightsOff, *m_lightsOffAt, {}, {}};
            m_lightsOffAt.reset();
            return true;
        }

        if (action.kind == ActionKind::Capture && action.underContinuousLight) {
            ++m_captureIndex;
            const auto offset = m_lightsOnAt + m_captureIndex * m_capturePeriod - m_slot;
            out = ScheduledStep {ScheduledStep::Kind::Capture, offset, std::move(action), {}};
            return true;
        }
        if (m_lightsOffAt) {
            // The illumination ends before anything that is not one of its captures.
            m_pending = std::move(action);
            out = ScheduledStep {ScheduledStep::Kind::LightsOff, *m_lightsOffAt, {}, {}};
            m_lightsOffAt.reset();
            return true;
        }
        switch (action.kind) {
        case ActionKind::Capture:
            out = ScheduledStep {ScheduledStep::Kind::Capture, m_t, std::move(action), {}};
            m_t += m_slot;
            return true;
        case ActionKind::Wait: m_t += action.duration; continue;
        case ActionKind::SetTemperature:
            out = ScheduledStep {ScheduledStep::Kind::Note, m_t, action,
                QStringLiteral("%1: followers have no heater; the set point %2 K was recorded, not applied")
                    .arg(action.stepPath)
                    .arg(action.temperatureKelvin)};
            return true;
        case ActionKind::Illuminate: {
            const auto guard = lightGuard(m_slot);
            if (action.captures > 0 && action.capturePeriod < m_slot + guard) {
                m_error
                    = Error {QStringLiteral("captures every %1 ms, but each image needs a %2 ms slot on "
                                            "the fleet and %3 ms to hand over after the light comes on; "
                                            "make the capture period at least %4 ms or give a shorter "
                                            "slot (--interval-ms)")
                                 .arg(ms(action.capturePeriod), ms(m_slot), ms(guard), ms(m_slot + guard)),
                        action.stepPath};
                return false;
            }
            m_lightsOnAt = m_t;
            m_capturePeriod = action.capturePeriod;
            m_captureIndex = 0;
            m_lightsOffAt = m_t + action.duration;
            m_t += action.duration + guard;
            out = ScheduledStep {ScheduledStep::Kind::LightsOn, m_lightsOnAt, std::move(action), {}};
            return true;
        }
        }
    }
    return false;
}

Result<FleetScheduleSummary> summarizeSchedule(
    const protocol::Protocol &protocol, std::chrono::nanoseconds slot)
{
    FleetScheduleCursor cursor(protocol, slot);
    FleetScheduleSummary s;
    ScheduledStep step;
    while (cursor.next(step)) {
        switch (step.kind) {
        case ScheduledStep::Kind::Capture:
            ++s.frames;
            s.lastEdge = step.offset;
            s.end = std::max(s.end, step.offset + slot);
            break;
        case ScheduledStep::Kind::LightsOn: s.end = std::max(s.end, step.offset); break;
        case ScheduledStep::Kind::LightsOff: s.end = std::max(s.end, step.offset); break;
        case ScheduledStep::Kind::Note: ++s.notes; break;
        }
    }
    if (cursor.error())
        return *cursor.error();
    s.end = std::max(s.end, cursor.position());
    return s;
}

}  // namespace scopesync::core::fleet
