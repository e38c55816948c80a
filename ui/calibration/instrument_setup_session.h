// InstrumentSetupSession: the set-up wizard's work on the rig the controller owns — measuring the filter
// wheel or the focus at a position, scanning a range of positions, and the heater's step test — run on
// the controller's worker (live preview paused meanwhile). Results come back as signals on the GUI thread.
#pragma once

#include "core/acquisition/rig_setup_probe.h"
#include "core/analysis/focus_sweep.h"
#include "core/instrument/heater_auto_tune.h"

#include <QImage>
#include <QObject>

#include <atomic>
#include <memory>

namespace scopesync::ui {

class RigController;

// What the wizard asks to be measured.
struct SetupTarget {
    core::acquisition::SetupAxis axis = core::acquisition::SetupAxis::FilterWheel;
    QString filter;
    QString led;
    int intensityPerMille = 1000;
};

class InstrumentSetupSession : public QObject {
    Q_OBJECT

public:
    explicit InstrumentSetupSession(RigController &controller, QObject *parent = nullptr);

    // Each request names its `owner` (the page that asked): the signals it causes are emitted while
    // owner() is that page, so a page ignores what another page asked for.
    // One measurement at `at`; sampleMeasured or failed follows.
    void measure(QObject *owner, const SetupTarget &target, int at);
    // Every position of `scan`, sampleMeasured after each; scanFinished (or failed) at the end.
    void scan(QObject *owner, const SetupTarget &target, const core::analysis::FocusSweepSettings &scan);
    // The heater's step test; heaterPoint for each reading, stepTestFinished (or failed) at the end.
    void runStepTest(QObject *owner, const core::instrument::StepTestSettings &settings);
    // Ends a scan or step test at its next position or reading (the heater turns off).
    void cancel();
    // True from a request until its finishing signal.
    [[nodiscard]] bool busy() const { return m_busy; }
    // Who asked for the request being reported (nullptr between requests).
    [[nodiscard]] QObject *owner() const { return m_owner; }

Q_SIGNALS:
    void sampleMeasured(int at, double score, const QImage &frame);
    void scanProgress(int done, int total);
    void scanFinished(const scopesync::core::analysis::FocusSweepResult &result);
    void heaterPoint(double seconds, double kelvin, double elapsedFraction);
    void stepTestFinished(const scopesync::core::instrument::StepResponse &response);
    void failed(const QString &message);
    // After every request's last signal: the session takes the next request.
    void idle();

private:
    // Runs `work` on the worker with the open rig; `work` returns an error message (empty: done).
    void start(QObject *owner, std::function<QString(core::acquisition::Rig &rig)> work);

    RigController &m_controller;
    bool m_busy = false;
    QObject *m_owner = nullptr;
    // Shared with the worker's closures, which may outlive a request the wizard abandoned.
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace scopesync::ui
