// FleetController: the GUI's fleet leader without widgets, its broker exchanges on one worker.
#include "ui/fleet/fleet_controller.h"

#include <exception>

namespace scopesync::ui {

using namespace std::chrono_literals;

FleetController::FleetController(core::fleet::FleetConnectFn connectFn, QObject *parent)
    : QObject(parent),
      m_connect(std::move(connectFn)),
      m_worker(this, SerialWorker::Hooks {{}, {}, [this] { replaceLeader(nullptr); }})
{
}

FleetController::~FleetController()
{
    m_worker.requestStop();
    {
        const std::lock_guard lock(m_cancelMutex);
        m_closing = true;
        if (m_leaderForCancel)
            m_leaderForCancel->cancel();  // a wait in progress ends within 50 ms
    }
    m_worker.stop();
}

void FleetController::post(Job job)
{
    m_worker.post([this, job = std::move(job)]() -> std::function<void()> {
        std::function<void()> then;
        try {
            then = job();
        } catch (const std::exception &e) {
            then = [this, what = QString::fromLocal8Bit(e.what())] { Q_EMIT failed(what); };
        }
        return [this, then = std::move(then)] {
            if (then)
                then();
            Q_EMIT done();
        };
    });
}

void FleetController::replaceLeader(std::unique_ptr<core::fleet::FleetLeader> leader)
{
    {
        const std::lock_guard lock(m_cancelMutex);
        m_leaderForCancel = leader.get();
        if (m_closing && leader)
            leader->cancel();  // closing began while this connection was being made
    }
    m_leader = std::move(leader);  // the old connection, if any, disconnects here
}

void FleetController::connectToFleet(
    const core::fleet::FleetLogin &login, const core::fleet::FleetTopics &topics)
{
    m_connected = false;
    post([this, login, topics]() -> std::function<void()> {
        replaceLeader(nullptr);
        auto link = m_connect(login);
        if (!link.ok())
            return [this, e = link.error().toString()] {
                m_connected = false;
                Q_EMIT connectFailed(e);
            };
        {
            const std::lock_guard lock(m_cancelMutex);
            if (m_closing)
                return {};
        }
        auto leader = std::make_unique<core::fleet::FleetLeader>(std::move(link.value()), topics);
        if (auto st = leader->start(); !st.ok())
            return [this, e = st.error().toString()] { Q_EMIT subscribeFailed(e); };
        replaceLeader(std::move(leader));  // from here closing can cancel its waits
        m_leader->collectStatus(1s);
        return [this, login, followers = m_leader->followers()] {
            m_connected = true;
            Q_EMIT connected(login, followers);
        };
    });
}

void FleetController::refreshFollowers()
{
    if (!m_connected)
        return;
    post([this]() -> std::function<void()> {
        if (!m_leader)
            return {};
        m_leader->collectStatus(1s);
        return [this, followers = m_leader->followers()] { Q_EMIT followersRead(followers); };
    });
}

void FleetController::capture(const QString &led, std::chrono::microseconds flash)
{
    if (!m_connected)
        return;
    post([this, led, flash]() -> std::function<void()> {
        if (!m_leader)
            return {};
        core::fleet::CaptureRequest request;
        request.idPrefix = QStringLiteral("g");
        if (!led.isEmpty())
            request.flash = core::fleet::FleetPulse {led, std::nullopt, flash, 1000};
        core::fleet::FleetCapture flow(*m_leader);
        auto report = flow.run(request, [this](const core::fleet::CaptureReport &r) {
            m_worker.deliver([this, n = int(r.targets.size()), lead = r.lead] { Q_EMIT capturing(n, lead); });
        });
        if (!report.ok()) {
            if (flow.problem() == core::fleet::FleetCapture::Problem::NoFollowerOnline)
                return [this] { Q_EMIT noFollowerOnline(); };
            return [this, e = report.error().toString()] { Q_EMIT captureFailed(e); };
        }
        return [this, r = std::move(report).value(), followers = m_leader->followers()] {
            Q_EMIT captured(r, followers);
        };
    });
}

}  // namespace scopesync::ui
