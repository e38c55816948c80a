// TouchSpinBox: a number field with finger-sized − and + buttons either side (48 px targets).
#include "ui/common/touch_spin_box.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QToolButton>

namespace scopesync::ui {

TouchSpinBox::TouchSpinBox(QWidget *parent) : QWidget(parent)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    m_minus = new QToolButton(this);
    m_minus->setText(QStringLiteral("−"));
    m_plus = new QToolButton(this);
    m_plus->setText(QStringLiteral("+"));
    m_spin = new QDoubleSpinBox(this);
    // The small arrow buttons are too small for a finger; the side buttons replace them. A press held
    // down repeats, like the arrows did.
    m_spin->setButtonSymbols(QAbstractSpinBox::NoButtons);
    m_spin->setAlignment(Qt::AlignCenter);
    m_spin->setMinimumHeight(kTargetPx);
    m_spin->setMinimumWidth(kTargetPx);
    m_spin->setDecimals(0);
    m_spin->setKeyboardTracking(false);
    for (auto *b : {m_minus, m_plus}) {
        b->setMinimumSize(kTargetPx, kTargetPx);
        b->setAutoRepeat(true);
        b->setFocusPolicy(Qt::NoFocus);
    }
    row->addWidget(m_minus);
    row->addWidget(m_spin, 1);
    row->addWidget(m_plus);
    connect(m_minus, &QToolButton::clicked, m_spin, &QDoubleSpinBox::stepDown);
    connect(m_plus, &QToolButton::clicked, m_spin, &QDoubleSpinBox::stepUp);
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, &TouchSpinBox::valueChanged);
}

void TouchSpinBox::setRange(double min, double max)
{
    m_spin->setRange(min, max);
}

void TouchSpinBox::setDecimals(int decimals)
{
    m_spin->setDecimals(decimals);
}

void TouchSpinBox::setSingleStep(double step)
{
    m_spin->setSingleStep(step);
}

void TouchSpinBox::setSuffix(const QString &suffix)
{
    m_spin->setSuffix(suffix);
}

void TouchSpinBox::setPrefix(const QString &prefix)
{
    m_spin->setPrefix(prefix);
}

void TouchSpinBox::setValue(double value)
{
    m_spin->setValue(value);
}

double TouchSpinBox::value() const
{
    return m_spin->value();
}

double TouchSpinBox::maximum() const
{
    return m_spin->maximum();
}

}  // namespace scopesync::ui
