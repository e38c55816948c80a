// The light an image actually received, judged against the light planned for it.
#include "core/acquisition/dose_check.h"

#include <cmath>

namespace scopesync::core::acquisition {

namespace {

QString ms(double ns)
{
    return QString::number(ns / 1e6, 'f', std::abs(ns) < 1e6 ? 3 : 1) + QStringLiteral(" ms");
}

// How far a flash of `plannedLength` ns may stray in length: a fraction of it, at least the floor.
double lengthAllowance(const DoseTolerance &tolerance, double plannedLength)
{
    return std::max(tolerance.lengthFraction * plannedLength,
        double(std::chrono::nanoseconds(tolerance.lengthFloor).count()));
}

}  // namespace

QStringList doseProblems(const std::vector<LedPulse> &planned, const QList<storage::LedEdge> &measured,
    const DoseTolerance &tolerance)
{
    QStringList problems;
    std::vector<bool> used(std::size_t(measured.size()), false);
    const double shiftNs = double(std::chrono::nanoseconds(tolerance.edgeShift).count());
    for (const LedPulse &p : planned) {
        if (p.duration <= std::chrono::microseconds(0))
            continue;
        qsizetype match = -1;
        for (qsizetype i = 0; i < measured.size(); ++i)
            if (!used[std::size_t(i)] && measured[i].led == p.led) {
                match = i;
                break;
            }
        const double plannedOn = double(std::chrono::nanoseconds(p.delay).count());
        const double plannedLength = double(std::chrono::nanoseconds(p.duration).count());
        if (match < 0) {
            problems << QStringLiteral("%1: planned %2 flash, none measured").arg(p.led, ms(plannedLength));
            continue;
        }
        used[std::size_t(match)] = true;
        const storage::LedEdge &e = measured[match];
        const double length = double(e.offNs - e.onNs);
        const double allowed = lengthAllowance(tolerance, plannedLength);
        if (std::abs(length - plannedLength) > allowed)
            problems << QStringLiteral("%1 flash %2, planned %3: dose ×%4")
                            .arg(p.led, ms(length), ms(plannedLength))
                            .arg(length / plannedLength, 0, 'f', 2);
        const double onShift = double(e.onNs) - plannedOn;
        if (std::abs(onShift) > shiftNs)
            problems << QStringLiteral("%1 on edge %2 %3 than planned")
                            .arg(p.led, ms(std::abs(onShift)),
                                onShift > 0 ? QStringLiteral("later") : QStringLiteral("earlier"));
        const double offShift = double(e.offNs) - (plannedOn + plannedLength);
        if (std::abs(offShift) > shiftNs)
            problems << QStringLiteral("%1 off edge %2 %3 than planned")
                            .arg(p.led, ms(std::abs(offShift)),
                                offShift > 0 ? QStringLiteral("later") : QStringLiteral("earlier"));
    }
    for (qsizetype i = 0; i < measured.size(); ++i)
        if (!used[std::size_t(i)])
            problems << QStringLiteral("%1 lit for %2, not planned")
                            .arg(measured[i].led, ms(double(measured[i].offNs - measured[i].onNs)));
    return problems;
}

QStringList windowProblems(const std::vector<LedPulse> &planned, const QList<storage::LedEdge> &measured,
    std::chrono::microseconds exposingStart, std::chrono::microseconds exposingEnd,
    const DoseTolerance &tolerance)
{
    QStringList problems;
    const double start = double(std::chrono::nanoseconds(exposingStart).count());
    const double end = double(std::chrono::nanoseconds(exposingEnd).count());
    std::vector<bool> used(std::size_t(measured.size()), false);
    for (const LedPulse &p : planned) {
        if (p.duration <= std::chrono::microseconds(0))
            continue;
        qsizetype match = -1;
        for (qsizetype i = 0; i < measured.size(); ++i)
            if (!used[std::size_t(i)] && measured[i].led == p.led) {
                match = i;
                break;
            }
        if (match < 0)
            continue;  // doseProblems says so
        used[std::size_t(match)] = true;
        const double plannedOn = double(std::chrono::nanoseconds(p.delay).count());
        const double plannedLength = double(std::chrono::nanoseconds(p.duration).count());
        if (plannedOn < start || plannedOn + plannedLength > end)
            continue;
        const double allowed = lengthAllowance(tolerance, plannedLength);
        const storage::LedEdge &e = measured[match];
        if (double(e.onNs) < start - allowed)
            problems << QStringLiteral("%1 light began %2 before every row was exposing (at %3): the rows "
                                       "that start last received less of it")
                            .arg(p.led, ms(start - double(e.onNs)), ms(start));
        if (double(e.offNs) > end + allowed)
            problems << QStringLiteral("%1 light ended %2 after the first row stopped exposing (at %3): the "
                                       "rows that end first received less of it")
                            .arg(p.led, ms(double(e.offNs) - end), ms(end));
    }
    return problems;
}

QStringList writeTimeProblems(const std::vector<LedPulse> &planned, const std::vector<DrivenEdge> &edges,
    const DoseTolerance &tolerance)
{
    QStringList problems;
    for (const DrivenEdge &e : edges) {
        if (e.issued == MonoTime {})
            continue;
        double plannedLength = 0;
        for (const LedPulse &p : planned)
            if (p.led == e.line)
                plannedLength = std::max(plannedLength, double(std::chrono::nanoseconds(p.duration).count()));
        const double allowed = lengthAllowance(tolerance, plannedLength);
        const double took = double((e.measured - e.issued).count());
        if (took > allowed)
            problems << QStringLiteral(
                "%1 %2 edge: the line write took %3, so the light's %4 is known only to "
                "within that")
                            .arg(e.line, e.active ? QStringLiteral("on") : QStringLiteral("off"), ms(took),
                                e.active ? QStringLiteral("start") : QStringLiteral("end"));
    }
    return problems;
}

QStringList strayLightProblems(
    const std::vector<StrayLight> &stray, MonoTime rowZeroStart, const DoseTolerance &tolerance)
{
    QStringList problems;
    for (const StrayLight &s : stray) {
        const double length = double((s.to - s.from).count());
        if (length <= double(std::chrono::nanoseconds(tolerance.lengthFloor).count()))
            continue;
        problems << QStringLiteral("%1 light of the image before lasted until %2 into this frame (%3 of it): "
                                   "this image holds another image's light")
                        .arg(s.led, ms(double((s.to - rowZeroStart).count())), ms(length));
    }
    return problems;
}

}  // namespace scopesync::core::acquisition
