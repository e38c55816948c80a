// ClockReportParser: reads the text chrony and linuxptp print into a ClockState (pure, no processes run).
#include "core/fleet/clock_report_parser.h"

#include <QList>
#include <QRegularExpression>

#include <cmath>

namespace scopesync::core::fleet {

namespace {
std::chrono::nanoseconds fromSeconds(double s)
{
    return std::chrono::nanoseconds(static_cast<qint64>(std::llround(s * 1e9)));
}
}  // namespace

Result<ClockState> ClockReportParser::parseChronyTracking(const QByteArray &csv)
{
    const QByteArray line = csv.trimmed().split('\n').value(0).trimmed();
    const QList<QByteArray> f = line.split(',');
    if (f.size() < 14)
        return Error {QStringLiteral("chronyc -c tracking printed %1 fields, expected 14: '%2'")
                          .arg(f.size())
                          .arg(QString::fromUtf8(line.left(120))),
            QStringLiteral("chrony")};
    bool ok[4] = {false, false, false, false};
    const int stratum = f[2].toInt(&ok[0]);
    const double offsetS = f[4].toDouble(&ok[1]);
    const double rootDelayS = f[10].toDouble(&ok[2]);
    const double rootDispersionS = f[11].toDouble(&ok[3]);
    for (bool b : ok)
        if (!b)
            return Error {QStringLiteral("chronyc -c tracking printed a field that is not a number: '%1'")
                              .arg(QString::fromUtf8(line.left(120))),
                QStringLiteral("chrony")};
    const QString leap = QString::fromUtf8(f[13]).trimmed();
    const QString ref = QString::fromUtf8(f[1]).trimmed();
    ClockState s;
    s.offset = fromSeconds(offsetS);
    if (stratum == 0 || leap.compare(QLatin1String("Not synchronised"), Qt::CaseInsensitive) == 0) {
        s.source = ClockState::Source::Unsynchronised;
        s.detail = QStringLiteral("chrony runs but is not synchronised (leap status '%1'); check its sources "
                                  "with 'chronyc sources'")
                       .arg(leap);
        return s;
    }
    s.source = ClockState::Source::Chrony;
    s.errorBound = fromSeconds(std::fabs(offsetS) + rootDispersionS + rootDelayS / 2);
    s.detail = QStringLiteral("chrony: ref %1 stratum %2, leap %3").arg(ref).arg(stratum).arg(leap);
    return s;
}

Result<ClockState> ClockReportParser::parsePmcTimeStatus(const QByteArray &text)
{
    static const QRegularExpression offsetRe(
        QStringLiteral("^\\s*master_offset\\s+(-?[0-9]+)\\s*$"), QRegularExpression::MultilineOption);
    static const QRegularExpression gmRe(
        QStringLiteral("^\\s*gmPresent\\s+(true|false)\\s*$"), QRegularExpression::MultilineOption);
    static const QRegularExpression gmIdRe(
        QStringLiteral("^\\s*gmIdentity\\s+(\\S+)\\s*$"), QRegularExpression::MultilineOption);
    const QString t = QString::fromUtf8(text);
    if (!t.contains(QLatin1String("TIME_STATUS_NP")) || !t.contains(QLatin1String("RESPONSE")))
        return Error {
            QStringLiteral("pmc gave no TIME_STATUS_NP response; is ptp4l running?"), QStringLiteral("ptp")};
    const auto om = offsetRe.match(t);
    const auto gm = gmRe.match(t);
    if (!om.hasMatch() || !gm.hasMatch())
        return Error {QStringLiteral("pmc's TIME_STATUS_NP response lacks master_offset or gmPresent"),
            QStringLiteral("ptp")};
    ClockState s;
    const std::chrono::nanoseconds offset(om.captured(1).toLongLong());
    s.offset = offset;
    if (gm.captured(1) == QLatin1String("false")) {
        s.source = ClockState::Source::Unsynchronised;
        s.detail = QStringLiteral("ptp4l runs but sees no grandmaster (gmPresent false)");
        return s;
    }
    s.source = ClockState::Source::Ptp;
    s.errorBound = std::chrono::nanoseconds(std::abs(offset.count()));
    s.detail = QStringLiteral("ptp: grandmaster %1").arg(gmIdRe.match(t).captured(1));
    return s;
}

}  // namespace scopesync::core::fleet
