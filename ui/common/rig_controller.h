// RigController: drives a rig from a worker thread for the GUI — live preview, manual shots, protocol runs.
#pragma once

#include "core/acquisition/live_view.h"
#include "core/acquisition/protocol_run.h"
#include "core/camera/camera_settings.h"
#include "core/instrument/heater_regulator.h"
#include "core/protocol/protocol.h"
#include "core/storage/run_folder.h"
#include "ui/common/frame_mailbox.h"
#include "ui/common/rig_status.h"
#include "ui/common/serial_worker.h"

#include <QImage>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace scopesync::ui {

// Builds a rig for a description and settings; the app passes one made from hal::createRig, so the UI
// never includes hal.
using RigFactory = std::function<core::Result<std::unique_ptr<core::acquisition::Rig>>(
    const core::acquisition::RigDescription &, const core::camera::CameraSettings &)>;

// Every public method is called on the GUI thread and returns at once: the work is queued to one worker
// thread that owns the rig, and results come back as signals (queued to the GUI thread). Preview frames
// travel through a newest-frame mailbox, never through the event queue.
class RigController : public QObject {
    Q_OBJECT

public:
    static constexpr int kPreviewMaxSide = 1024;  // frames are binned on the worker until they fit
    static constexpr int kManualRetakes = 2;  // a flagged manual image is taken again up to this often

    explicit RigController(RigFactory factory, QObject *parent = nullptr);
    ~RigController() override;

    // Closes the current rig (if any) and builds the new one; rigOpened or rigFailed follows.
    void openRig(const core::acquisition::RigDescription &rig, const core::camera::CameraSettings &settings);
    void setLive(bool on);
    // An LED flashed on every preview frame for `duration` after the rig's delay; empty `led` for none.
    void setLiveStrobe(const QString &led, std::chrono::milliseconds duration);
    // Holds an LED on for `duration` (bounded by the rig's led_max_on_ms).
    void flash(const QString &led, std::chrono::milliseconds duration);
    // One frame (strobed with `led`, or dark when empty) saved as an OME-TIFF into this session's
    // manual run folder under `parentDir`.
    void captureManual(const QString &led, std::chrono::milliseconds duration, const QString &parentDir);
    // Runs `protocol` into a new run folder under `parentDir`; `inputs` are copied into its inputs/.
    void startRun(
        const core::protocol::Protocol &protocol, const QString &parentDir, const QStringList &inputs);
    // Pause holds the run before its next step (never while continuous light is on); resume continues.
    void setPaused(bool paused);
    void stopRun();
    // The instrument's devices (each refused with errorOccurred when the rig lacks it): moves the filter
    // wheel, and the focus to that filter's position plus the session's offset; nudges that offset;
    // holds the slide at a set point (none: heater off). A protocol run takes the heater over.
    void moveFilter(const QString &filter);
    void nudgeFocus(int steps);
    void setSetPoint(std::optional<double> kelvin);

    // Runs `work` on the worker with exclusive use of the open rig (nullptr when none): live preview is
    // paused for its length and resumed afterwards. For calibration and other tools that drive the rig.
    void withRig(std::function<void(core::acquisition::Rig *rig)> work);

    // What the preview widget shows (size, zoom): live frames are binned no finer than it needs.
    void setPreviewView(const PreviewView &view);
    [[nodiscard]] PreviewView previewView() const;
    // Re-bins a still frame (nothing live) for a view that needs it finer, off the GUI thread.
    void rebinPreview(std::shared_ptr<const PreviewFrame> frame);

    [[nodiscard]] FrameMailbox &mailbox() { return m_mailbox; }
    [[nodiscard]] bool isOpen() const { return m_open; }
    [[nodiscard]] bool isLive() const { return m_liveWanted; }
    [[nodiscard]] bool isRunning() const { return m_runActive; }
    [[nodiscard]] bool isPaused() const { return m_pause.load(); }
    [[nodiscard]] const core::acquisition::RigDescription &description() const { return m_description; }
    [[nodiscard]] const core::camera::CameraSettings &settings() const { return m_settings; }
    // Frames the worker took from the camera for the preview (readable from any thread).
    [[nodiscard]] qint64 workerFrames() const { return m_workerFrames.load(); }
    // The manual run folder of this session, empty until the first manual capture.
    [[nodiscard]] QString manualFolder() const;

Q_SIGNALS:
    void rigOpened(const QString &summary);
    void rigFailed(const QString &message);
    void previewFrameReady();
    void statusChanged(const scopesync::ui::RigStatus &status);
    void liveChanged(bool live);
    void flashDone(const QString &led);
    void manualCaptured(const QString &file);
    // Before manualCaptured: every take of that image was flagged (its measured light differs from the
    // plan); `file` is the last take, saved and flagged in the manifest like the others.
    void manualFlagged(const QString &file, const QStringList &problems);
    void runStarted(const QString &folder);
    void runProgress(const scopesync::core::acquisition::RunProgress &progress);
    void runPausedChanged(bool paused);
    void runThumbnail(const QString &channel, const QString &label, const QImage &image);
    void runFinished(const scopesync::core::acquisition::RunOutcome &outcome, const QString &folder);
    void errorOccurred(const QString &title, const QString &message);
    // LED and trigger edges the strobe thread drove or caught since the last report (timing view).
    void edgesMeasured(const std::vector<scopesync::core::acquisition::DrivenEdge> &edges);

private:
    void post(std::function<void()> command);
    SerialWorker::Hooks workerHooks();
    void liveStep();
    void publish(core::acquisition::CapturedFrame &&frame, const QString &strobedLed);
    void emitStatus(bool force);
    void closeRig();
    void runProtocol(
        const core::protocol::Protocol &protocol, const QString &parentDir, const QStringList &inputs);
    void loadThumbnail(const QString &file, const QString &channel, const QString &label);
    // Queues `fn` to run on the GUI thread (where this object lives).
    template <typename F> void toGui(F &&fn) { m_worker.deliver(std::forward<F>(fn)); }

    RigFactory m_factory;
    FrameMailbox m_mailbox;

    // GUI-thread state.
    core::acquisition::RigDescription m_description;
    core::camera::CameraSettings m_settings;
    bool m_open = false;
    bool m_liveWanted = false;
    bool m_runActive = false;

    // Shared with the worker.
    std::atomic<int> m_runStop {0};
    std::atomic<bool> m_pause {false};
    std::atomic<qint64> m_workerFrames {0};
    mutable std::mutex m_folderMutex;  // guards m_manualFolderPath
    QString m_manualFolderPath;
    mutable std::mutex m_viewMutex;  // guards m_previewView
    PreviewView m_previewView;

    // Worker-thread state.
    std::unique_ptr<core::acquisition::Rig> m_rig;
    std::unique_ptr<core::acquisition::LiveView> m_live;
    std::unique_ptr<core::storage::RunFolder> m_manual;
    std::unique_ptr<core::instrument::HeaterRegulator> m_heater;  // manual set point, outside runs
    QString m_filterWanted;  // the filter last asked for (the focus follows it)
    int m_focusOffsetSteps = 0;  // the session's nudges on top of the rig file's offset
    std::optional<double> m_lastReadingKelvin;  // a thermometer read when no regulator runs
    core::acquisition::MonoTime m_lastReading {};
    bool m_workerLive = false;
    bool m_workerRunning = false;
    QString m_litLeds;
    std::deque<core::acquisition::MonoTime> m_frameTimes;
    core::acquisition::MonoTime m_lastStatus {};

    QThreadPool m_thumbnails;  // reads saved images back for thumbnails, off the run's thread
    SerialWorker m_worker;  // last: started after everything it uses exists
};

}  // namespace scopesync::ui
