// DelaySweep: the plain method — a frame at every delay from start to stop, the window read off the scores.
#include "core/calibration/delay_sweep.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace scopesync::core::calibration {

using analysis::FlashTiming;

namespace {
// The longest delay a sweep may name: far beyond any shutter the sensors allow, small enough that the
// arithmetic on microseconds stays exact.
constexpr double kMaxSweepMs = 600'000;
// A frame whose mean signal above black is below this shows no light from the LED (the same threshold
// as the model-guided search).
constexpr double kNoLightDn = 2.0;

double meanSignal(const analysis::RowProfile &p)
{
    double sum = 0;
    for (double v : p.values())
        sum += v;
    return p.isEmpty() ? 0.0 : sum / double(p.rows());
}

QString msText(Micros t)
{
    return QString::number(t.count() / 1000.0, 'f', 3);
}
}  // namespace

Result<SweepRange> SweepRange::parse(const QString &text)
{
    const QStringList parts = text.split(u':');
    const Error bad {
        QStringLiteral("'%1' is not a sweep; write START:STOP:STEP in milliseconds, e.g. 0:100:1").arg(text),
        QStringLiteral("--sweep")};
    if (parts.size() != 3)
        return bad;
    double v[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i) {
        bool ok = false;
        v[i] = parts[i].trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v[i]))
            return bad;
    }
    if (v[0] < 0 || v[1] < v[0] || v[2] <= 0)
        return Error {QStringLiteral("'%1': START must be ≥ 0, STOP ≥ START and STEP > 0").arg(text),
            QStringLiteral("--sweep")};
    if (v[1] > kMaxSweepMs || v[2] > kMaxSweepMs)
        return Error {QStringLiteral("'%1': STOP and STEP must be at most %2 ms").arg(text).arg(kMaxSweepMs),
            QStringLiteral("--sweep")};
    if ((v[1] - v[0]) / v[2] > 10000)
        return Error {QStringLiteral("'%1' asks for more than 10000 frames; use a larger STEP").arg(text),
            QStringLiteral("--sweep")};
    return SweepRange {Micros(v[0] * 1000), Micros(v[1] * 1000), Micros(v[2] * 1000)};
}

Result<CalibrationResult> DelaySweep::run(const MeasureFn &measure, const ProgressFn &progress)
{
    if (const QString p = m_request.problem(); !p.isEmpty())
        return Error {p, QStringLiteral("calibration")};
    if (auto why = m_request.infeasibility())
        return Error {*why, QStringLiteral("calibration")};
    const analysis::UniformityScorer scorer(m_request.geometry());
    const auto predicted = m_request.model().validWindow(m_request.flash);

    // A flash past shutter + readout falls after every row has stopped exposing: such delays are
    // skipped (not clamped to the limit, which would score a dark frame as if taken at the limit).
    const Micros limit = m_request.delayLimit();
    if (m_range.start > limit)
        return Error {QStringLiteral("the sweep starts at %1 ms, past the longest useful delay (%2 ms: "
                                     "shutter + readout); start the sweep below %2 ms")
                          .arg(msText(m_range.start), msText(limit)),
            QStringLiteral("--sweep")};
    const auto count = qint64(std::floor((m_range.stop - m_range.start) / m_range.step + 1e-9)) + 1;
    if (count < 1 || count > 10001)
        return Error {QStringLiteral("the sweep %1:%2:%3 ms names no usable delay; write START:STOP:STEP "
                                     "with STOP ≥ START and STEP > 0")
                          .arg(msText(m_range.start), msText(m_range.stop), msText(m_range.step)),
            QStringLiteral("--sweep")};

    const auto markUnlit = [&](analysis::UniformityScore &sc) {
        sc.timing
            = m_request.shutter == timing::ShutterType::Global ? FlashTiming::Dimmed : FlashTiming::Both;
        sc.darkEdge = analysis::ImageEdge::Both;
        sc.litFraction = 0;
        sc.uniformity = 0;
    };
    std::vector<Micros> delays;
    std::vector<analysis::RowProfile> profiles;
    qint64 skipped = 0;
    for (qint64 i = 0; i < count; ++i) {
        const Micros d = m_range.start + double(i) * m_range.step;
        if (d > limit) {
            skipped = count - i;
            break;
        }
        auto shot = measure(d);
        if (!shot.ok())
            return shot.error();
        delays.push_back(d);
        profiles.push_back(scorer.profileOf(shot->image));
        if (progress) {
            auto sc = scorer.scoreProfile(profiles.back());
            if (meanSignal(profiles.back()) < kNoLightDn)
                markUnlit(sc);
            SearchProgress p {int(delays.size()), d, QStringLiteral("sweep"), &shot->image, sc,
                predicted.start, predicted.end, false, false};
            if (!progress(p))
                return Error {
                    QStringLiteral("calibration stopped on request after %1 frames").arg(delays.size()),
                    QString()};
        }
    }
    // An unlit frame is never "inside": against an all-dark envelope it would look evenly lit.
    std::vector<bool> unlit;
    double brightest = 0;
    for (const auto &p : profiles) {
        const double m = meanSignal(p);
        unlit.push_back(m < kNoLightDn);
        brightest = std::max(brightest, m);
    }
    if (brightest < kNoLightDn)
        return Error {QStringLiteral("no frame of the sweep shows light from the LED (brightest %1 DN above "
                                     "black); check the LED's wiring and name, and sweep delays below %2 "
                                     "ms (shutter + readout)")
                          .arg(brightest, 0, 'f', 2)
                          .arg(msText(limit)),
            QStringLiteral("--sweep")};

    // Row-wise brightest over the sweep.
    std::vector<double> env(profiles.front().values());
    for (const auto &p : profiles)
        for (std::size_t r = 0; r < env.size() && r < p.values().size(); ++r)
            env[r] = std::max(env[r], p.values()[r]);
    const analysis::RowProfile reference(env);

    CalibrationResult res;
    res.method = QStringLiteral("sweep");
    res.predictedStart = predicted.start;
    res.predictedEnd = predicted.end;
    res.framesUsed = int(delays.size());
    res.earliest = m_request.earliest;
    res.margin = m_request.margin;
    // Two passes: the envelope (biased up by the noise's maximum) picks the evenly lit frames; their
    // mean, nearly noise-free, is the reference the final scores use.
    const auto classify = [&](const analysis::RowProfile &ref, double plateauSlack) {
        std::vector<bool> lit;
        res.curve.clear();
        for (std::size_t i = 0; i < delays.size(); ++i) {
            auto sc = scorer.scoreProfile(profiles[i], &ref);
            if (sc.timing == FlashTiming::Dimmed && sc.level > 1.0 - plateauSlack)
                sc.timing = FlashTiming::Inside;
            // A frame with almost no light shows no knee either: the fit calls it even. Less than half as
            // bright as the lit frames, no row can have received the whole flash.
            if (unlit[i] || (sc.timing == FlashTiming::Inside && sc.level < 0.5))
                markUnlit(sc);
            lit.push_back(sc.timing == FlashTiming::Inside);
            res.curve.push_back({delays[i], QStringLiteral("sweep"), sc});
        }
        return lit;
    };
    std::vector<bool> inside = classify(reference, 0.03);
    std::vector<const analysis::RowProfile *> litProfiles;
    for (std::size_t i = 0; i < delays.size(); ++i)
        if (inside[i])
            litProfiles.push_back(&profiles[i]);
    if (!litProfiles.empty())
        inside = classify(analysis::RowProfile::mean(litProfiles), 0.01);
    // The longest run of evenly lit frames.
    std::size_t bestA = 0, bestLen = 0;
    for (std::size_t i = 0; i < inside.size();) {
        if (!inside[i]) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < inside.size() && inside[j])
            ++j;
        if (j - i > bestLen)
            bestA = i, bestLen = j - i;
        i = j;
    }
    if (bestLen == 0)
        return Error {QStringLiteral("no frame of the sweep was evenly lit; widen the sweep or check the "
                                     "trigger offset"),
            QStringLiteral("--sweep")};
    const std::size_t bestB = bestA + bestLen - 1;
    res.windowStart = bestA > 0 ? (delays[bestA - 1] + delays[bestA]) / 2 : delays[bestA];
    res.windowEnd = bestB + 1 < delays.size() ? (delays[bestB] + delays[bestB + 1]) / 2 : delays[bestB];
    if (bestA == 0)
        res.notes << QStringLiteral("the first delay of the sweep was already evenly lit: the window may "
                                    "start earlier");
    if (bestB + 1 == delays.size())
        res.notes << QStringLiteral("the last delay of the sweep was still evenly lit: the window may end "
                                    "later");
    if (skipped > 0)
        res.notes << QStringLiteral("%1 delays of the sweep past %2 ms (shutter + readout) were skipped: no "
                                    "row is exposing then")
                         .arg(skipped)
                         .arg(msText(limit));
    res.recommended = recommendDelay(res.windowStart, res.windowEnd, m_request.earliest, m_request.margin);
    return res;
}

}  // namespace scopesync::core::calibration
