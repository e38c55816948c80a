// MainWindow: the instrument window — preview in the middle, panels in docks, primary actions always in
// reach.
#include "ui/main_window/main_window.h"

#include "core/acquisition/rig_timing.h"
#include "core/protocol/protocol_validator.h"
#include "ui/calibration/calibration_wizard.h"
#include "ui/calibration/instrument_setup_session.h"
#include "ui/calibration/instrument_setup_wizard.h"
#include "ui/calibration/rig_calibration_session.h"
#include "ui/camera/camera_settings_panel.h"
#include "ui/controls/instrument_controls.h"
#include "ui/controls/manual_controls.h"
#include "ui/controls/temperature_plot.h"
#include "ui/doctor/doctor_dialog.h"
#include "ui/fleet/fleet_panel.h"
#include "ui/main_window/status_strip.h"
#include "ui/preview/preview_panel.h"
#include "ui/preview/preview_widget.h"
#include "ui/protocol_editor/protocol_editor.h"
#include "ui/run/run_panel.h"
#include "ui/timing_view/timing_view.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScroller>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QTime>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

// The library's resources (style sheet, sample protocols): a static library must register them.
static void initUiResources()
{
    Q_INIT_RESOURCE(scopesync);
}

namespace scopesync::ui {

namespace {
constexpr int kLayoutVersion = 1;
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state-%1");
}  // namespace

MainWindow::MainWindow(RigFactory factory, MainWindowOptions options, QWidget *parent)
    : QMainWindow(parent), m_options(std::move(options))
{
    setObjectName(QStringLiteral("mainWindow"));
    initUiResources();
    applyTheme(QSettings().value(QStringLiteral("view/dark"), false).toBool());
    setWindowTitle(tr("ScopeSync"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::GroupedDragging);
    setTabPosition(Qt::AllDockWidgetAreas, QTabWidget::North);
    m_controller = new RigController(std::move(factory), this);

    m_preview = new PreviewPanel(m_controller->mailbox(), this);
    setCentralWidget(m_preview);
    m_status = new StatusStrip(this);
    statusBar()->addWidget(m_status, 1);
    statusBar()->setSizeGripEnabled(false);

    m_editor = new ProtocolEditor(this);
    addPanel(QStringLiteral("protocolDock"), tr("Protocol"), m_editor, true, true);
    connect(m_editor, &ProtocolEditor::protocolChanged, this, [this] {
        m_run->setProtocolName(m_editor->protocol().name);
        refreshTiming();
    });
    m_run = new RunPanel(this);
    addPanel(QStringLiteral("runDock"), tr("Run"), m_run, true);
    m_manual = new ManualControls(this);
    addPanel(QStringLiteral("manualDock"), tr("Manual"), m_manual, true);
    m_instrument = new InstrumentControls(this);
    addPanel(QStringLiteral("instrumentDock"), tr("Instrument"), m_instrument, true);
    m_camera = new CameraSettingsPanel(this);
    addPanel(QStringLiteral("cameraDock"), tr("Camera"), m_camera, true);
    m_timing = new TimingView(this);
    addPanel(QStringLiteral("timingDock"), tr("Timing"), m_timing, true);
    m_calibration = new RigCalibrationSession(*m_controller, this);

    buildActions();

    QSettings settings;
    m_runsDir = m_options.runsDirectory;
    if (m_runsDir.isEmpty())
        m_runsDir = settings
                        .value(QStringLiteral("runs/directory"),
                            QDir::home().filePath(QStringLiteral("ScopeSync runs")))
                        .toString();
    m_preview->falseColourButton()->setChecked(
        settings.value(QStringLiteral("preview/falseColour"), false).toBool());
    m_preview->overexposureButton()->setChecked(
        settings.value(QStringLiteral("preview/markOverexposed"), true).toBool());

    // Rig wiring: everything crosses threads through the controller's queued signals.
    connect(m_controller, &RigController::previewFrameReady, m_preview, &PreviewPanel::takeFrame);
    // Frames are binned for what the preview shows; a still frame is re-binned when zoomed in.
    connect(m_preview->preview(), &PreviewWidget::viewChanged, this, [this] {
        const PreviewWidget *widget = m_preview->preview();
        const PreviewView view = widget->view();
        m_controller->setPreviewView(view);
        const auto &frame = widget->frame();
        if (frame && frame->full
            && PreviewFrame::binFor(
                   QSize(frame->full->width, frame->full->height), view, RigController::kPreviewMaxSide)
                < frame->bin)
            m_controller->rebinPreview(frame);
    });
    connect(m_controller, &RigController::statusChanged, m_status, &StatusStrip::setStatus);
    connect(m_controller, &RigController::rigOpened, this, [this](const QString &summary) {
        // The strip shows the rig; a temporary status message would hide it.
        m_status->setToolTip(summary);
        if (m_options.startLive)
            m_controller->setLive(true);
    });
    connect(m_controller, &RigController::rigFailed, this,
        [this](const QString &why) { showError(tr("The rig could not be opened"), why); });
    connect(m_controller, &RigController::errorOccurred, this, &MainWindow::showError);
    // Measured edges, grouped per frame behind the trigger edge they are timed from.
    connect(m_controller, &RigController::edgesMeasured, this,
        [this](const std::vector<core::acquisition::DrivenEdge> &edges) {
            std::vector<core::acquisition::DrivenEdge> frame;
            std::optional<core::acquisition::MonoTime> trigger;
            const auto flush = [&] {
                if (trigger && !frame.empty())
                    m_timing->addMeasuredEdges(frame, *trigger);
                frame.clear();
            };
            for (const auto &e : edges) {
                if (e.line == QLatin1String("trigger")) {
                    if (e.active) {
                        flush();
                        trigger = e.measured;
                    }
                    continue;
                }
                frame.push_back(e);
            }
            flush();
        });
    connect(m_controller, &RigController::liveChanged, m_liveAction, &QAction::setChecked);
    connect(m_controller, &RigController::manualCaptured, m_manual, &ManualControls::setLastSaved);
    connect(m_controller, &RigController::manualFlagged, this,
        [this](const QString &file, const QStringList &why) {
            showError(tr("The image is flagged"),
                tr("Every take of this image measured a different light from the one planned:\n%1\n\nThe "
                   "last take "
                   "is saved as %2 and flagged in the folder's manifest.jsonl; look at the rig's load and "
                   "the "
                   "timing view, then capture again.")
                    .arg(why.join(QLatin1Char('\n')), file));
        });
    connect(m_controller, &RigController::runStarted, m_run, &RunPanel::onStarted);
    // A run started by a script through the API holds the rig as a local one does.
    connect(m_controller, &RigController::runStarted, this, [this] { setBusy(true); });
    connect(m_controller, &RigController::runProgress, m_run, &RunPanel::onProgress);
    connect(m_controller, &RigController::statusChanged, m_instrument, &InstrumentControls::setStatus);
    connect(m_controller, &RigController::runProgress, this, [this](const core::acquisition::RunProgress &p) {
        // While a run heats, its regulator's readings feed the plot.
        if (p.temperatureKelvin)
            m_instrument->plot()->addSample(double(QDateTime::currentMSecsSinceEpoch()) / 1000.0,
                *p.temperatureKelvin - 273.15,
                p.setPointKelvin ? std::optional<double>(*p.setPointKelvin - 273.15) : std::nullopt);
    });
    connect(m_instrument, &InstrumentControls::filterRequested, m_controller, &RigController::moveFilter);
    connect(m_instrument, &InstrumentControls::focusNudged, m_controller, &RigController::nudgeFocus);
    connect(m_instrument, &InstrumentControls::setPointRequested, m_controller, &RigController::setSetPoint);
    connect(m_controller, &RigController::runPausedChanged, m_run, &RunPanel::onPaused);
    connect(m_controller, &RigController::runThumbnail, m_run, &RunPanel::onThumbnail);
    connect(m_controller, &RigController::runFinished, this, &MainWindow::onRunFinished);

    connect(m_run, &RunPanel::startRequested, this, &MainWindow::startRun);
    connect(m_run, &RunPanel::pauseToggled, m_controller, &RigController::setPaused);
    connect(m_run, &RunPanel::stopRequested, m_controller, &RigController::stopRun);
    connect(m_run, &RunPanel::stepChanged, m_editor, &ProtocolEditor::highlightStep);
    connect(m_manual, &ManualControls::flashRequested, this,
        [this](const QString &led, int ms) { m_controller->flash(led, std::chrono::milliseconds(ms)); });
    connect(m_manual, &ManualControls::captureRequested, this, [this](const QString &led, int ms) {
        m_controller->captureManual(led, std::chrono::milliseconds(ms), m_runsDir);
    });
    connect(m_manual, &ManualControls::liveStrobeChanged, this, [this](const QString &led, int ms) {
        m_controller->setLiveStrobe(led, std::chrono::milliseconds(ms));
        if (!led.isEmpty())
            m_controller->setLive(true);
    });
    connect(
        m_camera, &CameraSettingsPanel::applyRequested, this, [this](const core::camera::CameraSettings &s) {
            if (m_controller->isRunning())
                return;
            m_options.settings = s;
            m_options.cameraConfigFile.clear();  // what runs now is the edited set, not the file
            openRig();
        });

    m_camera->setSettings(m_options.settings);
    m_manual->setRig(m_options.rig);
    if (const int i = m_manual->ledBox()->findText(settings.value(QStringLiteral("manual/led")).toString());
        i >= 0)
        m_manual->ledBox()->setCurrentIndex(i);
    m_run->setProtocolName(QString());
    updateValidationContext();

    const QSize avail = screen() ? screen()->availableSize() : QSize(1280, 800);
    const bool smallScreen = avail.width() < kCompactBelow.width() || avail.height() < kCompactBelow.height();
    // The layout kind last used wins over the screen's size, except in kiosk mode.
    const bool compact
        = m_options.kiosk || settings.value(QStringLiteral("mainWindow/compact"), smallScreen).toBool();
    resize(compact ? avail : QSize(std::min(1400, avail.width()), std::min(900, avail.height())));
    applyLayout(compact);
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    openRig();
}

MainWindow::~MainWindow() = default;

QDockWidget *MainWindow::addPanel(
    const QString &objectName, const QString &title, QWidget *content, bool scroll, bool wide)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    if (scroll) {
        // Kinetic scrolling: a finger drags the panel; taps still reach the buttons.
        auto *area = new QScrollArea(dock);
        area->setWidgetResizable(true);
        area->setFrameShape(QFrame::NoFrame);
        area->setWidget(content);
        area->setHorizontalScrollBarPolicy(wide ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
        QScroller::grabGesture(area->viewport(), QScroller::LeftMouseButtonGesture);
        dock->setWidget(area);
    } else {
        dock->setWidget(content);
    }
    m_docks << dock;
    addDockWidget(Qt::RightDockWidgetArea, dock);
    return dock;
}

QDockWidget *MainWindow::dock(const QString &objectName) const
{
    for (auto *d : m_docks)
        if (d->objectName() == objectName)
            return d;
    return nullptr;
}

QWidget *MainWindow::protocolEditor() const
{
    return m_editor;
}

void MainWindow::buildActions()
{
    m_primary = new QToolBar(tr("Primary actions"), this);
    m_primary->setObjectName(QStringLiteral("primaryBar"));
    m_primary->setMovable(false);
    m_primary->setToolButtonStyle(Qt::ToolButtonTextOnly);
    addToolBar(Qt::TopToolBarArea, m_primary);

    m_liveAction = new QAction(tr("Live"), this);
    m_liveAction->setCheckable(true);
    m_liveAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_liveAction->setToolTip(tr("Live preview on/off (F5)"));
    connect(m_liveAction, &QAction::triggered, m_controller, &RigController::setLive);

    m_captureAction = new QAction(tr("Capture"), this);
    m_captureAction->setShortcut(QKeySequence(Qt::Key_F6));
    m_captureAction->setToolTip(tr("Save one image with the LED chosen in Manual (F6)"));
    connect(m_captureAction, &QAction::triggered, this, [this] {
        m_controller->captureManual(
            m_manual->led(), std::chrono::milliseconds(m_manual->durationMs()), m_runsDir);
    });

    m_runAction = new QAction(tr("Start run"), this);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_runAction->setToolTip(tr("Run the protocol (Ctrl+R)"));
    connect(m_runAction, &QAction::triggered, this, &MainWindow::startRun);

    m_stopAction = new QAction(tr("Stop"), this);
    m_stopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_stopAction->setToolTip(tr("Stop the run; every image saved so far is kept (Ctrl+.)"));
    m_stopAction->setEnabled(false);
    connect(m_stopAction, &QAction::triggered, m_controller, &RigController::stopRun);

    m_openAction = new QAction(tr("Open…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open a protocol, native or .454sp.json (Ctrl+O)"));
    connect(m_openAction, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open protocol"),
            QFileInfo(m_protocolPath).absolutePath(), tr("Protocols (*.json);;All files (*)"));
        if (!path.isEmpty())
            loadProtocol(path);
    });

    m_calibrateAction = new QAction(tr("Calibrate…"), this);
    m_calibrateAction->setToolTip(tr("Find the rig's flash delay window (calibration wizard)"));
    connect(m_calibrateAction, &QAction::triggered, this, &MainWindow::openCalibrationWizard);

    m_doctorAction = new QAction(tr("Rig doctor…"), this);
    m_doctorAction->setObjectName(QStringLiteral("rigDoctorAction"));
    // Disabled with its reason in the status bar and What's This as well: a touchscreen has no hover.
    const QString doctorTip = m_options.doctor
        ? tr("Check this machine for the rig: camera, trigger mode, GPIO, permissions; shows each fix")
        : tr("The rig doctor is not available here; run 'scopesync doctor' in a terminal.");
    m_doctorAction->setToolTip(doctorTip);
    m_doctorAction->setStatusTip(doctorTip);
    m_doctorAction->setWhatsThis(doctorTip);
    m_doctorAction->setEnabled(bool(m_options.doctor));
    connect(m_doctorAction, &QAction::triggered, this, &MainWindow::openRigDoctor);

    for (auto *a : {m_liveAction, m_captureAction, m_runAction, m_stopAction, m_openAction, m_calibrateAction,
             m_doctorAction})
        m_primary->addAction(a);
    auto *panels = new QToolButton(this);
    panels->setText(tr("Panels"));
    panels->setPopupMode(QToolButton::InstantPopup);
    for (auto *d : std::as_const(m_docks))
        panels->addAction(d->toggleViewAction());
    // Fleet…: leads other rigs, so it sits with the panels rather than on the crowded toolbar.
    m_fleetAction = new QAction(tr("Fleet…"), this);
    m_fleetAction->setObjectName(QStringLiteral("fleetAction"));
    const QString fleetTip = m_options.fleetConnect ? tr("Lead a fleet of rigs: capture on every follower at "
                                                         "the same instant, see each one's firing error")
                                                    : tr("Fleets are not available in this build.");
    m_fleetAction->setToolTip(fleetTip);
    m_fleetAction->setStatusTip(fleetTip);
    m_fleetAction->setEnabled(bool(m_options.fleetConnect));
    connect(m_fleetAction, &QAction::triggered, this, &MainWindow::openFleet);
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    panels->addAction(separator);
    panels->addAction(m_fleetAction);
    m_setupAction = new QAction(tr("Set up instrument…"), this);
    m_setupAction->setObjectName(QStringLiteral("setupInstrumentAction"));
    m_setupAction->setToolTip(tr("Centre the filters, focus each filter and tune the heater; saved into the "
                                 "rig file"));
    connect(m_setupAction, &QAction::triggered, this, &MainWindow::openInstrumentSetup);
    panels->addAction(m_setupAction);
    m_darkAction = new QAction(tr("Dark theme"), this);
    m_darkAction->setObjectName(QStringLiteral("darkThemeAction"));
    m_darkAction->setCheckable(true);
    m_darkAction->setChecked(m_dark);
    m_darkAction->setToolTip(tr("Dim colours for a darkened fluorescence room"));
    connect(m_darkAction, &QAction::toggled, this, [this](bool on) {
        applyTheme(on);
        QSettings().setValue(QStringLiteral("view/dark"), on);
    });
    panels->addAction(m_darkAction);
    m_primary->addWidget(panels);

    auto *fullScreen = new QAction(tr("Full screen"), this);
    fullScreen->setShortcut(QKeySequence::FullScreen);
    connect(fullScreen, &QAction::triggered, this,
        [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    addAction(fullScreen);
    auto *quit = new QAction(tr("Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    addAction(quit);
}

void MainWindow::applyTheme(bool dark)
{
    m_dark = dark;
    // Finger-sized controls everywhere in the window, on the touchscreen and on a desktop alike; the dark
    // colours on top when asked for.
    QString sheet;
    for (const QString &name : dark ? QStringList {QStringLiteral("touch"), QStringLiteral("dark")}
                                    : QStringList {QStringLiteral("touch")})
        if (QFile qss(QStringLiteral(":/styles/%1.qss").arg(name)); qss.open(QIODevice::ReadOnly))
            sheet += QString::fromUtf8(qss.readAll());
    setStyleSheet(sheet);
}

void MainWindow::applyLayout(bool compact)
{
    m_compact = compact;
    QDockWidget *first = nullptr;
    for (auto *d : std::as_const(m_docks)) {
        d->setFeatures(compact ? QDockWidget::NoDockWidgetFeatures
                               : QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                    | QDockWidget::DockWidgetClosable);
        d->show();
        if (compact) {
            addDockWidget(Qt::RightDockWidgetArea, d);
            if (first)
                tabifyDockWidget(first, d);
            else
                first = d;
        }
    }
    // Dock tabs scroll rather than elide: on the touchscreen a German "Protok…" would hide the panel's name.
    for (auto *bar : findChildren<QTabBar *>(Qt::FindDirectChildrenOnly)) {
        bar->setElideMode(Qt::ElideNone);
        bar->setUsesScrollButtons(true);
    }
    if (compact) {
        if (auto *runDock = dock(QStringLiteral("runDock")))
            runDock->raise();
        resizeDocks({first}, {std::max(300, width() * 45 / 100)}, Qt::Horizontal);
    } else {
        if (auto *p = dock(QStringLiteral("protocolDock"))) {
            addDockWidget(Qt::LeftDockWidgetArea, p);
            // Wide enough for the editor's tree and form without horizontal scrolling where it fits.
            const int wanted = p->widget()->sizeHint().width();
            resizeDocks({p}, {std::min(wanted, width() * 45 / 100)}, Qt::Horizontal);
        }
        QDockWidget *right = nullptr;
        for (const QString &name :
            {QStringLiteral("runDock"), QStringLiteral("manualDock"), QStringLiteral("cameraDock")}) {
            auto *d = dock(name);
            addDockWidget(Qt::RightDockWidgetArea, d);
            if (right)
                tabifyDockWidget(right, d);
            else
                right = d;
        }
        if (right)
            right->raise();
    }
    const QByteArray saved
        = QSettings()
              .value(kStateKey.arg(compact ? QStringLiteral("compact") : QStringLiteral("desktop")))
              .toByteArray();
    if (!saved.isEmpty())
        restoreState(saved, kLayoutVersion);
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/compact"), m_compact);
    settings.setValue(kStateKey.arg(m_compact ? QStringLiteral("compact") : QStringLiteral("desktop")),
        saveState(kLayoutVersion));
    settings.setValue(QStringLiteral("runs/directory"), m_runsDir);
    settings.setValue(QStringLiteral("preview/falseColour"), m_preview->falseColourButton()->isChecked());
    settings.setValue(
        QStringLiteral("preview/markOverexposed"), m_preview->overexposureButton()->isChecked());
    settings.setValue(QStringLiteral("manual/led"), m_manual->led());
    if (!m_protocolPath.isEmpty())
        settings.setValue(QStringLiteral("protocol/last"), m_protocolPath);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_controller->isRunning()) {
        const auto answer = QMessageBox::question(this, tr("A run is in progress"),
            tr("Stop the run and quit? Every image saved so far is kept."),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_controller->stopRun();
    }
    saveLayout();
    event->accept();
}

void MainWindow::setRunsDirectory(const QString &dir)
{
    m_runsDir = dir;
}

void MainWindow::openRig()
{
    m_controller->openRig(m_options.rig, m_options.settings);
    m_manual->setRig(m_options.rig);
    m_instrument->setRig(m_options.rig);
    updateValidationContext();
}

void MainWindow::updateValidationContext()
{
    m_editor->setValidationContext(
        core::acquisition::rigValidationContext(m_options.rig, m_options.settings));
    m_editor->setRigLeds(m_options.rig.ledNames());
    refreshTiming();
}

bool MainWindow::loadProtocol(const QString &path)
{
    if (!m_editor->loadFile(path))
        return false;
    m_protocolPath = path;
    m_run->setProtocolName(m_editor->protocol().name);
    return true;
}

std::optional<core::protocol::Protocol> MainWindow::protocolToRun(QString *why) const
{
    std::optional<core::protocol::Protocol> p;
    core::Diagnostics problems;
    p = m_editor->protocol();
    problems = m_editor->diagnostics();
    if (!p || p->steps.empty()) {
        *why = tr("Open a protocol first (Open…).");
        return std::nullopt;
    }
    problems.append(core::protocol::validateProtocol(
        *p, core::acquisition::rigValidationContext(m_options.rig, m_options.settings)));
    if (problems.hasErrors()) {
        QStringList lines;
        for (const auto &d : problems.errors().mid(0, 5))
            lines << d.toString();
        *why = tr("The protocol has errors; fix them first:\n%1").arg(lines.join(u'\n'));
        return std::nullopt;
    }
    return p;
}

void MainWindow::startRun()
{
    if (m_controller->isRunning())
        return;
    QString why;
    const auto protocol = protocolToRun(&why);
    if (!protocol) {
        showError(tr("The run was not started"), why);
        return;
    }
    setBusy(true);
    m_controller->startRun(
        *protocol, m_runsDir, {m_protocolPath, m_options.cameraConfigFile, m_options.rigFile});
}

void MainWindow::setRemoteAccess(const QString &address)
{
    m_remoteAddress = address;
    if (!m_remote) {
        m_remote = new QLabel(this);
        m_remote->setObjectName(QStringLiteral("remoteActivity"));
        statusBar()->addPermanentWidget(m_remote);
    }
    m_remote->setText(tr("API %1").arg(address));
    m_remote->setToolTip(tr("Scripts can drive this rig through %1 (bearer token required)").arg(address));
}

void MainWindow::showRemoteCommand(const QString &what)
{
    if (!m_remote)
        setRemoteAccess(QString());
    const QString when = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    m_remote->setText(tr("API: %1 (%2)").arg(what, when));
    statusBar()->showMessage(tr("Remote client: %1").arg(what), 8000);
}

QString MainWindow::remoteActivity() const
{
    return m_remote ? m_remote->text() : QString();
}

void MainWindow::setBusy(bool busy)
{
    m_runAction->setEnabled(!busy);
    m_captureAction->setEnabled(!busy);
    m_liveAction->setEnabled(!busy);
    m_stopAction->setEnabled(busy);
    m_manual->setBusy(busy);
    m_instrument->setBusy(busy);
    m_camera->setBusy(busy);
    m_run->startButton()->setEnabled(!busy);
}

void MainWindow::onRunFinished(const core::acquisition::RunOutcome &outcome, const QString &folder)
{
    setBusy(false);
    m_run->onFinished(outcome, folder);
    if (outcome.completed)
        return;
    const QString kept = folder.isEmpty()
        ? tr("Nothing was saved: no run folder was created.")
        : tr("%1 of %2 images were saved in %3; each is complete and listed in manifest.jsonl.")
              .arg(outcome.imagesSaved)
              .arg(outcome.framesPlanned)
              .arg(folder);
    const QString leds = folder.isEmpty()
        ? QString()
        : (outcome.ledsOffAtEnd ? tr("All LEDs are off.") : tr("WARNING: an LED may still be on."));
    showError(tr("The run stopped"),
        tr("What happened: %1\n\nWhat was kept: %2\n\n%3").arg(outcome.stopReason, kept, leds));
}

void MainWindow::showError(const QString &title, const QString &message)
{
    // Window-modal but not blocking: the preview and the status keep updating behind it.
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::openCalibrationWizard()
{
    if (m_controller->isRunning()) {
        showError(tr("Calibration"), tr("A run is in progress; calibrate when it has finished."));
        return;
    }
    const QString rigArgument = m_options.rigFile.isEmpty() ? QStringLiteral("sim") : m_options.rigFile;
    CalibrationWizard wizard(*m_calibration, m_options.rig, m_options.settings, rigArgument, this);
    if (wizard.exec() == QDialog::Accepted && wizard.result()) {
        // Runs from now on use the calibrated delay.
        m_options.rig.delay
            = std::chrono::microseconds(qint64(std::llround(wizard.result()->recommended.count())));
        m_controller->openRig(m_options.rig, m_options.settings);
        refreshTiming();
        statusBar()->showMessage(tr("Flash delay %1 ms saved to %2")
                                     .arg(wizard.result()->recommended.count() / 1000.0, 0, 'f', 2)
                                     .arg(wizard.savedProfile()),
            10000);
    }
}

void MainWindow::openInstrumentSetup()
{
    if (m_controller->isRunning()) {
        showError(
            tr("Instrument set-up"), tr("A run is in progress; set the instrument up when it has finished."));
        return;
    }
    if (!m_options.rig.filterWheel && !m_options.rig.focus && !m_options.rig.heater) {
        showError(tr("Instrument set-up"),
            tr("This rig has no filter wheel, focus drive or heater to set up. Describe them in the rig file "
               "(or import a 454 hardware configuration with 'scopesync rig import') and open it again."));
        return;
    }
    InstrumentSetupSession session(*m_controller);
    InstrumentSetupWizard wizard(session, m_options.rig, m_options.rigFile, this);
    wizard.exec();
    // Waits for work the wizard left on the worker (a cancelled step test turns the heater off first).
    while (session.busy())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    if (wizard.savedTo().isEmpty())
        return;
    // Runs and manual moves from now on use what was saved.
    m_options.rig = wizard.rig();
    m_options.rigFile = wizard.savedTo();
    m_controller->openRig(m_options.rig, m_options.settings);
    statusBar()->showMessage(tr("Instrument set-up saved to %1").arg(wizard.savedTo()), 10000);
}

void MainWindow::openFleet()
{
    if (!m_options.fleetConnect)
        return;
    if (m_fleetDialog) {
        m_fleetDialog->raise();
        m_fleetDialog->activateWindow();
        return;
    }
    // Not modal: the preview and runs go on while the fleet is led.
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("fleetDialog"));
    dialog->setWindowTitle(tr("Fleet"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(dialog);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(new FleetPanel(m_options.fleetConnect, m_options.rig.ledNames(), dialog));
    dialog->resize(m_compact ? QSize(780, 440) : QSize(1000, 640));
    m_fleetDialog = dialog;
    dialog->show();
}

void MainWindow::openRigDoctor()
{
    if (!m_options.doctor)
        return;
    // Window-modal but not blocking, like the error boxes: the preview keeps running while it checks.
    auto *dialog = new DoctorDialog(m_options.doctor, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const auto &rig = m_options.rig;
    dialog->setRigSummary(QStringLiteral("%1%2, %3, %4")
                              .arg(rig.name.isEmpty() ? QString() : rig.name + QStringLiteral(" — "),
                                  rig.sensor, core::acquisition::triggerModeName(rig.trigger), rig.gpioChip));
    dialog->open();
}

void MainWindow::refreshTiming()
{
    const auto *sensor = m_options.rig.sensorInfo();
    const auto *mode = m_options.rig.sensorMode();
    if (!sensor || !mode || !m_options.settings.shutter)
        return;
    std::vector<core::acquisition::LedPulse> flashes;
    // The first image's flashes stand for the protocol: the plot shows one frame.
    std::vector<const core::protocol::Step *> steps;
    const auto protocol = m_editor->protocol();
    for (auto it = protocol.steps.rbegin(); it != protocol.steps.rend(); ++it)
        steps.push_back(&*it);
    while (!steps.empty() && flashes.empty()) {
        const auto *step = steps.back();
        steps.pop_back();
        if (step->kind == core::protocol::StepKind::Image)
            for (const auto &f : step->flashes)
                flashes.push_back({f.led, m_options.rig.delay, f.duration, f.intensityPerMille});
        for (auto it = step->children.rbegin(); it != step->children.rend(); ++it)
            steps.push_back(&*it);
    }
    if (flashes.empty())
        flashes.push_back({m_options.rig.ledNames().value(0), m_options.rig.delay,
            std::chrono::microseconds(150'000), 1000});
    m_timing->setModel(*mode, sensor->shutter, *m_options.settings.shutter, m_options.rig.delay, flashes);
}

}  // namespace scopesync::ui
