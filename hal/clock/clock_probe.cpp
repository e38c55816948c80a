// ClockProbe: asks chrony (chronyc) or linuxptp (pmc) how well this machine's clock is synchronised.
#include "hal/clock/clock_probe.h"

#include "core/fleet/clock_report_parser.h"

#include <QProcess>
#include <QStandardPaths>

namespace scopesync::hal::clock {

using core::fleet::ClockReportParser;
using core::fleet::ClockState;

namespace {
// Runs a program; an error says why it gave nothing (absent, timed out, failed).
core::Result<QByteArray> runTool(
    const QString &program, const QStringList &args, std::chrono::milliseconds timeout)
{
    const QString path = QStandardPaths::findExecutable(program);
    if (path.isEmpty()) {
        // pmc lives in /usr/sbin, which an ordinary user's PATH may lack.
        const QString sbin
            = QStandardPaths::findExecutable(program, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
        if (sbin.isEmpty())
            return core::Error {QStringLiteral("%1 is not installed").arg(program), program};
        return runTool(sbin, args, timeout);
    }
    QProcess p;
    p.start(path, args);
    if (!p.waitForFinished(int(timeout.count()))) {
        p.kill();
        p.waitForFinished(200);
        return core::Error {
            QStringLiteral("%1 did not answer within %2 ms").arg(program).arg(timeout.count()), program};
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return core::Error {
            QStringLiteral("%1 failed: %2")
                .arg(program, QString::fromLocal8Bit(p.readAllStandardError()).trimmed().left(200)),
            program};
    return p.readAllStandardOutput();
}
}  // namespace

ClockState ClockProbe::read() const
{
    QStringList why;
    if (auto out
        = runTool(QStringLiteral("chronyc"), {QStringLiteral("-c"), QStringLiteral("tracking")}, m_timeout);
        out.ok()) {
        auto s = ClockReportParser::parseChronyTracking(out.value());
        if (s.ok() && s->source != ClockState::Source::Unsynchronised)
            return s.value();
        why << (s.ok() ? s->detail : s.error().message);
    } else {
        why << out.error().message;
    }
    if (auto out = runTool(QStringLiteral("pmc"),
            {QStringLiteral("-u"), QStringLiteral("-b"), QStringLiteral("0"),
                QStringLiteral("GET TIME_STATUS_NP")},
            m_timeout);
        out.ok()) {
        auto s = ClockReportParser::parsePmcTimeStatus(out.value());
        if (s.ok() && s->source != ClockState::Source::Unsynchronised)
            return s.value();
        why << (s.ok() ? s->detail : s.error().message);
    } else {
        why << out.error().message;
    }
    ClockState u;
    u.source = ClockState::Source::Unsynchronised;
    u.detail = why.join(QStringLiteral("; "));
    return u;
}

}  // namespace scopesync::hal::clock
