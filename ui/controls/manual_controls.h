// ManualControls: flash an LED, capture one image, strobe the live preview — within the rig's LED limits.
#pragma once

#include "core/acquisition/rig_description.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace scopesync::ui {

class TouchSpinBox;

class ManualControls : public QWidget {
    Q_OBJECT

public:
    explicit ManualControls(QWidget *parent = nullptr);

    // Offers the rig's LEDs; the duration field's maximum follows the chosen LED's led_max_on_ms.
    void setRig(const core::acquisition::RigDescription &rig);
    void setLastSaved(const QString &file);
    void setBusy(bool busy);  // a run owns the rig: manual actions wait

    [[nodiscard]] QComboBox *ledBox() const { return m_led; }
    [[nodiscard]] TouchSpinBox *durationBox() const { return m_duration; }
    [[nodiscard]] QPushButton *flashButton() const { return m_flash; }
    [[nodiscard]] QPushButton *captureButton() const { return m_capture; }
    [[nodiscard]] QPushButton *strobeButton() const { return m_strobe; }
    [[nodiscard]] QString led() const;
    [[nodiscard]] int durationMs() const;

Q_SIGNALS:
    void flashRequested(const QString &led, int durationMs);
    // `led` empty: a dark frame.
    void captureRequested(const QString &led, int durationMs);
    // `led` empty: stop strobing the preview.
    void liveStrobeChanged(const QString &led, int durationMs);

private:
    void updateLimit();

    core::acquisition::RigDescription m_rig;
    QComboBox *m_led = nullptr;
    TouchSpinBox *m_duration = nullptr;
    QLabel *m_limit = nullptr;
    QPushButton *m_flash = nullptr;
    QPushButton *m_capture = nullptr;
    QPushButton *m_strobe = nullptr;
    QLabel *m_saved = nullptr;
};

}  // namespace scopesync::ui
