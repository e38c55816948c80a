// InstrumentControls: filter wheel, focus nudge and slide heater by hand, with the temperature plot.
#include "ui/controls/instrument_controls.h"

#include "ui/common/touch_spin_box.h"
#include "ui/controls/temperature_plot.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace scopesync::ui {

namespace {
constexpr double kZeroCelsius = 273.15;
constexpr int kTouchPx = 48;
}  // namespace

InstrumentControls::InstrumentControls(QWidget *parent) : QWidget(parent)
{
    auto *column = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_filter = new QComboBox(this);
    m_filter->setMinimumHeight(kTouchPx);
    form->addRow(tr("Filter"), m_filter);
    m_filterState = new QLabel(this);
    form->addRow(QString(), m_filterState);

    m_focusRow = new QWidget(this);
    auto *nudges = new QHBoxLayout(m_focusRow);
    nudges->setContentsMargins(0, 0, 0, 0);
    for (int steps : {-100, -10, 10, 100}) {
        auto *b = new QPushButton(
            steps > 0 ? QStringLiteral("+%1").arg(steps) : QString::number(steps), m_focusRow);
        b->setMinimumSize(kTouchPx, kTouchPx);
        b->setToolTip(tr("Move the focus %n step(s)", nullptr, steps));
        connect(b, &QPushButton::clicked, this, [this, steps] { Q_EMIT focusNudged(steps); });
        nudges->addWidget(b);
    }
    form->addRow(tr("Focus"), m_focusRow);
    m_focusState = new QLabel(this);
    form->addRow(QString(), m_focusState);

    m_setPoint = new TouchSpinBox(this);
    m_setPoint->setRange(20, 90);
    m_setPoint->setDecimals(1);
    m_setPoint->setSingleStep(0.5);
    m_setPoint->setSuffix(tr(" °C"));
    m_setPoint->setValue(58);
    form->addRow(tr("Set point"), m_setPoint);
    m_heat = new QPushButton(tr("Heat"), this);
    m_heat->setCheckable(true);
    m_heat->setMinimumHeight(kTouchPx);
    form->addRow(QString(), m_heat);
    m_heaterState = new QLabel(this);
    m_heaterState->setWordWrap(true);
    form->addRow(tr("Slide"), m_heaterState);
    column->addLayout(form);
    m_plot = new TemperaturePlot(this);
    column->addWidget(m_plot);
    column->addStretch(1);

    connect(
        m_filter, &QComboBox::activated, this, [this] { Q_EMIT filterRequested(m_filter->currentText()); });
    connect(m_heat, &QPushButton::toggled, this, [this](bool on) {
        Q_EMIT setPointRequested(
            on ? std::optional<double>(m_setPoint->value() + kZeroCelsius) : std::nullopt);
    });
    connect(m_setPoint, &TouchSpinBox::valueChanged, this, [this] {
        if (m_heat->isChecked())
            Q_EMIT setPointRequested(m_setPoint->value() + kZeroCelsius);
    });
    setRig({});
}

void InstrumentControls::setRig(const core::acquisition::RigDescription &rig)
{
    m_hasWheel = rig.filterWheel.has_value();
    m_hasFocus = rig.focus.has_value();
    m_hasHeater = rig.heater.has_value();
    m_filter->clear();
    if (m_hasWheel)
        m_filter->addItems(rig.filterWheel->order);
    m_filter->setEnabled(m_hasWheel);
    m_filterState->setText(m_hasWheel ? QString() : tr("this rig has no filter wheel"));
    m_focusRow->setEnabled(m_hasFocus);
    m_focusState->setText(m_hasFocus ? QString() : tr("this rig has no focus drive"));
    m_setPoint->setEnabled(m_hasHeater);
    m_heat->setEnabled(m_hasHeater);
    m_heat->setChecked(false);
    if (m_hasHeater)
        m_setPoint->setRange(20, std::min(90.0, rig.heater->maxKelvin - kZeroCelsius - 1.0));
    m_heaterState->setText(m_hasHeater ? QString() : tr("this rig has no heater"));
}

void InstrumentControls::setStatus(const RigStatus &s)
{
    if (m_hasWheel)
        m_filterState->setText(
            s.filterInPlace.isEmpty() ? tr("moving…") : tr("in place: %1").arg(s.filterInPlace));
    if (m_hasFocus)
        m_focusState->setText(s.focusSteps ? tr("at %1 steps").arg(*s.focusSteps) : tr("moving…"));
    if (!m_hasHeater)
        return;
    if (!s.heaterFault.isEmpty()) {
        m_heaterState->setText(tr("heater off: %1").arg(s.heaterFault));
        return;
    }
    if (!s.temperatureKelvin) {
        m_heaterState->setText(tr("no reading"));
        return;
    }
    const double c = *s.temperatureKelvin - kZeroCelsius;
    m_heaterState->setText(s.setPointKelvin ? tr("%1 °C → %2 °C, heater %3 %")
                                                  .arg(c, 0, 'f', 2)
                                                  .arg(*s.setPointKelvin - kZeroCelsius, 0, 'f', 1)
                                                  .arg(s.heaterDutyPerMille / 10.0, 0, 'f', 0)
                                            : tr("%1 °C, heater off").arg(c, 0, 'f', 2));
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    m_plot->addSample(
        now, c, s.setPointKelvin ? std::optional<double>(*s.setPointKelvin - kZeroCelsius) : std::nullopt);
}

void InstrumentControls::setBusy(bool busy)
{
    m_filter->setEnabled(m_hasWheel && !busy);
    m_focusRow->setEnabled(m_hasFocus && !busy);
    m_heat->setEnabled(m_hasHeater && !busy);
    m_setPoint->setEnabled(m_hasHeater && !busy);
}

}  // namespace scopesync::ui
