// InstrumentSetupWizard: filter centring, focus per filter and heater tuning, saved into the rig file.
#include "ui/calibration/instrument_setup_wizard.h"

#include "core/acquisition/rig_file_editor.h"
#include "ui/calibration/instrument_setup_session.h"
#include "ui/calibration/xy_plot.h"
#include "ui/common/touch_spin_box.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

#include <cmath>

namespace scopesync::ui {

using core::acquisition::RigDescription;
using core::acquisition::SetupAxis;

namespace {

constexpr int kTouchPx = 48;
constexpr int kFrameWidth = 280;
constexpr int kFrameHeight = 210;

QPushButton *touchButton(const QString &text)
{
    auto *b = new QPushButton(text);
    b->setMinimumHeight(kTouchPx);
    return b;
}

QLabel *wrappedLabel(const QString &text = {})
{
    auto *l = new QLabel(text);
    l->setWordWrap(true);
    return l;
}

double celsius(double kelvin)
{
    return kelvin - 273.15;
}

}  // namespace

// --- Page 1: what will be set up, and where it is saved ---------------------------------------------

class SetupIntroPage : public QWizardPage {
    Q_OBJECT

public:
    SetupIntroPage(const RigDescription &rig, const QString &rigFile)
    {
        setTitle(tr("Set the instrument up"));
        auto *layout = new QVBoxLayout(this);
        QStringList lines;
        lines << (rig.filterWheel
                ? tr("Filter wheel (%1): centre each filter in the beam.").arg(rig.filterWheel->kind)
                : tr("No filter wheel in this rig."));
        lines << (rig.focus ? tr("Focus (%1): find each filter's sharpest position.").arg(rig.focus->kind)
                            : tr("No focus drive in this rig."));
        lines << (rig.heater ? tr("Heater (%1): a step test proposes P and I and predicts the settling.")
                                   .arg(rig.heater->kind)
                             : tr("No heater in this rig."));
        lines << QString();
        lines << (rigFile.isEmpty()
                ? tr("The built-in simulated rig has no file: the first Save writes it to %1 (start with "
                     "--rig %1 to use it).")
                      .arg(InstrumentSetupWizard::builtInRigFile())
                : tr("Each Save writes one value into %1, keeping every other field.").arg(rigFile));
        lines << tr("Nothing is saved until you press a page's Save button; Cancel keeps what was saved.");
        auto *text = wrappedLabel(lines.join(QLatin1Char('\n')));
        text->setObjectName(QStringLiteral("setupIntro"));
        layout->addWidget(text);
        layout->addStretch();
    }
};

// --- Pages 2 and 3: a position (wheel or focus), stepped, scanned and saved -------------------------

class PositionSetupPage : public QWizardPage {
    Q_OBJECT

public:
    PositionSetupPage(InstrumentSetupWizard &wizard, SetupAxis axis) : m_wizard(wizard), m_axis(axis)
    {
        const RigDescription &rig = wizard.rig();
        const bool wheel = axis == SetupAxis::FilterWheel;
        setObjectName(wheel ? QStringLiteral("filterSetupPage") : QStringLiteral("focusSetupPage"));
        setTitle(wheel ? tr("Centre each filter") : tr("Focus each filter"));
        auto *row = new QHBoxLayout(this);
        row->setContentsMargins(0, 0, 0, 0);

        auto *left = new QVBoxLayout;
        m_frame = new QLabel;
        m_frame->setObjectName(QStringLiteral("setupFrame"));
        m_frame->setFixedSize(kFrameWidth, kFrameHeight);
        m_frame->setAlignment(Qt::AlignCenter);
        m_frame->setFrameShape(QFrame::Box);
        m_frame->setText(tr("no frame yet"));
        left->addWidget(m_frame);
        m_status = wrappedLabel();
        m_status->setObjectName(QStringLiteral("setupStatus"));
        m_status->setMaximumWidth(kFrameWidth);
        left->addWidget(m_status, 1);
        row->addLayout(left);

        auto *right = new QVBoxLayout;
        auto *form = new QFormLayout;
        form->setContentsMargins(0, 0, 0, 0);
        auto *pick = new QHBoxLayout;
        m_filter = new QComboBox;
        m_filter->setObjectName(QStringLiteral("setupFilter"));
        m_filter->setMinimumHeight(kTouchPx);
        m_filter->addItems(rig.filterWheel ? rig.filterWheel->order : rig.focus->perFilter.keys());
        m_led = new QComboBox;
        m_led->setObjectName(QStringLiteral("setupLed"));
        m_led->setMinimumHeight(kTouchPx);
        m_led->addItems(rig.ledNames());
        pick->addWidget(m_filter, 1);
        pick->addWidget(m_led, 1);
        form->addRow(tr("Filter, LED"), pick);
        m_position = new TouchSpinBox;
        m_position->setObjectName(QStringLiteral("setupPosition"));
        m_position->setDecimals(0);
        if (wheel) {
            const bool steps = rig.filterWheel->kind == QLatin1String("stepper");
            m_position->setRange(steps ? -100000 : 500, steps ? 100000 : 2500);
            m_position->setSingleStep(steps ? 1 : 5);
            m_position->setSuffix(steps ? tr(" steps") : tr(" µs"));
        } else {
            m_position->setRange(rig.focus->minSteps, rig.focus->maxSteps);
            m_position->setSingleStep(10);
            m_position->setSuffix(tr(" steps"));
        }
        form->addRow(wheel ? tr("Wheel at") : tr("Focus at"), m_position);
        right->addLayout(form);
        auto *buttons = new QHBoxLayout;
        m_scan = touchButton(tr("Scan"));
        m_scan->setObjectName(QStringLiteral("setupScan"));
        m_scan->setToolTip(wheel ? tr("Measure the light either side of this position and find its centre")
                                 : tr("Measure the sharpness over a range around this position"));
        m_save = touchButton(tr("Save"));
        m_save->setObjectName(QStringLiteral("setupSave"));
        buttons->addWidget(m_scan);
        buttons->addWidget(m_save);
        right->addLayout(buttons);
        m_plot = new XyPlot;
        m_plot->setObjectName(QStringLiteral("setupPlot"));
        m_plot->setAxisLabels(wheel
                ? (rig.filterWheel->kind == QLatin1String("stepper") ? tr("steps") : tr("µs"))
                : tr("steps"),
            wheel ? tr("light (of full scale)") : tr("sharpness"));
        right->addWidget(m_plot, 1);
        row->addLayout(right, 1);

        InstrumentSetupSession &session = wizard.session();
        connect(m_filter, &QComboBox::currentTextChanged, this, [this] { filterChosen(); });
        connect(m_led, &QComboBox::currentTextChanged, this, [this] { requestMeasure(); });
        connect(m_position, &TouchSpinBox::valueChanged, this, [this] {
            if (!m_settingPosition)
                requestMeasure();
        });
        connect(m_scan, &QPushButton::clicked, this, [this] { scanOrCancel(); });
        connect(m_save, &QPushButton::clicked, this, [this] { saveHere(); });
        connect(&session, &InstrumentSetupSession::sampleMeasured, this,
            [this](int at, double score, const QImage &frame) {
                if (!mine())
                    return;
                if (!frame.isNull())
                    m_frame->setPixmap(QPixmap::fromImage(
                        frame.scaled(m_frame->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
                m_plot->addPoint(0, QPointF(at, score));
                m_status->setText(m_axis == SetupAxis::FilterWheel
                        ? tr("At %1: %2 % of full scale through the filter")
                              .arg(at)
                              .arg(score * 100.0, 0, 'f', 2)
                        : tr("At %1 steps: sharpness %2").arg(at).arg(score, 0, 'g', 4));
            });
        connect(&session, &InstrumentSetupSession::scanProgress, this, [this](int done, int total) {
            if (mine())
                m_status->setText(tr("Scanning: %1 of %2 positions").arg(done).arg(total));
        });
        connect(&session, &InstrumentSetupSession::scanFinished, this,
            [this](const core::analysis::FocusSweepResult &r) {
                if (!mine())
                    return;
                m_plot->setMarker(r.bestSteps, QString::number(r.bestSteps));
                m_found = r.bestSteps;
                m_status->setText(tr("Best at %1 (contrast %2 %); the wheel moves there. Save keeps it.")
                                      .arg(r.bestSteps)
                                      .arg(r.contrast * 100.0, 0, 'f', 0));
                m_pending = r.bestSteps;  // look at the frame there once idle
            });
        connect(&session, &InstrumentSetupSession::failed, this, [this](const QString &message) {
            if (mine())
                m_status->setText(tr("⚠ %1").arg(message));
        });
        connect(&session, &InstrumentSetupSession::idle, this, [this] { sessionIdle(); });
    }

    void initializePage() override { filterChosen(); }

    void cleanupPage() override { m_wizard.session().cancel(); }

private:
    [[nodiscard]] int configuredPosition() const
    {
        const RigDescription &rig = m_wizard.rig();
        const QString f = m_filter->currentText();
        if (m_axis == SetupAxis::FilterWheel)
            return rig.filterWheel->positions.value(f);
        return rig.focus->targetFor(f);
    }

    void filterChosen()
    {
        // The filter's own LED when the rig has one of that name (its fluorescence passes that filter).
        const int same = m_led->findText(m_filter->currentText());
        if (same >= 0) {
            const QSignalBlocker block(m_led);
            m_led->setCurrentIndex(same);
        }
        m_plot->clear();
        m_found.reset();
        setPosition(configuredPosition());
        requestMeasure();
    }

    void setPosition(int at)
    {
        m_settingPosition = true;
        m_position->setValue(at);
        m_settingPosition = false;
    }

    [[nodiscard]] SetupTarget target() const
    {
        return SetupTarget {m_axis, m_filter->currentText(), m_led->currentText(), 1000};
    }

    void requestMeasure()
    {
        if (!isVisible() && !m_wizard.isVisible())
            return;
        const int at = int(std::lround(m_position->value()));
        if (m_wizard.session().busy()) {
            m_pending = at;  // the newest wish, measured when the session is free
            return;
        }
        m_wizard.session().measure(this, target(), at);
        updateButtons();
    }

    void scanOrCancel()
    {
        InstrumentSetupSession &session = m_wizard.session();
        if (m_scanning) {
            session.cancel();
            return;
        }
        if (session.busy())
            return;
        const int centre = int(std::lround(m_position->value()));
        core::analysis::FocusSweepSettings s;
        if (m_axis == SetupAxis::FilterWheel) {
            s = core::acquisition::centringScan(centre,
                core::acquisition::centringHalfRange(m_wizard.rig().filterWheel->positions.values(), centre));
        } else {
            s.fromSteps = centre - 200;
            s.toSteps = centre + 200;
            s.stepSteps = 20;
        }
        m_plot->clear();
        m_found.reset();
        m_pending.reset();
        m_scanning = true;
        session.scan(this, target(), s);
        updateButtons();
    }

    [[nodiscard]] bool mine() const { return m_wizard.session().owner() == this; }

    void sessionIdle()
    {
        if (mine())
            m_scanning = false;
        // The newest position asked for while the session was busy (with this page's work or another's).
        if (m_pending && isVisible() && !m_wizard.session().busy()) {
            const int at = *m_pending;
            m_pending.reset();
            setPosition(at);
            m_wizard.session().measure(this, target(), at);
        }
        updateButtons();
    }

    void updateButtons()
    {
        m_scan->setText(m_scanning ? tr("Cancel scan") : tr("Scan"));
        m_save->setEnabled(!m_scanning);
        m_save->setText(tr("Save for %1").arg(m_filter->currentText()));
    }

    void saveHere()
    {
        const QString filter = m_filter->currentText();
        const int at = int(std::lround(m_position->value()));
        core::Status st = core::Ok {};
        if (m_axis == SetupAxis::FilterWheel) {
            st = m_wizard.save(
                [&](const QString &path) {
                    return core::acquisition::RigFileEditor::setFilterPosition(path, filter, at);
                },
                [&](RigDescription &rig) { rig.filterWheel->positions.insert(filter, at); });
        } else {
            const int perFilter = at - m_wizard.rig().focus->offsetSteps;
            st = m_wizard.save(
                [&](const QString &path) {
                    return core::acquisition::RigFileEditor::setFocusForFilter(path, filter, perFilter);
                },
                [&](RigDescription &rig) { rig.focus->perFilter.insert(filter, perFilter); });
        }
        m_status->setText(st.ok() ? tr("✔ Saved %1 for %2 into %3").arg(at).arg(filter, m_wizard.savedTo())
                                  : tr("⚠ Not saved: %1").arg(st.error().toString()));
    }

    InstrumentSetupWizard &m_wizard;
    SetupAxis m_axis;
    QLabel *m_frame = nullptr;
    QLabel *m_status = nullptr;
    QComboBox *m_filter = nullptr;
    QComboBox *m_led = nullptr;
    TouchSpinBox *m_position = nullptr;
    QPushButton *m_scan = nullptr;
    QPushButton *m_save = nullptr;
    XyPlot *m_plot = nullptr;
    std::optional<int> m_pending;
    std::optional<int> m_found;
    bool m_settingPosition = false;
    bool m_scanning = false;
};

// --- Page 4: heater tuning ---------------------------------------------------------------------------

class HeaterSetupPage : public QWizardPage {
    Q_OBJECT

public:
    explicit HeaterSetupPage(InstrumentSetupWizard &wizard) : m_wizard(wizard)
    {
        setObjectName(QStringLiteral("heaterSetupPage"));
        setTitle(tr("Tune the heater"));
        const auto &heater = *wizard.rig().heater;
        auto *row = new QHBoxLayout(this);
        row->setContentsMargins(0, 0, 0, 0);
        auto *left = new QVBoxLayout;
        auto *form = new QFormLayout;
        m_duty = new TouchSpinBox;
        m_duty->setObjectName(QStringLiteral("heaterStepDuty"));
        m_duty->setDecimals(0);
        m_duty->setRange(50, heater.maxPerMille);
        m_duty->setSingleStep(50);
        m_duty->setSuffix(tr(" ‰"));
        m_duty->setValue(std::min(300, heater.maxPerMille));
        form->addRow(tr("Step duty"), m_duty);
        m_target = new TouchSpinBox;
        m_target->setObjectName(QStringLiteral("heaterPredictAt"));
        m_target->setDecimals(1);
        m_target->setRange(25, celsius(heater.maxKelvin) - 1.0);
        m_target->setSingleStep(1);
        m_target->setSuffix(tr(" °C"));
        m_target->setValue(std::min(58.0, celsius(heater.maxKelvin) - 1.0));
        form->addRow(tr("Predict at"), m_target);
        left->addLayout(form);
        auto *buttons = new QHBoxLayout;
        m_start = touchButton(tr("Start step test"));
        m_start->setObjectName(QStringLiteral("heaterStart"));
        m_save = touchButton(tr("Save P and I"));
        m_save->setObjectName(QStringLiteral("heaterSave"));
        m_save->setEnabled(false);
        buttons->addWidget(m_start);
        buttons->addWidget(m_save);
        left->addLayout(buttons);
        m_progress = new QProgressBar;
        m_progress->setRange(0, 1000);
        m_progress->setValue(0);
        left->addWidget(m_progress);
        m_status = wrappedLabel(tr("The step test turns the heater on at the step's duty from cold and "
                                   "records the temperature until it levels off (minutes). The heater is "
                                   "off at its end, on Cancel and on any sensor fault."));
        m_status->setObjectName(QStringLiteral("heaterStatus"));
        left->addWidget(m_status, 1);
        row->addLayout(left, 1);

        auto *right = new QVBoxLayout;
        m_stepPlot = new XyPlot;
        m_stepPlot->setObjectName(QStringLiteral("heaterStepPlot"));
        m_stepPlot->setAxisLabels(tr("s"), tr("°C: step response, fitted model"));
        m_predictPlot = new XyPlot;
        m_predictPlot->setObjectName(QStringLiteral("heaterPredictPlot"));
        m_predictPlot->setAxisLabels(tr("s"), tr("°C predicted: proposed, rig's now"));
        right->addWidget(m_stepPlot, 1);
        right->addWidget(m_predictPlot, 1);
        row->addLayout(right, 1);

        InstrumentSetupSession &session = wizard.session();
        connect(m_start, &QPushButton::clicked, this, [this] { startOrCancel(); });
        connect(m_save, &QPushButton::clicked, this, [this] { saveGains(); });
        connect(m_target, &TouchSpinBox::valueChanged, this, [this] { predict(); });
        connect(&session, &InstrumentSetupSession::heaterPoint, this,
            [this](double seconds, double kelvin, double fraction) {
                if (m_wizard.session().owner() != this)
                    return;
                m_stepPlot->addPoint(0, QPointF(seconds, celsius(kelvin)));
                m_progress->setValue(int(std::lround(fraction * 1000.0)));
                m_status->setText(tr("Step test: %1 s, %2 °C; the heater is on at %3 ‰. Cancel turns it off.")
                                      .arg(seconds, 0, 'f', 0)
                                      .arg(celsius(kelvin), 0, 'f', 2)
                                      .arg(m_duty->value(), 0, 'f', 0));
            });
        connect(&session, &InstrumentSetupSession::stepTestFinished, this,
            [this](const core::instrument::StepResponse &r) {
                if (m_wizard.session().owner() == this)
                    fitAndPropose(r);
            });
        connect(&session, &InstrumentSetupSession::failed, this, [this](const QString &message) {
            if (m_wizard.session().owner() == this)
                m_status->setText(tr("⚠ Step test stopped, heater off: %1").arg(message));
        });
        connect(&session, &InstrumentSetupSession::idle, this, [this] {
            if (m_wizard.session().owner() != this)
                return;
            m_running = false;
            m_start->setText(tr("Start step test"));
        });
    }

    void cleanupPage() override { m_wizard.session().cancel(); }

    [[nodiscard]] const std::optional<core::instrument::PiGains> &proposal() const { return m_proposal; }

private:
    void startOrCancel()
    {
        InstrumentSetupSession &session = m_wizard.session();
        if (m_running) {
            session.cancel();
            return;
        }
        if (session.busy())
            return;
        core::instrument::StepTestSettings s;
        s.dutyPerMille = m_duty->value();
        m_stepPlot->clear();
        m_predictPlot->clear();
        m_model.reset();
        m_proposal.reset();
        m_save->setEnabled(false);
        m_progress->setValue(0);
        m_running = true;
        m_start->setText(tr("Cancel (heater off)"));
        session.runStepTest(this, s);
    }

    void fitAndPropose(const core::instrument::StepResponse &r)
    {
        const auto &heater = *m_wizard.rig().heater;
        const auto model = core::instrument::HeaterAutoTune::fit(r);
        if (!model.ok()) {
            m_status->setText(tr("⚠ No model fits this step response: %1").arg(model.error().toString()));
            return;
        }
        m_progress->setValue(m_progress->maximum());
        m_model = *model;
        m_proposal = core::instrument::HeaterAutoTune::propose(*model, heater);
        QVector<QPointF> fitted;
        for (const auto &p : r.points) {
            const double t = p.seconds;
            const double rise = t > model->deadTimeSeconds ? model->gainKelvinPerMille * r.dutyPerMille
                    * (1.0 - std::exp(-(t - model->deadTimeSeconds) / model->timeConstantSeconds))
                                                           : 0.0;
            fitted.append(QPointF(t, celsius(model->baselineKelvin + rise)));
        }
        m_stepPlot->setSeries(1, fitted, palette().color(QPalette::Highlight), tr("fit"));
        m_save->setEnabled(true);
        predict();
    }

    void predict()
    {
        if (!m_model || !m_proposal)
            return;
        const auto &heater = *m_wizard.rig().heater;
        const double setPoint = m_target->value() + 273.15;
        // Long enough for either loop to settle, short enough that the approach stays readable.
        const double span = std::max(600.0, 8.0 * m_model->timeConstantSeconds);
        const auto proposed
            = core::instrument::HeaterAutoTune::predict(*m_model, *m_proposal, heater, setPoint, span);
        const core::instrument::PiGains now {heater.pPerMillePerKelvin, heater.iPerMillePerKelvinSecond,
            double(heater.biasPerMille), double(heater.maxPerMille)};
        const auto current = core::instrument::HeaterAutoTune::predict(*m_model, now, heater, setPoint, span);
        const auto trace = [](const core::instrument::ClosedLoopPrediction &p) {
            QVector<QPointF> v;
            for (const auto &s : p.trace)
                v.append(QPointF(s.seconds, celsius(s.kelvin)));
            return v;
        };
        m_predictPlot->setSeries(0, {}, Qt::transparent, {});
        m_predictPlot->setSeries(1, trace(proposed), palette().color(QPalette::Highlight), tr("proposed"));
        m_predictPlot->setSeries(2, trace(current), palette().color(QPalette::Mid), tr("now"));
        const auto settling = [](const core::instrument::ClosedLoopPrediction &p) {
            return p.settlingSeconds < 0 ? tr("does not settle within %1 s")
                                               .arg(p.trace.isEmpty() ? 0 : p.trace.last().seconds, 0, 'f', 0)
                                         : tr("settles in %1 s").arg(p.settlingSeconds, 0, 'f', 0);
        };
        m_predictPlot->setMarker(
            proposed.settlingSeconds >= 0 ? std::optional<double>(proposed.settlingSeconds) : std::nullopt,
            tr("settled"));
        m_status->setText(tr("Model: %1 K per 100 ‰, time constant %2 s, dead time %3 s (fit rms %4 K).\n"
                             "Proposed P %5 ‰/K, I %6 ‰/(K·s): to %7 °C %8, overshoot %9 K.\n"
                             "The rig's P %10, I %11: %12, overshoot %13 K.")
                              .arg(m_model->gainKelvinPerMille * 100.0, 0, 'f', 2)
                              .arg(m_model->timeConstantSeconds, 0, 'f', 0)
                              .arg(m_model->deadTimeSeconds, 0, 'f', 1)
                              .arg(m_model->rmsResidualKelvin, 0, 'f', 3)
                              .arg(m_proposal->pPerMillePerKelvin, 0, 'f', 0)
                              .arg(m_proposal->iPerMillePerKelvinSecond, 0, 'f', 2)
                              .arg(m_target->value(), 0, 'f', 1)
                              .arg(settling(proposed))
                              .arg(proposed.overshootKelvin, 0, 'f', 2)
                              .arg(now.pPerMillePerKelvin, 0, 'f', 0)
                              .arg(now.iPerMillePerKelvinSecond, 0, 'f', 2)
                              .arg(settling(current))
                              .arg(current.overshootKelvin, 0, 'f', 2));
    }

    void saveGains()
    {
        if (!m_proposal)
            return;
        const double p = m_proposal->pPerMillePerKelvin;
        const double i = m_proposal->iPerMillePerKelvinSecond;
        const auto st = m_wizard.save(
            [&](const QString &path) { return core::acquisition::RigFileEditor::setHeaterGains(path, p, i); },
            [&](RigDescription &rig) {
                rig.heater->pPerMillePerKelvin = p;
                rig.heater->iPerMillePerKelvinSecond = i;
            });
        m_status->setText(st.ok() ? tr("✔ Saved P %1 ‰/K and I %2 ‰/(K·s) into %3")
                                        .arg(p, 0, 'f', 0)
                                        .arg(i, 0, 'f', 2)
                                        .arg(m_wizard.savedTo())
                                  : tr("⚠ Not saved: %1").arg(st.error().toString()));
    }

    InstrumentSetupWizard &m_wizard;
    TouchSpinBox *m_duty = nullptr;
    TouchSpinBox *m_target = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_save = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    XyPlot *m_stepPlot = nullptr;
    XyPlot *m_predictPlot = nullptr;
    std::optional<core::instrument::FopdtModel> m_model;
    std::optional<core::instrument::PiGains> m_proposal;
    bool m_running = false;
};

// --- The wizard ----------------------------------------------------------------------------------------

InstrumentSetupWizard::InstrumentSetupWizard(
    InstrumentSetupSession &session, RigDescription rig, QString rigFile, QWidget *parent)
    : QWizard(parent), m_session(session), m_rig(std::move(rig)), m_rigFile(std::move(rigFile))
{
    setWindowTitle(tr("Instrument set-up"));
    setWizardStyle(QWizard::ClassicStyle);  // no side banner: room for the frame and plots at 800×480
    setPage(IntroPage, new SetupIntroPage(m_rig, m_rigFile));
    if (m_rig.filterWheel)
        setPage(FilterPage, new PositionSetupPage(*this, SetupAxis::FilterWheel));
    if (m_rig.focus)
        setPage(FocusPage, new PositionSetupPage(*this, SetupAxis::Focus));
    if (m_rig.heater)
        setPage(HeaterPage, new HeaterSetupPage(*this));
    for (auto b : {QWizard::BackButton, QWizard::NextButton, QWizard::FinishButton, QWizard::CancelButton})
        if (auto *w = button(b))
            w->setMinimumHeight(kTouchPx);
    resize(780, 460);
    connect(this, &QWizard::rejected, &m_session, &InstrumentSetupSession::cancel);
    connect(this, &QWizard::accepted, &m_session, &InstrumentSetupSession::cancel);
}

QString InstrumentSetupWizard::builtInRigFile()
{
    QString base = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.config");
    return base + QStringLiteral("/scopesync/rigs/sim.json");
}

core::Status InstrumentSetupWizard::save(const std::function<core::Status(const QString &path)> &edit,
    const std::function<void(RigDescription &rig)> &apply)
{
    QString path = m_rigFile;
    if (path.isEmpty()) {
        // The built-in rig as it is now, written once; later saves edit that file.
        path = builtInRigFile();
        if (!QFileInfo::exists(path) || m_savedTo.isEmpty()) {
            if (!QDir().mkpath(QFileInfo(path).absolutePath()))
                return core::Error {tr("cannot create the folder %1; check its permissions")
                                        .arg(QFileInfo(path).absolutePath()),
                    QStringLiteral("set-up")};
            QSaveFile f(path);
            if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(m_rig.toJson()).toJson()) < 0
                || !f.commit())
                return core::Error {
                    tr("cannot write %1: %2; free the disk or fix the permission and press Save "
                       "again")
                        .arg(path, f.errorString()),
                    QStringLiteral("set-up")};
        }
    }
    if (auto st = edit(path); !st.ok())
        return st;
    apply(m_rig);
    m_savedTo = path;
    return core::Ok {};
}

}  // namespace scopesync::ui

#include "instrument_setup_wizard.moc"
