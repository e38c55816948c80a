// ManualControls: flash an LED, capture one image, strobe the live preview — within the rig's LED limits.
#include "ui/controls/manual_controls.h"

#include "ui/common/touch_spin_box.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace scopesync::ui {

ManualControls::ManualControls(QWidget *parent) : QWidget(parent)
{
    auto *column = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_led = new QComboBox(this);
    m_led->setMinimumHeight(48);
    m_duration = new TouchSpinBox(this);
    m_duration->setRange(1, 1000);
    m_duration->setSingleStep(10);
    m_duration->setSuffix(tr(" ms"));
    m_duration->setValue(50);
    form->addRow(tr("LED"), m_led);
    form->addRow(tr("Duration"), m_duration);
    column->addLayout(form);
    m_limit = new QLabel(this);
    m_limit->setWordWrap(true);
    column->addWidget(m_limit);

    m_flash = new QPushButton(tr("Flash"), this);
    m_capture = new QPushButton(tr("Capture image"), this);
    m_strobe = new QPushButton(tr("Strobe live preview"), this);
    m_strobe->setCheckable(true);
    for (auto *b : {m_flash, m_capture, m_strobe}) {
        b->setMinimumHeight(48);
        column->addWidget(b);
    }
    m_saved = new QLabel(this);
    m_saved->setWordWrap(true);
    m_saved->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(m_saved);
    column->addStretch(1);

    connect(m_led, &QComboBox::currentIndexChanged, this, [this] {
        updateLimit();
        if (m_strobe->isChecked())
            Q_EMIT liveStrobeChanged(led(), durationMs());
    });
    connect(m_duration, &TouchSpinBox::valueChanged, this, [this] {
        if (m_strobe->isChecked())
            Q_EMIT liveStrobeChanged(led(), durationMs());
    });
    connect(m_flash, &QPushButton::clicked, this, [this] { Q_EMIT flashRequested(led(), durationMs()); });
    connect(m_capture, &QPushButton::clicked, this, [this] { Q_EMIT captureRequested(led(), durationMs()); });
    connect(m_strobe, &QPushButton::toggled, this,
        [this](bool on) { Q_EMIT liveStrobeChanged(on ? led() : QString(), durationMs()); });
}

void ManualControls::setRig(const core::acquisition::RigDescription &rig)
{
    m_rig = rig;
    const QString previous = led();
    const QSignalBlocker block(m_led);
    m_led->clear();
    m_led->addItems(rig.ledNames());
    if (const int i = m_led->findText(previous); i >= 0)
        m_led->setCurrentIndex(i);
    updateLimit();
}

void ManualControls::updateLimit()
{
    const QString name = led();
    if (name.isEmpty()) {
        m_limit->setText(tr("This rig has no LEDs: captures are dark frames."));
        return;
    }
    const auto limit = m_rig.maxOnFor(name);
    m_duration->setRange(1, double(limit.count()));
    m_limit->setText(tr("Up to %1 ms for %2 (the rig's safety limit). Strobed captures flash %3 ms after "
                        "the frame trigger.")
                         .arg(limit.count())
                         .arg(name)
                         .arg(double(m_rig.delay.count()) / 1000.0));
}

void ManualControls::setLastSaved(const QString &file)
{
    m_saved->setText(tr("Saved %1 in %2").arg(QFileInfo(file).fileName(), QFileInfo(file).absolutePath()));
}

void ManualControls::setBusy(bool busy)
{
    for (auto *b : {m_flash, m_capture, m_strobe})
        b->setEnabled(!busy);
}

QString ManualControls::led() const
{
    return m_led->currentText();
}

int ManualControls::durationMs() const
{
    return int(m_duration->value());
}

}  // namespace scopesync::ui
