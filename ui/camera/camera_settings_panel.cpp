// CameraSettingsPanel: edits the fixed camera settings; loads and saves rpicam-apps config files.
#include "ui/camera/camera_settings_panel.h"

#include "core/camera/rpicam_config_reader.h"
#include "ui/common/touch_spin_box.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace scopesync::ui {

using core::camera::CameraSettings;

CameraSettingsPanel::CameraSettingsPanel(QWidget *parent) : QWidget(parent)
{
    auto *column = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    const auto spin = [this](double min, double max, int decimals, double step, const QString &suffix) {
        auto *s = new TouchSpinBox(this);
        s->setRange(min, max);
        s->setDecimals(decimals);
        s->setSingleStep(step);
        s->setSuffix(suffix);
        return s;
    };
    m_shutterUs = spin(0, 60'000'000, 0, 1000, tr(" µs"));
    m_gain = spin(0, 64, 2, 0.5, QString());
    m_awb = new QComboBox(this);
    m_awb->addItems(core::camera::awbModeNames());
    m_awbRed = spin(0, 32, 3, 0.1, QString());
    m_awbBlue = spin(0, 32, 3, 0.1, QString());
    m_denoise = new QComboBox(this);
    m_denoise->addItems(core::camera::denoiseNames());
    m_framerate = spin(0, 1000, 2, 1, tr(" fps"));
    m_hflip = new QCheckBox(tr("Mirror horizontally (hflip)"), this);
    m_vflip = new QCheckBox(tr("Flip vertically (vflip)"), this);
    for (auto *c : {m_awb, m_denoise})
        c->setMinimumHeight(48);
    for (auto *c : {m_hflip, m_vflip})
        c->setMinimumHeight(48);
    form->addRow(tr("Shutter (0 = auto)"), m_shutterUs);
    form->addRow(tr("Analogue gain (0 = auto)"), m_gain);
    form->addRow(tr("White balance"), m_awb);
    form->addRow(tr("Red gain (0 = auto)"), m_awbRed);
    form->addRow(tr("Blue gain (0 = auto)"), m_awbBlue);
    form->addRow(tr("Denoise"), m_denoise);
    form->addRow(tr("Frame rate (0 = camera's)"), m_framerate);
    form->addRow(m_hflip);
    form->addRow(m_vflip);
    column->addLayout(form);

    auto *buttons = new QHBoxLayout;
    m_load = new QPushButton(tr("Load…"), this);
    m_save = new QPushButton(tr("Save…"), this);
    m_apply = new QPushButton(tr("Apply"), this);
    m_apply->setToolTip(tr("Reopen the camera with these settings"));
    for (auto *b : {m_load, m_save, m_apply}) {
        b->setMinimumHeight(48);
        buttons->addWidget(b);
    }
    column->addLayout(buttons);
    auto *problemsTitle = new QLabel(tr("Problems in the loaded file:"), this);
    column->addWidget(problemsTitle);
    m_problems = new QListWidget(this);
    m_problems->setWordWrap(true);
    m_problems->setMinimumHeight(80);
    column->addWidget(m_problems);

    connect(m_load, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load camera config"), QString(),
            tr("rpicam-apps config (*.txt *.conf *.cfg);;All files (*)"));
        if (!path.isEmpty())
            loadFile(path);
    });
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save camera config"), QStringLiteral("camera.txt"), tr("rpicam-apps config (*.txt)"));
        if (!path.isEmpty())
            saveFile(path);
    });
    connect(m_apply, &QPushButton::clicked, this, [this] { Q_EMIT applyRequested(settings()); });
    setSettings(CameraSettings::referenceRig());
}

void CameraSettingsPanel::setSettings(const CameraSettings &s)
{
    m_base = s;
    m_shutterUs->setValue(s.shutter ? double(s.shutter->count()) : 0.0);
    m_gain->setValue(s.analogueGain.value_or(0.0));
    m_awb->setCurrentText(core::camera::toString(s.awbMode));
    m_awbRed->setValue(s.awbGains ? s.awbGains->red : 0.0);
    m_awbBlue->setValue(s.awbGains ? s.awbGains->blue : 0.0);
    m_denoise->setCurrentText(core::camera::toString(s.denoise));
    m_framerate->setValue(s.framerateFps.value_or(0.0));
    m_hflip->setChecked(s.hflip);
    m_vflip->setChecked(s.vflip);
}

CameraSettings CameraSettingsPanel::settings() const
{
    CameraSettings s = m_base;
    const double shutter = m_shutterUs->value();
    s.shutter = shutter > 0 ? std::optional(std::chrono::microseconds(qint64(shutter))) : std::nullopt;
    s.analogueGain = m_gain->value() > 0 ? std::optional(m_gain->value()) : std::nullopt;
    s.awbMode = core::camera::awbModeFromString(m_awb->currentText()).value_or(s.awbMode);
    // rpicam-apps fixes the colour gains only when both are non-zero.
    if (m_awbRed->value() > 0 && m_awbBlue->value() > 0)
        s.awbGains = core::camera::AwbGains {m_awbRed->value(), m_awbBlue->value()};
    else
        s.awbGains.reset();
    s.denoise = core::camera::denoiseFromString(m_denoise->currentText()).value_or(s.denoise);
    s.framerateFps = m_framerate->value() > 0 ? std::optional(m_framerate->value()) : std::nullopt;
    s.hflip = m_hflip->isChecked();
    s.vflip = m_vflip->isChecked();
    return s;
}

void CameraSettingsPanel::showProblems(const QString &file, const core::Diagnostics &diagnostics)
{
    m_problems->clear();
    const QString name = QFileInfo(file).fileName();
    for (const auto &d : diagnostics.all()) {
        const QString kind = d.severity == core::Severity::Error ? tr("error") : tr("warning");
        m_problems->addItem(QStringLiteral("%1 %2: %3: %4")
                                .arg(name, d.path.isEmpty() ? tr("file") : d.path, kind, d.message));
    }
    if (diagnostics.isEmpty())
        m_problems->addItem(tr("%1: no problems").arg(name));
}

bool CameraSettingsPanel::loadFile(const QString &path)
{
    auto r = core::camera::readRpicamConfigFile(path, CameraSettings {});
    showProblems(path, r.diagnostics);
    if (r.diagnostics.hasErrors())
        return false;
    setSettings(r.settings);
    return true;
}

bool CameraSettingsPanel::saveFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || f.write(core::camera::writeRpicamConfig(settings())) < 0) {
        m_problems->clear();
        m_problems->addItem(tr("%1 could not be written: %2").arg(path, f.errorString()));
        return false;
    }
    m_problems->clear();
    m_problems->addItem(tr("Saved %1").arg(path));
    return true;
}

void CameraSettingsPanel::setBusy(bool busy)
{
    m_apply->setEnabled(!busy);
    m_load->setEnabled(!busy);
}

}  // namespace scopesync::ui
