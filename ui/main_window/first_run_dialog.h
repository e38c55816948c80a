// FirstRunDialog: shown when no rig is configured — use the simulated rig, pick a rig file, or check the rig;
// it lists the cameras this machine offers, each with the rig-file entry that uses it.
#pragma once

#include "ui/common/serial_worker.h"
#include "ui/doctor/doctor_fn.h"

#include <QDialog>

class QLabel;
class QListWidget;

namespace scopesync::ui {

class FirstRunDialog : public QDialog {
    Q_OBJECT

public:
    enum class Choice { Simulated, RigFile, Quit };

    // With a `doctor`, a button shows its checklist for wiring a real rig (the dialog stays open). With
    // `cameras`, the cameras this machine offers are listed (found on a worker thread; the dialog does not
    // wait for them).
    explicit FirstRunDialog(DoctorFn doctor = {}, CameraListFn cameras = {}, QWidget *parent = nullptr);
    ~FirstRunDialog() override;
    [[nodiscard]] Choice choice() const { return m_choice; }
    [[nodiscard]] QString rigFile() const { return m_rigFile; }

private:
    void showCameras(const QList<core::acquisition::CameraOffer> &cameras, const QString &failure);
    void showEntry(int row);

    DoctorFn m_doctor;
    Choice m_choice = Choice::Quit;
    QString m_rigFile;
    QListWidget *m_cameraList = nullptr;
    QLabel *m_entry = nullptr;
    QList<core::acquisition::CameraOffer> m_cameras;
    SerialWorker m_worker {this};  // lists the cameras; its job owns copies of what it reads
};

}  // namespace scopesync::ui
