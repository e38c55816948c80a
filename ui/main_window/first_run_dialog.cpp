// FirstRunDialog: shown when no rig is configured — use the simulated rig, pick a rig file, or check the rig.
#include "ui/main_window/first_run_dialog.h"

#include "ui/doctor/doctor_dialog.h"

#include <QFileDialog>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace scopesync::ui {

FirstRunDialog::FirstRunDialog(DoctorFn doctor, QWidget *parent)
    : QDialog(parent), m_doctor(std::move(doctor))
{
    setWindowTitle(tr("Choose a rig"));
    auto *column = new QVBoxLayout(this);
    auto *text
        = new QLabel(tr("No rig is configured yet.\n\n"
                        "Start with the simulated rig to try ScopeSync: it behaves like the reference "
                        "HQ-camera microscope, banding and all.\n\n"
                        "To use real hardware, describe it in a rig file (see resources/rigs/) and check "
                        "the wiring, camera driver and permissions with:\n    scopesync doctor"),
            this);
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(text);
    auto *sim = new QPushButton(tr("Use the simulated rig"), this);
    auto *file = new QPushButton(tr("Open a rig file…"), this);
    auto *check = new QPushButton(tr("Check this machine (rig doctor)…"), this);
    check->setObjectName(QStringLiteral("firstRunDoctor"));
    if (!m_doctor)
        check->hide();
    auto *quit = new QPushButton(tr("Quit"), this);
    for (auto *b : {sim, file, check, quit}) {
        b->setMinimumHeight(48);
        column->addWidget(b);
    }
    sim->setDefault(true);
    connect(sim, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Simulated;
        accept();
    });
    connect(file, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Rig file"), QString(), tr("Rig files (*.json);;All files (*)"));
        if (path.isEmpty())
            return;
        m_choice = Choice::RigFile;
        m_rigFile = path;
        accept();
    });
    connect(check, &QPushButton::clicked, this, [this] {
        auto *doctorDialog = new DoctorDialog(m_doctor, this);
        doctorDialog->setAttribute(Qt::WA_DeleteOnClose);
        doctorDialog->open();
    });
    connect(quit, &QPushButton::clicked, this, &QDialog::reject);
}

}  // namespace scopesync::ui
