// Follower: a fleet follower's behaviour — admission, refusals, the command queue, captures at the
// leader's absolute time T and protocol runs on the fleet timeline — against the rig and host ports.
#pragma once

#include "core/acquisition/image_record_builder.h"
#include "core/acquisition/rig.h"
#include "core/acquisition/strobed_capture.h"
#include "core/camera/camera_settings.h"
#include "core/fleet/admission.h"
#include "core/fleet/follower_host.h"
#include "core/storage/run_folder.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace scopesync::core::fleet {

struct FollowerConfig {
    QString name;
    QString outDir;  // parent of the run folders, one per command id
    AdmissionConfig admission;
};

class Follower {
public:
    // The strobe controller and camera of `rig` must be started; a rig that drives its own trigger
    // (xvs-source, external) must have trigger-on-request set. `stopFlag` non-zero ends serve() and
    // every wait.
    Follower(FollowerConfig config, acquisition::Rig &rig, camera::CameraSettings settings,
        FollowerHost &host, const std::atomic<int> &stopFlag);

    // Why `rig` cannot follow a fleet, empty when it can: a follower drives the camera's trigger at T
    // (xvs-source, external), or — with camera sync and no trigger wire — takes the free-running frame
    // nearest T; a rig must be one or the other.
    static QString rigProblem(const acquisition::RigDescription &rig);
    // True when the follower drives the camera's trigger itself (trigger on request at T).
    static bool drivesTrigger(const acquisition::RigDescription &rig);

    // The time one image needs on this rig: its frame, the frame it is read out in, and saving. With
    // camera sync the frame nearest T may start up to half a period after T, and the next one is handed
    // over half a period before its T: one period more.
    [[nodiscard]] std::chrono::nanoseconds imageTime() const;

    // On the link's thread: decode, admit, answer pings and refusals at once, queue the rest.
    void onCommand(const QByteArray &payload);
    // Executes queued commands in arrival order until the stop flag is set.
    void serve();
    // Executes the oldest queued command, waiting up to `wait` for one; false when none came.
    bool serveOne(std::chrono::milliseconds wait);

    // The strobe controller gets a request this long before its T: more than its requestLead(), and
    // short enough that converting T to CLOCK_MONOTONIC just before cannot be spoilt by a clock slew
    // (chrony slews at most 0.5 ms/s by default: ≤ 15 µs over 30 ms).
    static constexpr std::chrono::nanoseconds kHandOff {30'000'000};

private:
    void refuse(const Refusal &r);
    bool waitUntil(WallTime t) const;
    void finishAndReport(
        const Command &cmd, storage::RunFolder &folder, CaptureResult &res, const QStringList &notes = {});
    bool refusedAsOverdue(const Command &cmd);
    void executeRun(const Command &cmd);
    void execute(const Command &cmd);
    Result<WallTime> captureAt(WallTime t, acquisition::ImageIntent intent, const QString &commandId,
        storage::RunFolder &folder, CaptureResult &res);

    FollowerConfig m_config;
    acquisition::Rig &m_rig;
    camera::CameraSettings m_settings;
    FollowerHost &m_host;
    const std::atomic<int> &m_stopFlag;
    // Camera sync: the frames run free on a shared timing; "capture at T" takes the frame nearest T.
    bool m_synced = false;
    acquisition::StrobedCapture m_capture;

    // Guards m_admission, m_queue and the running run's id and times (link thread against serve()).
    std::mutex m_mutex;
    std::condition_variable m_ready;
    Admission m_admission;
    std::deque<Command> m_queue;
    QString m_runningId;  // the run in progress, if any
    WallTime m_runningAt {};
    WallTime m_busyUntil {};
};

}  // namespace scopesync::core::fleet
