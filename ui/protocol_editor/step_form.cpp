// StepForm: the fields of one step, laid out for its kind (label, iterations, filter, flashes, durations…).
#include "ui/protocol_editor/step_form.h"

#include "core/protocol/protocol_limits.h"
#include "ui/protocol_editor/protocol_tree_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>

#include <cmath>

namespace scopesync::ui {

using core::protocol::Flash;
using core::protocol::ProtocolLimits;
using core::protocol::Step;
using core::protocol::StepKind;

namespace {

template <typename W> W *touchSized(W *widget)
{
    widget->setMinimumHeight(StepForm::kTouchHeightPx);
    return widget;
}

std::chrono::microseconds usFromMs(double ms)
{
    return std::chrono::microseconds(std::llround(ms * 1000.0));
}

}  // namespace

StepForm::StepForm(QWidget *parent) : QWidget(parent)
{
    m_form = new QFormLayout(this);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_kind = new QLabel(this);
    m_form->addRow(tr("Kind"), m_kind);

    m_label = touchSized(new QLineEdit(this));
    m_label->setPlaceholderText(tr("e.g. 645 or Before incorporation"));
    m_form->addRow(tr("Label"), m_label);
    connect(m_label, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_step.label = text;
        emitEdit(QStringLiteral("label"));
    });

    m_iterations = touchSized(new QSpinBox(this));
    m_iterations->setRange(1, ProtocolLimits::kMaxIterations);
    m_iterations->setSuffix(tr(" times"));
    m_form->addRow(tr("Repeat"), m_iterations);
    connect(m_iterations, &QSpinBox::valueChanged, this, [this](int value) {
        m_step.iterations = value;
        emitEdit(QStringLiteral("iterations"));
    });

    m_filter = touchSized(new QComboBox(this));
    m_filter->setEditable(true);
    // The 454 format's filter names; the native format accepts any name the rig uses.
    m_filter->addItems({QString(), QStringLiteral("no_filter"), QStringLiteral("any_filter"),
        QStringLiteral("red"), QStringLiteral("orange"), QStringLiteral("green"), QStringLiteral("blue")});
    m_form->addRow(tr("Emission filter"), m_filter);
    connect(m_filter, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        m_step.filter = text;
        emitEdit(QStringLiteral("filter"));
    });

    m_durationMs = touchSized(new QDoubleSpinBox(this));
    m_durationMs->setDecimals(0);
    m_durationMs->setRange(0, ProtocolLimits::kMaxWaitMs * 10);
    m_durationMs->setSuffix(tr(" ms"));
    m_durationMs->setKeyboardTracking(false);
    m_form->addRow(tr("Duration"), m_durationMs);
    connect(m_durationMs, &QDoubleSpinBox::valueChanged, this, [this](double ms) {
        const auto before = m_step.duration;
        m_step.duration = std::chrono::milliseconds(std::llround(ms));
        // A held LED lasts as long as the step unless it says otherwise.
        if (m_step.kind == StepKind::Illuminate)
            for (Flash &f : m_step.flashes)
                if (f.duration == before)
                    f.duration = m_step.duration;
        emitEdit(QStringLiteral("duration"));
        if (!m_updating)
            rebuildFlashes();
    });

    auto *temperatureRow = new QWidget(this);
    auto *temperatureLayout = new QHBoxLayout(temperatureRow);
    temperatureLayout->setContentsMargins(0, 0, 0, 0);
    m_kelvin = touchSized(new QDoubleSpinBox(temperatureRow));
    m_kelvin->setDecimals(2);
    m_kelvin->setRange(0, 1000);
    m_kelvin->setSuffix(tr(" K"));
    m_kelvin->setKeyboardTracking(false);
    m_celsius = new QLabel(temperatureRow);
    temperatureLayout->addWidget(m_kelvin, 1);
    temperatureLayout->addWidget(m_celsius);
    m_form->addRow(tr("Temperature"), temperatureRow);
    connect(m_kelvin, &QDoubleSpinBox::valueChanged, this, [this](double kelvin) {
        m_step.temperatureKelvin = kelvin;
        m_celsius->setText(tr("= %1 °C").arg(QLocale().toString(kelvin - 273.15, 'f', 2)));
        emitEdit(QStringLiteral("temperature"));
    });

    auto *captureRow = new QWidget(this);
    auto *captureLayout = new QHBoxLayout(captureRow);
    captureLayout->setContentsMargins(0, 0, 0, 0);
    m_capture = touchSized(new QCheckBox(tr("Capture every"), captureRow));
    m_capturePeriodMs = touchSized(new QSpinBox(captureRow));
    m_capturePeriodMs->setRange(1, int(ProtocolLimits::kMaxIlluminateMs));
    m_capturePeriodMs->setSuffix(tr(" ms"));
    m_capturePeriodMs->setKeyboardTracking(false);
    captureLayout->addWidget(m_capture);
    captureLayout->addWidget(m_capturePeriodMs, 1);
    m_form->addRow(tr("While lit"), captureRow);
    connect(m_capture, &QCheckBox::toggled, this, [this](bool on) {
        m_capturePeriodMs->setEnabled(on);
        if (on)
            m_step.capturePeriod = std::chrono::milliseconds(m_capturePeriodMs->value());
        else
            m_step.capturePeriod.reset();
        emitEdit(QStringLiteral("capture"));
    });
    connect(m_capturePeriodMs, &QSpinBox::valueChanged, this, [this](int ms) {
        if (!m_capture->isChecked())
            return;
        m_step.capturePeriod = std::chrono::milliseconds(ms);
        emitEdit(QStringLiteral("capture"));
    });

    m_flashes = new QTableWidget(0, FlashColumnCount, this);
    m_flashes->setHorizontalHeaderLabels({tr("LED"), tr("Duration (ms)"), tr("Intensity (‰)")});
    m_flashes->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_flashes->verticalHeader()->setDefaultSectionSize(kTouchHeightPx);
    m_flashes->verticalHeader()->setVisible(false);
    m_flashes->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_flashes->setSelectionMode(QAbstractItemView::SingleSelection);
    m_flashes->setMinimumHeight(kTouchHeightPx * 3);
    m_form->addRow(tr("Flashes"), m_flashes);

    m_flashButtons = new QWidget(this);
    auto *buttons = new QHBoxLayout(m_flashButtons);
    buttons->setContentsMargins(0, 0, 0, 0);
    m_addFlash = touchSized(new QPushButton(tr("Add flash"), m_flashButtons));
    m_removeFlash = touchSized(new QPushButton(tr("Remove flash"), m_flashButtons));
    buttons->addWidget(m_addFlash);
    buttons->addWidget(m_removeFlash);
    m_form->addRow(QString(), m_flashButtons);
    connect(m_addFlash, &QPushButton::clicked, this, [this] {
        Flash f;
        // A new flash copies the last one's LED choice pattern: the first rig LED not yet used.
        for (const QString &led : m_leds) {
            if (std::none_of(m_step.flashes.begin(), m_step.flashes.end(),
                    [&](const Flash &x) { return x.led == led; })) {
                f.led = led;
                break;
            }
        }
        if (f.led.isEmpty() && !m_leds.isEmpty())
            f.led = m_leds.first();
        f.duration = m_step.kind == StepKind::Illuminate ? std::chrono::microseconds(m_step.duration)
                                                         : std::chrono::microseconds(50'000);
        m_step.flashes.push_back(f);
        rebuildFlashes();
        emitEdit(QStringLiteral("flashes"));
    });
    connect(m_removeFlash, &QPushButton::clicked, this, [this] {
        if (m_step.flashes.empty())
            return;
        int row = m_flashes->currentRow();
        if (row < 0 || std::size_t(row) >= m_step.flashes.size())
            row = int(m_step.flashes.size()) - 1;
        m_step.flashes.erase(m_step.flashes.begin() + row);
        rebuildFlashes();
        emitEdit(QStringLiteral("flashes"));
    });

    clearStep();
}

void StepForm::setLeds(const QStringList &leds)
{
    m_leds = leds;
    rebuildFlashes();
}

void StepForm::clearStep()
{
    m_hasStep = false;
    m_step = {};
    setEnabled(false);
    m_kind->setText(tr("Select a step in the tree"));
    updateVisibility();
}

void StepForm::setStep(const Step &step)
{
    m_updating = true;
    const bool kindChanged = !m_hasStep || step.kind != m_step.kind;
    m_hasStep = true;
    setEnabled(true);
    m_kind->setText(ProtocolTreeModel::kindName(step.kind));
    if (m_label->text() != step.label)
        m_label->setText(step.label);
    if (m_iterations->value() != step.iterations)
        m_iterations->setValue(step.iterations);
    if (m_filter->currentText() != step.filter)
        m_filter->setCurrentText(step.filter);
    if (std::llround(m_durationMs->value()) != step.duration.count())
        m_durationMs->setValue(double(step.duration.count()));
    if (m_kelvin->value() != step.temperatureKelvin)
        m_kelvin->setValue(step.temperatureKelvin);
    m_celsius->setText(tr("= %1 °C").arg(QLocale().toString(step.temperatureKelvin - 273.15, 'f', 2)));
    if (m_capture->isChecked() != step.capturePeriod.has_value())
        m_capture->setChecked(step.capturePeriod.has_value());
    m_capturePeriodMs->setEnabled(step.capturePeriod.has_value());
    if (step.capturePeriod && m_capturePeriodMs->value() != step.capturePeriod->count())
        m_capturePeriodMs->setValue(int(step.capturePeriod->count()));
    const bool flashesChanged
        = kindChanged || step.flashes != flashesShown() || m_flashes->rowCount() != int(step.flashes.size());
    m_step = step;
    m_step.children.clear();
    if (flashesChanged)
        rebuildFlashes();
    if (kindChanged)
        updateVisibility();
    m_updating = false;
}

void StepForm::updateVisibility()
{
    const StepKind kind = m_step.kind;
    const bool any = m_hasStep;
    m_form->setRowVisible(m_label, any);
    m_form->setRowVisible(m_iterations, any && kind == StepKind::Group);
    m_form->setRowVisible(m_filter, any && (kind == StepKind::Image || kind == StepKind::Illuminate));
    m_form->setRowVisible(m_durationMs, any && (kind == StepKind::Wait || kind == StepKind::Illuminate));
    m_form->setRowVisible(m_kelvin->parentWidget(), any && kind == StepKind::SetTemperature);
    m_form->setRowVisible(m_capture->parentWidget(), any && kind == StepKind::Illuminate);
    const bool lit = any && (kind == StepKind::Image || kind == StepKind::Illuminate);
    m_form->setRowVisible(m_flashes, lit);
    m_form->setRowVisible(m_flashButtons, lit);
}

void StepForm::fillLedCombo(QComboBox *combo, const QString &current) const
{
    combo->clear();
    combo->addItems(m_leds);
    if (!m_leds.contains(current))
        combo->addItem(current.isEmpty() ? tr("(none)") : tr("%1 (not on this rig)").arg(current), current);
    for (int i = 0; i < combo->count(); ++i)
        if (!combo->itemData(i).isValid())
            combo->setItemData(i, combo->itemText(i));
    combo->setCurrentIndex(combo->findData(current));
}

void StepForm::rebuildFlashes()
{
    const bool wasUpdating = m_updating;
    m_updating = true;
    m_flashes->setRowCount(int(m_step.flashes.size()));
    for (int row = 0; row < int(m_step.flashes.size()); ++row) {
        const Flash &f = m_step.flashes[std::size_t(row)];
        auto *led = new QComboBox;
        led->setMinimumHeight(kTouchHeightPx);
        fillLedCombo(led, f.led);
        auto *duration = new QDoubleSpinBox;
        duration->setMinimumHeight(kTouchHeightPx);
        duration->setDecimals(3);
        duration->setRange(0, ProtocolLimits::kMaxFlashMs * 10);
        duration->setKeyboardTracking(false);
        duration->setValue(double(f.duration.count()) / 1000.0);
        auto *intensity = new QSpinBox;
        intensity->setMinimumHeight(kTouchHeightPx);
        intensity->setRange(0, ProtocolLimits::kMaxIntensityPerMille);
        intensity->setKeyboardTracking(false);
        intensity->setValue(f.intensityPerMille);
        m_flashes->setCellWidget(row, LedColumn, led);
        m_flashes->setCellWidget(row, DurationColumn, duration);
        m_flashes->setCellWidget(row, IntensityColumn, intensity);
        connect(led, &QComboBox::currentIndexChanged, this, [this, row, led] {
            if (m_updating || std::size_t(row) >= m_step.flashes.size())
                return;
            m_step.flashes[std::size_t(row)].led = led->currentData().toString();
            emitEdit(QStringLiteral("flash-led-%1").arg(row));
        });
        connect(duration, &QDoubleSpinBox::valueChanged, this, [this, row](double ms) {
            if (m_updating || std::size_t(row) >= m_step.flashes.size())
                return;
            m_step.flashes[std::size_t(row)].duration = usFromMs(ms);
            emitEdit(QStringLiteral("flash-duration-%1").arg(row));
        });
        connect(intensity, &QSpinBox::valueChanged, this, [this, row](int perMille) {
            if (m_updating || std::size_t(row) >= m_step.flashes.size())
                return;
            m_step.flashes[std::size_t(row)].intensityPerMille = perMille;
            emitEdit(QStringLiteral("flash-intensity-%1").arg(row));
        });
    }
    m_removeFlash->setEnabled(!m_step.flashes.empty());
    m_updating = wasUpdating;
}

std::vector<Flash> StepForm::flashesShown() const
{
    std::vector<Flash> out;
    for (int row = 0; row < m_flashes->rowCount(); ++row) {
        const QComboBox *led = flashLedCombo(row);
        const QDoubleSpinBox *duration = flashDurationSpin(row);
        const QSpinBox *intensity = flashIntensitySpin(row);
        if (!led || !duration || !intensity)
            return {};
        Flash f;
        f.led = led->currentData().toString();
        f.duration = usFromMs(duration->value());
        f.intensityPerMille = intensity->value();
        out.push_back(f);
    }
    return out;
}

QComboBox *StepForm::flashLedCombo(int row) const
{
    return qobject_cast<QComboBox *>(m_flashes->cellWidget(row, LedColumn));
}

QDoubleSpinBox *StepForm::flashDurationSpin(int row) const
{
    return qobject_cast<QDoubleSpinBox *>(m_flashes->cellWidget(row, DurationColumn));
}

QSpinBox *StepForm::flashIntensitySpin(int row) const
{
    return qobject_cast<QSpinBox *>(m_flashes->cellWidget(row, IntensityColumn));
}

void StepForm::emitEdit(const QString &field)
{
    if (m_updating || !m_hasStep)
        return;
    Q_EMIT edited(m_step, field);
}

}  // namespace scopesync::ui
