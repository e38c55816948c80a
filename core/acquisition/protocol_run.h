// ProtocolRun: executes a frame plan on a rig and saves every image into a run folder, losing nothing.
#pragma once

#include "core/acquisition/capture_pipeline.h"
#include "core/acquisition/image_record_builder.h"
#include "core/acquisition/rig.h"
#include "core/acquisition/strobed_capture.h"
#include "core/camera/camera_settings.h"
#include "core/instrument/heater_regulator.h"
#include "core/protocol/protocol.h"
#include "core/storage/image_writer.h"
#include "core/storage/run_folder.h"
#include "core/storage/temperature_trace.h"
#include "core/timing/frame_plan.h"

#include <QJsonObject>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace scopesync::core::acquisition {

struct RunProgress {
    qint64 framesDone = 0;
    qint64 framesTotal = 0;
    QString stepPath;
    QString label;
    // "capture", "wait", "illuminate", "filter red", "focus", "heating 45.2 °C → 58.0 °C",
    // "waiting for the disk"
    QString activity;
    double elapsedSeconds = 0;
    double remainingSeconds = 0;  // estimate
    // False while continuous light is on for the step about to start (a pause there would overexpose)
    // and while strobed captures are armed ahead (their frames would be lit during the hold, and lost).
    bool pausable = true;
    QString filter;  // a filter move: the filter the wheel is moving to
    std::optional<double> temperatureKelvin;  // heating: the latest reading
    std::optional<double> setPointKelvin;  // heating: the set point
};

// An image the run has just saved (its file and manifest line are durable).
struct SavedImage {
    QString file;  // absolute path
    QString channel;
    QString label;
    qint64 frameIndex = 0;
};

struct RunOutcome {
    bool completed = false;
    QString stopReason;  // why it stopped early (empty when completed)
    qint64 imagesSaved = 0;
    qint64 framesPlanned = 0;
    StrobeStats strobe;
    qint64 droppedFrames = 0;
    bool ledsOffAtEnd = false;
    bool heaterOffAtEnd = true;  // true on a rig without a heater
    qint64 filterMoves = 0;
    // Images saved whose measured light differs from the plan (flagged in their metadata), and retakes:
    // frames taken again because of such an image (saved beside it, not counted in imagesSaved).
    qint64 doseErrors = 0;
    qint64 retakesSaved = 0;
    int droppedRetaken = 0;  // images taken again because the camera dropped their lit frame
    QStringList notes;  // things the user should know (skipped heater steps, realtime refused…)
    // The plan's images ÷ (time from the first take's trigger to the last take's ÷ frame period + 1): 1.0
    // when every frame in between carried a new image (the physical limit), 0.5 for one every other frame.
    // A retake uses a frame but is not a new image, so retakes lower it (retakesSaved says how many).
    // Under continuous light a frame's start stands in for the trigger. 0 with no image.
    double imagesPerFramePeriod = 0;
    storage::ImageWriter::Stats writer;
    QJsonObject summary;  // what was written to summary.json
};

class ProtocolRun {
public:
    ProtocolRun(Rig &rig, storage::RunFolder &folder, const protocol::Protocol &protocol,
        camera::CameraSettings settings);

    void setProgressCallback(std::function<void(const RunProgress &)> callback)
    {
        m_progress = std::move(callback);
    }
    // Called on the run's thread after each image is saved.
    void setImageCallback(std::function<void(const SavedImage &)> callback)
    {
        m_imageSaved = std::move(callback);
    }
    // A non-zero value (the signal number, or any code) stops the run at the next safe point.
    void setStopFlag(const std::atomic<int> *flag) { m_capture.setStopFlag(flag); }

    // A set-temperature step on a rig without a heater, or an image asking for a filter on a rig
    // without a wheel, is an error at run start; with this option it is run anyway, with a note saying
    // what was not applied.
    void setIgnoreMissingDevices(bool ignore) { m_ignoreMissingDevices = ignore; }

    // A strobed image whose measured flash differs from its plan (a late or cut edge) is kept, flagged in
    // its metadata and manifest line, and taken again on a following frame up to this many times.
    void setMaxRetakes(int retakes) { m_maxRetakes = retakes; }

    // Whether the rig has the devices the protocol asks for (an error naming the step's JSON path);
    // execute() checks it first.
    [[nodiscard]] Status checkDevices() const;

    // Benchmark and test seam (a disk slower than the camera): every image takes at least this long to
    // write. Not for normal runs.
    void setWriteDelayPerImage(std::chrono::milliseconds delay) { m_writeDelay = delay; }

    // Runs to the end or to the first fault; always stops the rig, turns LEDs and the heater off,
    // saves every image already taken and writes the summary.
    RunOutcome execute();

private:
    Status capture(const timing::PlanAction &action);
    storage::ImageRecord recordOf(const ImageIntent &intent, const Shot &shot);
    // Counts and reports the images the writer has made durable since the last call.
    void publishSaved();
    Status waitFor(std::chrono::nanoseconds duration, bool drainFrames);
    Status endIllumination();
    // Whether the image needs the filter wheel or the focus moved first.
    [[nodiscard]] bool devicesMustMove(const timing::PlanAction &action) const;
    Status moveDevices(const timing::PlanAction &action);
    Status setTemperature(const timing::PlanAction &action);
    Status startDevices();
    void stopDevices();
    [[nodiscard]] bool heaterAvailable() const;
    [[nodiscard]] InstrumentState instrumentState() const;
    // A stop request, a strobe fault or a heater fault: why the run must stop now; empty to go on.
    [[nodiscard]] QString stopRequested() const;
    void report(const timing::PlanAction &action, const QString &activity, RunProgress extra = {});

    Rig &m_rig;
    storage::RunFolder &m_folder;
    const protocol::Protocol &m_protocol;
    camera::CameraSettings m_settings;
    std::function<void(const RunProgress &)> m_progress;
    std::function<void(const SavedImage &)> m_imageSaved;
    StrobedCapture m_capture;

    timing::PlanSummary m_plan;
    qint64 m_framesDone = 0;
    MonoTime m_runStart {};
    MonoTime m_illuminationStart {};
    MonoTime m_illuminationEnd {};
    qint64 m_currentFrame = -1;
    QStringList m_notes;
    bool m_ignoreMissingDevices = false;
    qint64 m_filterMoves = 0;
    // Created at run start when the rig has a thermometer and a heater; regulates until the run ends.
    std::unique_ptr<instrument::HeaterRegulator> m_regulator;
    std::unique_ptr<storage::TemperatureTrace> m_trace;
    std::atomic<bool> m_traceFailed {false};  // set on the regulator's thread

    // Strobed images back to back go through the pipeline; the writer saves every image in order.
    std::unique_ptr<storage::ImageWriter> m_writer;
    std::unique_ptr<CapturePipeline> m_pipeline;
    std::chrono::milliseconds m_writeDelay {0};
    const timing::PlanAction *m_action = nullptr;  // the action under way, for progress while waiting
    std::optional<MonoTime> m_firstImageTime;
    MonoTime m_lastImageTime {};
    qint64 m_imagesTaken = 0;  // first takes of the plan's images (saved or still queued), not retakes
    int m_maxRetakes = 2;
    QStringList m_doseFlagged;  // "frame 12 (red): red flash 66.3 ms, planned 80.0 ms: dose ×0.83"
    qint64 m_retakesTaken = 0;
    qint64 m_retakesSaved = 0;
};

}  // namespace scopesync::core::acquisition
