// A filter wheel turned by a stepper.
#include "hal/instrument/stepper_filter_wheel.h"

namespace scopesync::hal::instrument {

StepperFilterWheel::StepperFilterWheel(
    core::instrument::FilterWheelDescription description, std::unique_ptr<StepperDrive> drive)
    : m_d(std::move(description)), m_drive(std::move(drive))
{
}

core::Status StepperFilterWheel::moveTo(const QString &filter)
{
    if (!m_d.positions.contains(filter))
        return core::Error {QStringLiteral("the filter wheel has no filter '%1'; it holds %2")
                                .arg(filter, m_d.order.join(QStringLiteral(", "))),
            QStringLiteral("filter wheel")};
    return m_drive->moveTo(m_d.positions.value(filter));
}

std::optional<QString> StepperFilterWheel::current() const
{
    const auto at = m_drive->position();
    if (!at)
        return std::nullopt;
    for (const QString &name : m_d.order)
        if (m_d.positions.value(name, INT_MIN) == *at)
            return name;
    return std::nullopt;
}

std::chrono::milliseconds StepperFilterWheel::moveTime(const QString &from, const QString &to) const
{
    return m_drive->moveTime(m_d.positions.value(from, 0), m_d.positions.value(to, 0));
}

}  // namespace scopesync::hal::instrument
