// A filter wheel turned by a stepper: each filter is a position in steps from the homed stop.
#pragma once

#include "core/instrument/devices.h"
#include "core/instrument/instrument_description.h"
#include "hal/instrument/stepper_drive.h"

#include <memory>

namespace scopesync::hal::instrument {

class StepperFilterWheel final : public core::instrument::FilterChanger {
public:
    StepperFilterWheel(
        core::instrument::FilterWheelDescription description, std::unique_ptr<StepperDrive> drive);

    [[nodiscard]] QStringList positions() const override { return m_d.order; }
    core::Status home() override { return m_drive->home(); }
    core::Status moveTo(const QString &filter) override;
    core::Status moveToRaw(int at) override { return m_drive->moveTo(at); }
    core::Status waitSettled(std::chrono::milliseconds timeout) override
    {
        return m_drive->waitSettled(timeout);
    }
    [[nodiscard]] std::optional<QString> current() const override;
    [[nodiscard]] std::chrono::milliseconds moveTime(const QString &from, const QString &to) const override;
    void release() override { m_drive->release(); }

    [[nodiscard]] StepperDrive &drive() { return *m_drive; }

private:
    core::instrument::FilterWheelDescription m_d;
    std::unique_ptr<StepperDrive> m_drive;
};

}  // namespace scopesync::hal::instrument
