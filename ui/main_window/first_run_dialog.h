// FirstRunDialog: shown when no rig is configured — use the simulated rig, pick a rig file, or check the rig.
#pragma once

#include "ui/doctor/doctor_fn.h"

#include <QDialog>

namespace scopesync::ui {

class FirstRunDialog : public QDialog {
    Q_OBJECT

public:
    enum class Choice { Simulated, RigFile, Quit };

    // With a `doctor`, a button shows its checklist for wiring a real rig (the dialog stays open).
    explicit FirstRunDialog(DoctorFn doctor = {}, QWidget *parent = nullptr);
    [[nodiscard]] Choice choice() const { return m_choice; }
    [[nodiscard]] QString rigFile() const { return m_rigFile; }

private:
    DoctorFn m_doctor;
    Choice m_choice = Choice::Quit;
    QString m_rigFile;
};

}  // namespace scopesync::ui
