// StatusStrip: the rig's state in one wrapping line — rig, sensor mode, trigger, fps, pulses, drops, LEDs.
#pragma once

#include "ui/common/rig_status.h"

#include <QLabel>

namespace scopesync::ui {

class StatusStrip : public QLabel {
    Q_OBJECT

public:
    explicit StatusStrip(QWidget *parent = nullptr);
    void setStatus(const RigStatus &status);
    [[nodiscard]] const RigStatus &status() const { return m_status; }

private:
    static QString instrumentText(const RigStatus &s);
    RigStatus m_status;
};

}  // namespace scopesync::ui
