// DoctorDialog: the rig doctor's findings for this machine — status, what was found and the exact fix to
// copy — checked off the GUI thread; it shows fixes and never applies them.
#pragma once

#include "core/acquisition/rig_check.h"
#include "ui/common/serial_worker.h"
#include "ui/doctor/doctor_fn.h"

#include <QDialog>
#include <QList>

class QLabel;
class QProgressBar;
class QPushButton;
class QVBoxLayout;

namespace scopesync::ui {

class DoctorDialog : public QDialog {
    Q_OBJECT

public:
    // Starts checking at once; `doctor` may be empty (then there is nothing to check and it says so).
    explicit DoctorDialog(DoctorFn doctor, QWidget *parent = nullptr);
    ~DoctorDialog() override;

    // What is checked against, shown above the findings: "reference HQ rig — imx477, xvs-sink, gpiochip0".
    void setRigSummary(const QString &summary);

    [[nodiscard]] bool isChecking() const { return m_checking; }
    [[nodiscard]] const QList<core::acquisition::RigCheck> &checks() const { return m_checks; }
    [[nodiscard]] QPushButton *checkAgainButton() const { return m_again; }
    [[nodiscard]] QPushButton *closeButton() const { return m_close; }
    // "Checking…" while the doctor runs, then the count of problems and warnings.
    [[nodiscard]] QLabel *stateLabel() const { return m_state; }
    // The row of the check with this id (null when there is none); its parts are named "status",
    // "title", "detail", "fix" and "copy".
    [[nodiscard]] QWidget *row(const QString &id) const;

    // Small enough for the 800×480 touchscreen; a desktop gets more room from the constructor's resize.
    [[nodiscard]] QSize sizeHint() const override;

    // The status in words: the colour repeats it, never replaces it.
    static QString statusText(core::acquisition::CheckStatus status);

public Q_SLOTS:
    // Runs the doctor again; ignored while it is running.
    void runChecks();

Q_SIGNALS:
    // The rows show the newest findings.
    void checksFinished();

private:
    // `failed`: the doctor threw; `why` says what it threw, when it said.
    void showChecks(const QList<core::acquisition::RigCheck> &checks, bool failed, const QString &why);
    QWidget *makeRow(const core::acquisition::RigCheck &check, int statusWidth);

    DoctorFn m_doctor;
    QList<core::acquisition::RigCheck> m_checks;
    bool m_checking = false;
    QLabel *m_rig = nullptr;
    QLabel *m_state = nullptr;
    QProgressBar *m_busy = nullptr;
    QWidget *m_list = nullptr;
    QVBoxLayout *m_rows = nullptr;
    QPushButton *m_again = nullptr;
    QPushButton *m_close = nullptr;
    SerialWorker m_worker {this};  // runs the doctor; its jobs own copies of what they read
};

}  // namespace scopesync::ui
