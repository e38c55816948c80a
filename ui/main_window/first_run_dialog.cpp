// FirstRunDialog: shown when no rig is configured — use the simulated rig, pick a rig file, or check the rig;
// it lists the cameras this machine offers, each with the rig-file entry that uses it.
#include "ui/main_window/first_run_dialog.h"

#include "ui/doctor/doctor_dialog.h"

#include <QFileDialog>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

namespace scopesync::ui {

using namespace std::chrono_literals;

FirstRunDialog::FirstRunDialog(DoctorFn doctor, CameraListFn cameras, QWidget *parent)
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
    if (cameras) {
        auto *title = new QLabel(tr("Cameras on this machine:"), this);
        m_cameraList = new QListWidget(this);
        m_cameraList->setObjectName(QStringLiteral("firstRunCameras"));
        // Long lines wrap rather than scroll sideways; three lines show, and the buttons below stay on an
        // 800×480 screen.
        m_cameraList->setWordWrap(true);
        m_cameraList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        m_cameraList->setMaximumHeight(3 * m_cameraList->fontMetrics().lineSpacing() + 12);
        m_cameraList->addItem(tr("Looking for cameras…"));
        m_entry = new QLabel(this);
        m_entry->setObjectName(QStringLiteral("firstRunCameraEntry"));
        m_entry->setWordWrap(true);
        m_entry->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_entry->hide();
        column->addWidget(title);
        column->addWidget(m_cameraList);
        column->addWidget(m_entry);
        connect(m_cameraList, &QListWidget::currentRowChanged, this, &FirstRunDialog::showEntry);
        // Only the returned function uses `this`, and it runs on the GUI thread while the dialog lives.
        m_worker.post([this, cameras = std::move(cameras)]() -> std::function<void()> {
            QList<core::acquisition::CameraOffer> found;
            QString failure;
            try {
                found = cameras();
            } catch (const std::exception &e) {
                failure = QString::fromLocal8Bit(e.what());
            } catch (...) {
                failure = QStringLiteral("unknown error");
            }
            return [this, found, failure] { showCameras(found, failure); };
        });
    }
    auto *sim = new QPushButton(tr("Use the simulated rig"), this);
    auto *file = new QPushButton(tr("Open a rig file…"), this);
    auto *check = new QPushButton(tr("Check this machine (rig doctor)…"), this);
    check->setObjectName(QStringLiteral("firstRunDoctor"));
    if (!m_doctor)
        check->hide();
    auto *quit = new QPushButton(tr("Quit"), this);
    // Two by two: finger-sized buttons, and with the text and the camera list they fit 480 pixels' height.
    auto *buttons = new QGridLayout;
    const QList<QPushButton *> all {sim, file, check, quit};
    for (int i = 0; i < all.size(); ++i) {
        all[i]->setMinimumHeight(48);
        buttons->addWidget(all[i], i / 2, i % 2);
    }
    column->addLayout(buttons);
    sim->setDefault(true);
    // Wide enough that the wrapped text keeps to a few lines, and tall enough for all of it: a window
    // sizes itself by its layout's minimum, which counts a word-wrapped label at its narrowest.
    setMinimumWidth(560);
    resize(560, std::max(minimumSizeHint().height(), heightForWidth(560)));
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

FirstRunDialog::~FirstRunDialog()
{
    // The job owns copies of what it reads: a probe that hangs is left behind rather than the window.
    m_worker.stop(3000ms);
}

void FirstRunDialog::showCameras(const QList<core::acquisition::CameraOffer> &cameras, const QString &failure)
{
    m_cameras = cameras;
    m_cameraList->clear();
    if (!failure.isEmpty()) {
        m_cameraList->addItem(tr("The cameras could not be listed: %1").arg(failure));
        return;
    }
    if (cameras.isEmpty()) {
        m_cameraList->addItem(tr("No camera found: neither libcamera nor Qt Multimedia sees one."));
        return;
    }
    for (const auto &c : cameras)
        m_cameraList->addItem(QStringLiteral("%1 (%2): %3").arg(c.name, c.backend, c.detail));
    m_entry->setText(tr("Select a camera to see the rig-file entry that uses it."));
    m_entry->show();
}

void FirstRunDialog::showEntry(int row)
{
    if (row < 0 || row >= m_cameras.size())
        return;
    const auto &c = m_cameras.at(row);
    m_entry->setText(c.rigFileEntry.isEmpty()
            ? tr("ScopeSync cannot use this camera: %1").arg(c.detail)
            : tr("In a rig file (examples in resources/rigs/): %1").arg(c.rigFileEntry));
}

}  // namespace scopesync::ui
