// CalibrationWizard: finds a rig's XVS-to-flash delay window step by step, usable on the 800×480 screen.
#include "ui/calibration/calibration_wizard.h"

#include "core/calibration/calibration_profile.h"
#include "core/calibration/rig_delay_probe.h"
#include "ui/calibration/calibration_plots.h"
#include "ui/common/touch_spin_box.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QRadioButton>
#include <QScrollArea>
#include <QScroller>
#include <QVBoxLayout>

namespace scopesync::ui {

using namespace std::chrono;

namespace {
constexpr int kTouchPx = 48;

QString ms(double v)
{
    return QString::number(v, 'f', 2);
}

QLabel *wrapped(const QString &text)
{
    auto *l = new QLabel(text);
    l->setWordWrap(true);
    l->setTextFormat(Qt::RichText);
    return l;
}
}  // namespace

// --- Page 1: checks ------------------------------------------------------------------------------

// A page's content inside a scroll area, so a page taller than the 800×480 screen scrolls instead of
// pushing the wizard's Back/Next/Cancel row off the bottom. Returns the widget to lay the content on.
QWidget *scrollingBody(QWizardPage *page)
{
    auto *outer = new QVBoxLayout(page);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *area = new QScrollArea(page);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *body = new QWidget(area);
    area->setWidget(body);
    QScroller::grabGesture(area->viewport(), QScroller::LeftMouseButtonGesture);
    outer->addWidget(area);
    return body;
}

class CalibrationChecksPage : public QWizardPage {
    Q_OBJECT

public:
    CalibrationChecksPage(
        const core::acquisition::RigDescription &rig, const core::camera::CameraSettings &settings)
    {
        setTitle(tr("Before calibrating"));
        auto *layout = new QVBoxLayout(scrollingBody(this));
        QStringList lines;
        const auto *sensor = rig.sensorInfo();
        lines << tr("Rig: %1 backend, %2 %3×%4, trigger %5, LEDs %6")
                     .arg(rig.backend, rig.sensor)
                     .arg(rig.modeWidth)
                     .arg(rig.modeHeight)
                     .arg(core::acquisition::triggerModeName(rig.trigger),
                         rig.ledNames().join(QStringLiteral(", ")));
        if (sensor)
            lines << (sensor->shutter == core::timing::ShutterType::Rolling
                    ? tr("Rolling shutter: the flash must land while every row exposes.")
                    : tr("Global shutter: every row exposes together; the window starts at the trigger."));
        QStringList why;
        if (settings.isFixed(&why))
            lines << tr("✔ Camera settings are fixed (shutter %1 ms, gain %2).")
                         .arg(double(settings.shutter->count()) / 1000.0)
                         .arg(settings.analogueGain.value_or(1.0));
        else
            lines << tr("⚠ Camera settings are not fully fixed: %1. Scores compare frames, so fix them first "
                        "for a trustworthy result.")
                         .arg(why.join(QStringLiteral("; ")));
        if (rig.trigger == core::acquisition::TriggerMode::FreeRun)
            lines << tr("ℹ No trigger wire (free-run): the flashes follow frame starts predicted from the "
                        "camera's timestamps, so the window found is only as precise as those timestamps.");
        layout->addWidget(wrapped(lines.join(QStringLiteral("<br>"))));
        auto *slide = new QCheckBox(tr("A slide is in place, focused, and will not move during calibration"));
        slide->setMinimumHeight(kTouchPx);
        layout->addWidget(slide);
        layout->addStretch();
        registerField(QStringLiteral("slideReady*"), slide);
    }
};

// --- Page 2: LED, flash, target ----------------------------------------------------------------------

class CalibrationSetupPage : public QWizardPage {
    Q_OBJECT

public:
    explicit CalibrationSetupPage(CalibrationWizard &wizard) : m_wizard(wizard)
    {
        setTitle(tr("Light and target"));
        auto *form = new QFormLayout(scrollingBody(this));
        m_led = new QComboBox;
        m_led->addItems(wizard.m_rig.ledNames());
        m_led->setMinimumHeight(kTouchPx);
        form->addRow(tr("LED"), m_led);
        m_flash = new TouchSpinBox;
        m_flash->setRange(0.1, double(wizard.m_rig.ledMaxOn.count()));
        m_flash->setDecimals(1);
        m_flash->setSingleStep(10);
        m_flash->setSuffix(tr(" ms"));
        m_flash->setValue(std::min(150.0, double(wizard.m_rig.ledMaxOn.count())));
        form->addRow(tr("Flash"), m_flash);
        m_centre = new QRadioButton(tr("Centre of the window (most tolerant)"));
        m_earliest = new QRadioButton(tr("Earliest, with a margin of"));
        m_centre->setChecked(true);
        m_margin = new TouchSpinBox;
        m_margin->setRange(0, 50);
        m_margin->setDecimals(1);
        m_margin->setValue(0.5);
        m_margin->setSuffix(tr(" ms"));
        auto *earliestRow = new QHBoxLayout;
        earliestRow->addWidget(m_earliest);
        earliestRow->addWidget(m_margin);
        form->addRow(tr("Recommend"), m_centre);
        form->addRow(QString(), earliestRow);
        m_sweep = new QCheckBox(tr("Plain sweep instead (every step, slower; shows the whole curve)"));
        m_sweep->setMinimumHeight(kTouchPx);
        form->addRow(QString(), m_sweep);
        m_sweepStart = new TouchSpinBox;
        m_sweepStop = new TouchSpinBox;
        m_sweepStep = new TouchSpinBox;
        for (auto *s : {m_sweepStart, m_sweepStop, m_sweepStep}) {
            s->setRange(0, 2000);
            s->setDecimals(1);
            s->setSuffix(tr(" ms"));
        }
        m_sweepStop->setValue(100);
        m_sweepStep->setValue(5);
        m_sweepStep->setRange(0.1, 1000);
        auto *sweepRow = new QHBoxLayout;
        sweepRow->addWidget(m_sweepStart);
        sweepRow->addWidget(new QLabel(QStringLiteral("…")));
        sweepRow->addWidget(m_sweepStop);
        sweepRow->addWidget(new QLabel(tr("step")));
        sweepRow->addWidget(m_sweepStep);
        form->addRow(tr("Sweep"), sweepRow);
        m_prediction = wrapped(QString());
        form->addRow(m_prediction);

        connect(m_led, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
        connect(m_flash, &TouchSpinBox::valueChanged, this, [this] { refresh(); });
        connect(m_sweep, &QCheckBox::toggled, this, [this] { refresh(); });
        refresh();
    }

    [[nodiscard]] bool isComplete() const override { return m_ok; }

    [[nodiscard]] CalibrationChoice choice() const
    {
        CalibrationChoice c;
        c.led = m_led->currentText();
        c.flash = microseconds(qint64(m_flash->value() * 1000.0));
        c.earliest = m_earliest->isChecked();
        c.margin = microseconds(qint64(m_margin->value() * 1000.0));
        if (m_sweep->isChecked())
            c.sweep = core::calibration::SweepRange {microseconds(qint64(m_sweepStart->value() * 1000.0)),
                microseconds(qint64(m_sweepStop->value() * 1000.0)),
                microseconds(qint64(m_sweepStep->value() * 1000.0))};
        return c;
    }

private:
    void refresh()
    {
        const CalibrationChoice c = choice();
        for (auto *s : {m_sweepStart, m_sweepStop, m_sweepStep})
            s->setEnabled(m_sweep->isChecked());
        const QString ledProblem = core::calibration::RigDelayProbe::checkLed(m_wizard.m_rig, c.led, c.flash);
        auto request = core::calibration::RigDelayProbe::requestFor(
            m_wizard.m_rig, m_wizard.m_settings, true, c.flash);
        QString text;
        m_ok = false;
        if (!ledProblem.isEmpty()) {
            text = QStringLiteral("⚠ ") + ledProblem.toHtmlEscaped();
        } else if (!request.ok()) {
            text = QStringLiteral("⚠ ") + request.error().toString().toHtmlEscaped();
        } else if (auto why = request->infeasibility()) {
            text = QStringLiteral("⚠ ") + why->toHtmlEscaped();
        } else {
            const auto w = request->model().validWindow(request->flash);
            text = tr("The sensor model predicts a window of %1 – %2 ms after the trigger; the rig's own "
                      "trigger offset "
                      "moves it, which is what the calibration measures.")
                       .arg(ms(w.start.count() / 1000.0), ms(w.end.count() / 1000.0));
            m_ok = true;
        }
        m_prediction->setText(text);
        Q_EMIT completeChanged();
    }

    CalibrationWizard &m_wizard;
    QComboBox *m_led;
    TouchSpinBox *m_flash;
    QRadioButton *m_centre;
    QRadioButton *m_earliest;
    TouchSpinBox *m_margin;
    QCheckBox *m_sweep;
    TouchSpinBox *m_sweepStart;
    TouchSpinBox *m_sweepStop;
    TouchSpinBox *m_sweepStep;
    QLabel *m_prediction;
    bool m_ok = false;
};

// --- Page 3: the search running -------------------------------------------------------------------

class CalibrationRunPage : public QWizardPage {
    Q_OBJECT

public:
    explicit CalibrationRunPage(CalibrationWizard &wizard) : m_wizard(wizard)
    {
        setTitle(tr("Searching"));
        auto *layout = new QHBoxLayout(scrollingBody(this));
        m_frame = new QLabel;
        m_frame->setMinimumSize(200, 150);
        m_frame->setAlignment(Qt::AlignCenter);
        m_frame->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        layout->addWidget(m_frame, 1);
        auto *right = new QVBoxLayout;
        m_status = wrapped(QString());
        m_progress = new QProgressBar;
        m_progress->setRange(0, 0);
        m_curve = new ScoreCurvePlot;
        m_profile = new RowProfilePlot;
        right->addWidget(m_status);
        right->addWidget(m_progress);
        right->addWidget(m_curve, 2);
        right->addWidget(m_profile, 1);
        layout->addLayout(right, 1);

        connect(
            &wizard.m_session, &CalibrationSession::calibrationStep, this, [this](const CalibrationStep &s) {
                m_curve->addStep(s);
                m_profile->setProfile(s.rowProfile, tr("%1 ms").arg(ms(s.delayMs)));
                if (!s.frameImage.isNull())
                    m_frame->setPixmap(
                        QPixmap::fromImage(s.frameImage)
                            .scaled(m_frame->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
                m_status->setText(
                    tr("Frame %1 (%2) at %3 ms: uniformity %4, dark edge: %5.<br>Window so far: %6 – %7 ms")
                        .arg(s.frame)
                        .arg(s.phase)
                        .arg(ms(s.delayMs))
                        .arg(s.uniformity, 0, 'f', 3)
                        .arg(s.darkEdge)
                        .arg(ms(s.windowStartMs), ms(s.windowEndMs)));
            });
        connect(&wizard.m_session, &CalibrationSession::calibrationFinished, this,
            [this](const core::calibration::CalibrationResult &r, const QString &error) {
                m_running = false;
                m_progress->setRange(0, 1);
                m_progress->setValue(1);
                if (error.isEmpty()) {
                    m_wizard.m_result = r;
                    m_status->setText(
                        tr("Done in %1 frames: window %2 – %3 ms.")
                            .arg(r.framesUsed)
                            .arg(ms(r.windowStart.count() / 1000.0), ms(r.windowEnd.count() / 1000.0)));
                } else {
                    m_wizard.m_result.reset();
                    m_status->setText(
                        tr("⚠ Calibration stopped: %1<br>Nothing was saved; every LED is off. Go back to "
                           "change the settings.")
                            .arg(error.toHtmlEscaped()));
                }
                Q_EMIT completeChanged();
            });
    }

    void initializePage() override
    {
        m_curve->clear();
        m_profile->setProfile({}, QString());
        m_wizard.m_result.reset();
        m_running = true;
        m_progress->setRange(0, 0);
        m_status->setText(tr("Starting the rig…"));
        const auto c = m_wizard.choice();
        if (c.sweep)
            m_curve->setRange(c.sweep->start.count() / 1000.0, c.sweep->stop.count() / 1000.0);
        m_wizard.m_session.startCalibration(c);
    }

    void cleanupPage() override
    {
        if (m_running)
            m_wizard.m_session.cancelCalibration();
    }

    [[nodiscard]] bool isComplete() const override { return !m_running && m_wizard.m_result.has_value(); }

private:
    CalibrationWizard &m_wizard;
    QLabel *m_frame;
    QLabel *m_status;
    QProgressBar *m_progress;
    ScoreCurvePlot *m_curve;
    RowProfilePlot *m_profile;
    bool m_running = false;
};

// --- Page 4: result --------------------------------------------------------------------------------

class CalibrationResultPage : public QWizardPage {
    Q_OBJECT

public:
    explicit CalibrationResultPage(CalibrationWizard &wizard) : m_wizard(wizard)
    {
        setTitle(tr("Result"));
        auto *layout = new QVBoxLayout(scrollingBody(this));
        m_text = wrapped(QString());
        layout->addWidget(m_text);
        layout->addStretch();
        setButtonText(QWizard::FinishButton, tr("Apply"));
        setFinalPage(true);
    }

    void initializePage() override
    {
        if (!m_wizard.m_result)
            return;
        const auto &r = *m_wizard.m_result;
        m_text->setText(
            tr("<b>Recommended delay: %1 ms</b> (%2)<br>Valid window: %3 – %4 ms after the trigger "
               "(%5 ms wide)<br>The model predicted %6 – %7 ms: this rig's trigger offset is %8 ms.<br>"
               "%9 frames, %10.<br><br>Apply saves this as the rig's calibration profile at<br><tt>%11</tt>"
               "<br>Runs use its delay by default and warn when the sensor mode, shutter or flash differ.")
                .arg(ms(r.recommended.count() / 1000.0))
                .arg(r.earliest ? tr("earliest + %1 ms").arg(ms(r.margin.count() / 1000.0)) : tr("centre"))
                .arg(ms(r.windowStart.count() / 1000.0), ms(r.windowEnd.count() / 1000.0))
                .arg(ms((r.windowEnd - r.windowStart).count() / 1000.0))
                .arg(ms(r.predictedStart.count() / 1000.0), ms(r.predictedEnd.count() / 1000.0))
                .arg(ms(r.measuredOffset().count() / 1000.0))
                .arg(r.framesUsed)
                .arg(r.method)
                .arg(core::calibration::CalibrationProfile::pathFor(m_wizard.m_rigArgument).toHtmlEscaped()));
    }

private:
    CalibrationWizard &m_wizard;
    QLabel *m_text;
};

// --- The wizard ----------------------------------------------------------------------------------

CalibrationWizard::CalibrationWizard(CalibrationSession &session, core::acquisition::RigDescription rig,
    core::camera::CameraSettings settings, QString rigArgument, QWidget *parent)
    : QWizard(parent),
      m_session(session),
      m_rig(std::move(rig)),
      m_settings(std::move(settings)),
      m_rigArgument(std::move(rigArgument))
{
    setWindowTitle(tr("Calibrate the flash delay"));
    setWizardStyle(QWizard::ClassicStyle);  // no side banner: room for the frame and plots at 800×480
    setOption(QWizard::NoBackButtonOnLastPage);
    setPage(ChecksPage, new CalibrationChecksPage(m_rig, m_settings));
    m_setup = new CalibrationSetupPage(*this);
    setPage(SetupPage, m_setup);
    setPage(RunPage, new CalibrationRunPage(*this));
    setPage(ResultPage, new CalibrationResultPage(*this));
    for (auto b : {QWizard::BackButton, QWizard::NextButton, QWizard::FinishButton, QWizard::CancelButton})
        if (auto *w = button(b))
            w->setMinimumHeight(kTouchPx);
    resize(780, 460);
    connect(this, &QWizard::rejected, this, [this] { m_session.cancelCalibration(); });
}

CalibrationChoice CalibrationWizard::choice() const
{
    return m_setup->choice();
}

void CalibrationWizard::accept()
{
    if (m_result) {
        const auto c = choice();
        const auto profile = core::calibration::CalibrationProfile::from(
            *m_result, m_rig, m_settings.shutter.value_or(microseconds(0)), c.flash, c.led);
        const QString path = core::calibration::CalibrationProfile::pathFor(m_rigArgument);
        if (auto s = profile.save(path); !s.ok()) {
            QMessageBox::critical(this, tr("Calibration not saved"),
                tr("The profile could not be written: %1\nThe result is still shown; free the disk or fix "
                   "the "
                   "permission and press Apply again.")
                    .arg(s.error().toString()));
            return;
        }
        m_savedProfile = path;
    }
    QWizard::accept();
}

}  // namespace scopesync::ui

#include "calibration_wizard.moc"
