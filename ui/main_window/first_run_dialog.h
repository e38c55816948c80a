// FirstRunDialog: shown when no rig is configured — use the simulated rig, pick a rig file, or check the rig.
#pragma once

#include <QDialog>

namespace scopesync::ui {

class FirstRunDialog : public QDialog {
    Q_OBJECT

public:
    enum class Choice { Simulated, RigFile, Quit };

    explicit FirstRunDialog(QWidget *parent = nullptr);
    [[nodiscard]] Choice choice() const { return m_choice; }
    [[nodiscard]] QString rigFile() const { return m_rigFile; }

private:
    Choice m_choice = Choice::Quit;
    QString m_rigFile;
};

}  // namespace scopesync::ui
