// SerialWorker: the GUI's one worker — a thread running jobs in order, results posted back.
#pragma once

#include <QObject>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace scopesync::ui {

// Jobs run one at a time, in the order posted, on one thread. What a job returns runs afterwards on the
// receiver's thread (queued), and only while the worker has not been stopped, so a widget can hand back
// `[this] { … }` safely. Stopping drops the jobs still queued and waits for the running one.
class SerialWorker {
public:
    // Runs on the worker; the function it returns (may be empty) then runs on the receiver's thread.
    using Job = std::function<std::function<void()>()>;

    // Optional, all called on the worker thread.
    struct Hooks {
        // How long to wait for a job before `idle` runs; zero: run it at once. Without `idle` the worker
        // simply sleeps until a job comes.
        std::function<std::chrono::milliseconds()> idleWait;
        // Background work between jobs (a live preview's next frame, a status tick).
        std::function<void()> idle;
        // After the last job, before the thread ends: closes what the jobs opened.
        std::function<void()> atExit;
    };

    // Starts the thread. `receiver` is where results are delivered (normally the owner, on the GUI
    // thread); it must outlive the worker or stop() it first.
    explicit SerialWorker(QObject *receiver, Hooks hooks = {});
    ~SerialWorker();
    SerialWorker(const SerialWorker &) = delete;
    SerialWorker &operator=(const SerialWorker &) = delete;

    void post(Job job);
    // From any thread, mid-job: runs `fn` on the receiver's thread (dropped once stopped).
    void deliver(std::function<void()> fn) const;

    // Drops the queued jobs and refuses new ones; the running job goes on (an owner that must also end
    // it, e.g. by a stop flag, raises that flag after this call and before stop()). Returns at once.
    void requestStop();
    // requestStop(), then lets the running job finish, runs atExit and joins. Safe to call twice.
    void stop();
    // As stop(), but gives up waiting after `patience`: the thread is then left to finish on its own
    // (nothing it delivers arrives any more). Only for jobs and hooks that own, not borrow, what they use.
    // True when the thread ended in time.
    bool stop(std::chrono::milliseconds patience);

private:
    struct State;
    static void loop(State &state, const Hooks &hooks);

    // Shared with the thread, so that a thread left running (stop(patience)) never touches a dead worker.
    std::shared_ptr<State> m_state;
    std::thread m_thread;
};

}  // namespace scopesync::ui
