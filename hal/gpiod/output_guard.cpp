// OutputGuard: starts scopesync-output-guard and holds the pipe whose end tells it this process died.
#include "hal/gpiod/output_guard.h"

#include "hal/gpiod/gpiod_chip_access.h"

#include <QFileInfo>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace scopesync::hal::gpiod {

QString OutputGuard::helperPath()
{
    const QString name = QStringLiteral("scopesync-output-guard");
    QStringList candidates;
    if (const QByteArray env = qgetenv("SCOPESYNC_OUTPUT_GUARD"); !env.isEmpty())
        candidates << QString::fromLocal8Bit(env);
    const QString exeDir = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
    candidates << exeDir + u'/' + name;
    // Installed under any prefix: <prefix>/bin/scopesync beside <prefix>/libexec/scopesync/.
    candidates << exeDir + QStringLiteral("/../libexec/scopesync/") + name;
    candidates << QStringLiteral(SCOPESYNC_OUTPUT_GUARD_INSTALLED);
    candidates << QStringLiteral(SCOPESYNC_OUTPUT_GUARD_BUILT);
    for (const QString &c : candidates)
        if (QFileInfo(c).isExecutable() && QFileInfo(c).isFile())
            return c;
    return {};
}

core::Result<std::unique_ptr<OutputGuard>> OutputGuard::start(
    const QString &chip, const QList<int> &lines, std::chrono::milliseconds hold)
{
    const QString helper = helperPath();
    if (helper.isEmpty())
        return core::Error {
            QStringLiteral("scopesync-output-guard is not installed (looked next to this program and "
                           "in %1): without it a killed process could leave the heater on; "
                           "reinstall the scopesync package")
                .arg(QStringLiteral(SCOPESYNC_OUTPUT_GUARD_INSTALLED)),
            QStringLiteral("output guard")};
    // Everything the child needs is prepared before fork(): after it, only async-signal-safe calls.
    std::vector<QByteArray> argStore {helper.toLocal8Bit(), QByteArrayLiteral("--hold-ms"),
        QByteArray::number(qint64(hold.count())), chipDevicePath(chip).toLocal8Bit()};
    for (int l : lines)
        argStore.push_back(QByteArray::number(l));
    std::vector<char *> argv;
    for (QByteArray &a : argStore)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    int lifeline[2];
    int ready[2];
    if (::pipe2(lifeline, O_CLOEXEC) != 0)
        return core::Error {QStringLiteral("cannot create the output guard's pipe: %1")
                                .arg(QString::fromLocal8Bit(std::strerror(errno))),
            QStringLiteral("output guard")};
    if (::pipe2(ready, O_CLOEXEC) != 0) {
        ::close(lifeline[0]);
        ::close(lifeline[1]);
        return core::Error {QStringLiteral("cannot create the output guard's pipe: %1")
                                .arg(QString::fromLocal8Bit(std::strerror(errno))),
            QStringLiteral("output guard")};
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        // dup2 clears close-on-exec on the copies; every other descriptor (line requests above all,
        // which must close when the parent dies) is closed by exec or here.
        ::dup2(lifeline[0], STDIN_FILENO);
        ::dup2(ready[1], STDOUT_FILENO);
        ::close_range(3, ~0U, 0);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(lifeline[0]);
    ::close(ready[1]);
    if (pid < 0) {
        ::close(lifeline[1]);
        ::close(ready[0]);
        return core::Error {QStringLiteral("cannot start the output guard: %1")
                                .arg(QString::fromLocal8Bit(std::strerror(errno))),
            QStringLiteral("output guard")};
    }
    std::unique_ptr<OutputGuard> g(new OutputGuard);
    g->m_pid = pid;
    g->m_pipeFd = lifeline[1];

    pollfd p {ready[0], POLLIN, 0};
    char text[16] = {};
    ssize_t n = 0;
    int polled = 0;
    do
        polled = ::poll(&p, 1, 2000);
    while (polled < 0 && errno == EINTR);
    if (polled > 0)
        n = ::read(ready[0], text, sizeof text - 1);
    ::close(ready[0]);
    if (n < 5 || std::strncmp(text, "ready", 5) != 0)
        return core::Error {
            QStringLiteral("the output guard (%1) did not start for %2 lines %3; run it by hand to "
                           "see why")
                .arg(helper, chip, QString::fromLatin1(argStore.size() > 4 ? argStore[4] : QByteArray())),
            QStringLiteral("output guard")};
    return g;
}

OutputGuard::~OutputGuard()
{
    if (m_pipeFd >= 0)
        ::close(m_pipeFd);
    if (m_pid <= 0)
        return;
    // The guard needs a few milliseconds to request and release its lines.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (std::chrono::steady_clock::now() < deadline) {
        const pid_t r = ::waitpid(m_pid, nullptr, WNOHANG);
        if (r == m_pid || (r < 0 && errno == ECHILD))
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
}

}  // namespace scopesync::hal::gpiod
