// InstrumentControls: the filter wheel, focus nudge and slide heater by hand, touch-sized, with the
// temperature plot. Widgets only show and ask: the rig controller does the work.
#pragma once

#include "core/acquisition/rig_description.h"
#include "ui/common/rig_status.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace scopesync::ui {

class TemperaturePlot;
class TouchSpinBox;

class InstrumentControls : public QWidget {
    Q_OBJECT

public:
    explicit InstrumentControls(QWidget *parent = nullptr);

    // Offers what the rig has; sections for missing devices say so instead.
    void setRig(const core::acquisition::RigDescription &rig);
    void setStatus(const RigStatus &status);
    void setBusy(bool busy);  // a run owns the devices

    [[nodiscard]] QComboBox *filterBox() const { return m_filter; }
    [[nodiscard]] TouchSpinBox *setPointBox() const { return m_setPoint; }
    [[nodiscard]] QPushButton *heaterButton() const { return m_heat; }
    [[nodiscard]] TemperaturePlot *plot() const { return m_plot; }

Q_SIGNALS:
    void filterRequested(const QString &filter);
    void focusNudged(int steps);
    // none: heater off.
    void setPointRequested(std::optional<double> kelvin);

private:
    QComboBox *m_filter = nullptr;
    QLabel *m_filterState = nullptr;
    QWidget *m_focusRow = nullptr;
    QLabel *m_focusState = nullptr;
    TouchSpinBox *m_setPoint = nullptr;
    QPushButton *m_heat = nullptr;
    QLabel *m_heaterState = nullptr;
    TemperaturePlot *m_plot = nullptr;
    bool m_hasWheel = false;
    bool m_hasFocus = false;
    bool m_hasHeater = false;
    double m_plotStart = -1;
};

}  // namespace scopesync::ui
