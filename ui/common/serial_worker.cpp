// SerialWorker: the GUI's one worker — a thread running jobs in order, results posted back.
#include "ui/common/serial_worker.h"

#include "ui/common/gui_handoff.h"

namespace scopesync::ui {

struct SerialWorker::State {
    std::mutex mutex;  // guards jobs, quit, finished and receiver
    std::condition_variable wake;  // a job was posted, or stop was asked
    std::condition_variable ended;  // `finished` became true
    std::deque<Job> jobs;
    bool quit = false;
    bool finished = false;  // the loop and atExit are done; the thread is about to return
    QObject *receiver = nullptr;  // null once stopping: nothing is delivered any more

    // Callers hold `mutex`.
    void deliverLocked(std::function<void()> fn) const
    {
        if (receiver && fn)
            queueOnThreadOf(receiver, std::move(fn));
    }
};

SerialWorker::SerialWorker(QObject *receiver, Hooks hooks) : m_state(std::make_shared<State>())
{
    m_state->receiver = receiver;
    // The thread holds the state and its own copy of the hooks: it never touches `this`.
    m_thread = std::thread([state = m_state, hooks = std::move(hooks)] {
        loop(*state, hooks);
        {
            const std::lock_guard lock(state->mutex);
            state->finished = true;
        }
        state->ended.notify_all();
    });
}

SerialWorker::~SerialWorker()
{
    stop();
}

void SerialWorker::post(Job job)
{
    {
        const std::lock_guard lock(m_state->mutex);
        if (m_state->quit)
            return;
        m_state->jobs.push_back(std::move(job));
    }
    m_state->wake.notify_all();
}

void SerialWorker::deliver(std::function<void()> fn) const
{
    const std::lock_guard lock(m_state->mutex);
    m_state->deliverLocked(std::move(fn));
}

void SerialWorker::requestStop()
{
    {
        const std::lock_guard lock(m_state->mutex);
        m_state->quit = true;
        m_state->receiver = nullptr;
        m_state->jobs.clear();
    }
    m_state->wake.notify_all();
}

void SerialWorker::stop()
{
    requestStop();
    if (m_thread.joinable())
        m_thread.join();
}

bool SerialWorker::stop(std::chrono::milliseconds patience)
{
    requestStop();
    if (!m_thread.joinable())
        return true;
    bool ended = false;
    {
        std::unique_lock lock(m_state->mutex);
        ended = m_state->ended.wait_for(lock, patience, [&] { return m_state->finished; });
    }
    if (ended)
        m_thread.join();
    else
        m_thread.detach();  // it owns the state it uses; what it returns is no longer delivered
    return ended;
}

void SerialWorker::loop(State &state, const Hooks &hooks)
{
    while (true) {
        Job job;
        {
            // Asked outside the lock: the hook reads the worker's own state only.
            const auto wait = hooks.idle && hooks.idleWait ? hooks.idleWait() : std::chrono::milliseconds(0);
            std::unique_lock lock(state.mutex);
            const auto ready = [&] { return state.quit || !state.jobs.empty(); };
            if (!hooks.idle)
                state.wake.wait(lock, ready);
            else if (wait > std::chrono::milliseconds(0))
                state.wake.wait_for(lock, wait, ready);
            if (state.quit)
                break;
            if (!state.jobs.empty()) {
                job = std::move(state.jobs.front());
                state.jobs.pop_front();
            }
        }
        if (job) {
            auto then = job();
            const std::lock_guard lock(state.mutex);
            state.deliverLocked(std::move(then));
            continue;
        }
        hooks.idle();
    }
    if (hooks.atExit)
        hooks.atExit();
}

}  // namespace scopesync::ui
