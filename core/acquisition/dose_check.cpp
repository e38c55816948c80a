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

// For each planned flash, the index of the measured on period that is its light: the first not yet taken
// on the same LED; -1 when none was measured, or when the flash is empty (never lit, never matched).
std::vector<qsizetype> matchFlashes(
    const std::vector<LedPulse> &planned, const QList<storage::LedEdge> &measured)
{
    std::vector<qsizetype> match(planned.size(), -1);
    std::vector<bool> used(std::size_t(measured.size()), false);
    for (std::size_t k = 0; k < planned.size(); ++k) {
        if (planned[k].duration <= std::chrono::microseconds(0))
            continue;
        for (qsizetype i = 0; i < measured.size(); ++i)
            if (!used[std::size_t(i)] && measured[i].led == planned[k].led) {
                used[std::size_t(i)] = true;
                match[k] = i;
                break;
            }
    }
    return match;
}

}  // namespace

QStringList doseProblems(const std::vector<LedPulse> &planned, const QList<storage::LedEdge> &measured,
    const DoseTolerance &tolerance)
{
    QStringList problems;
    const std::vector<qsizetype> matches = matchFlashes(planned, measured);
    std::vector<bool> used(std::size_t(measured.size()), false);
    for (const qsizetype m : matches)
        if (m >= 0)
            used[std::size_t(m)] = true;
    const double shiftNs = double(std::chrono::nanoseconds(tolerance.edgeShift).count());
    for (std::size_t k = 0; k < planned.size(); ++k) {
        const LedPulse &p = planned[k];
        if (p.duration <= std::chrono::microseconds(0))
            continue;
        const qsizetype match = matches[k];
        const double plannedOn = double(std::chrono::nanoseconds(p.delay).count());
        const double plannedLength = double(std::chrono::nanoseconds(p.duration).count());
        if (match < 0) {
            problems << QStringLiteral("%1: planned %2 flash, none measured").arg(p.led, ms(plannedLength));
            continue;
        }
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
    const std::vector<qsizetype> matches = matchFlashes(planned, measured);
    for (std::size_t k = 0; k < planned.size(); ++k) {
        const LedPulse &p = planned[k];
        const qsizetype match = matches[k];
        if (match < 0)
            continue;  // empty, or not measured: doseProblems says so
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
