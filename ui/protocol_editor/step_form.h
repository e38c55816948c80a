// StepForm: the fields of one step, laid out for its kind (label, iterations, filter, flashes, durations…).
#pragma once

#include "core/protocol/protocol.h"

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace scopesync::ui {

// Shows a step and reports every change the user makes as the step's new fields; it never changes the
// protocol itself, so the editor can make each change an undoable command.
class StepForm : public QWidget {
    Q_OBJECT

public:
    static constexpr int kTouchHeightPx = 48;

    explicit StepForm(QWidget *parent = nullptr);

    void setLeds(const QStringList &leds);
    // Updates only the fields that differ, so a field being typed in keeps its cursor.
    void setStep(const core::protocol::Step &step);
    void clearStep();
    [[nodiscard]] bool hasStep() const { return m_hasStep; }

    // For tests and keyboard users: the widgets of the current form.
    [[nodiscard]] QLineEdit *labelEdit() const { return m_label; }
    [[nodiscard]] QSpinBox *iterationsSpin() const { return m_iterations; }
    [[nodiscard]] QComboBox *filterCombo() const { return m_filter; }
    [[nodiscard]] QDoubleSpinBox *durationSpin() const { return m_durationMs; }
    [[nodiscard]] QDoubleSpinBox *temperatureSpin() const { return m_kelvin; }
    [[nodiscard]] QCheckBox *captureCheck() const { return m_capture; }
    [[nodiscard]] QSpinBox *capturePeriodSpin() const { return m_capturePeriodMs; }
    [[nodiscard]] QTableWidget *flashTable() const { return m_flashes; }
    [[nodiscard]] QPushButton *addFlashButton() const { return m_addFlash; }
    [[nodiscard]] QPushButton *removeFlashButton() const { return m_removeFlash; }
    // Cell widgets of flash row `row`.
    [[nodiscard]] QComboBox *flashLedCombo(int row) const;
    [[nodiscard]] QDoubleSpinBox *flashDurationSpin(int row) const;
    [[nodiscard]] QSpinBox *flashIntensitySpin(int row) const;

Q_SIGNALS:
    // `field` names what changed ("label", "flashes"…): edits of one field merge into one undo step.
    void edited(const core::protocol::Step &fields, const QString &field);

private:
    enum FlashColumn { LedColumn, DurationColumn, IntensityColumn, FlashColumnCount };

    void emitEdit(const QString &field);
    void updateVisibility();
    void rebuildFlashes();
    [[nodiscard]] std::vector<core::protocol::Flash> flashesShown() const;
    void fillLedCombo(QComboBox *combo, const QString &current) const;

    core::protocol::Step m_step;
    bool m_hasStep = false;
    bool m_updating = false;
    QStringList m_leds;

    QFormLayout *m_form = nullptr;
    QLabel *m_kind = nullptr;
    QLineEdit *m_label = nullptr;
    QSpinBox *m_iterations = nullptr;
    QComboBox *m_filter = nullptr;
    QDoubleSpinBox *m_durationMs = nullptr;
    QDoubleSpinBox *m_kelvin = nullptr;
    QLabel *m_celsius = nullptr;
    QCheckBox *m_capture = nullptr;
    QSpinBox *m_capturePeriodMs = nullptr;
    QTableWidget *m_flashes = nullptr;
    QWidget *m_flashButtons = nullptr;
    QPushButton *m_addFlash = nullptr;
    QPushButton *m_removeFlash = nullptr;
};

}  // namespace scopesync::ui
