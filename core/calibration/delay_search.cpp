// DelaySearch: finds both edges of the valid flash-delay window in a handful of frames, guided by the model.
#include "core/calibration/delay_search.h"

#include <algorithm>
#include <cmath>

namespace scopesync::core::calibration {

using analysis::FlashTiming;
using analysis::UniformityScore;

namespace {

constexpr int kMaxAttempts = 3;  // per phase: a wrong guess is corrected by what its frame showed
// A frame whose plateau is below this (DN above black) shows no flash at all.
constexpr double kNoLightDn = 2.0;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

QString msText(Micros t)
{
    return QString::number(t.count() / 1000.0, 'f', 3);
}

}  // namespace

analysis::UniformityScore DelaySearch::scoreOf(const Sample &s) const
{
    const analysis::UniformityScorer scorer(m_request.geometry());
    return scorer.scoreProfile(s.profile, m_reference ? &*m_reference : nullptr);
}

Result<const DelaySearch::Sample *> DelaySearch::take(
    Micros delay, const QString &phase, const MeasureFn &measure, const ProgressFn &progress)
{
    delay = std::clamp(delay, Micros(0), m_request.delayLimit());
    auto shot = measure(delay);
    if (!shot.ok())
        return shot.error();
    const analysis::UniformityScorer scorer(m_request.geometry());
    m_samples.push_back({delay, shot->on, shot->off, phase, scorer.profileOf(shot->image),
        m_reference ? analysis::UniformityScore {} : scorer.score(shot->image)});
    const Sample &s = m_samples.back();
    if (progress) {
        SearchProgress p {int(m_samples.size()), delay, phase, &shot->image,
            m_reference ? scoreOf(s) : s.alone, m_start, m_end, m_startMeasured, m_endMeasured};
        if (!progress(p))
            return Error {
                QStringLiteral("calibration stopped on request after %1 frames").arg(m_samples.size()),
                QString()};
    }
    return &s;
}

double DelaySearch::globalLostUs(const Sample &s, const analysis::UniformityScore &sc) const
{
    const double litUs = std::max(sc.level, 0.0) * m_referenceFlash.count();
    return (s.off - s.on).count() - litUs;
}

bool DelaySearch::globalDimmed(const Sample &s, const analysis::UniformityScore &sc) const
{
    return globalLostUs(s, sc) > m_request.geometry().levelTolerance * m_request.flash.count();
}

void DelaySearch::estimate()
{
    const double lineUs = m_request.lineTimeUs();
    const double flashUs = m_request.flash.count();
    const bool global = m_request.shutter == timing::ShutterType::Global;
    std::vector<double> starts, ends;
    for (const Sample &s : m_samples) {
        const UniformityScore sc = scoreOf(s);
        // Which side a frame is on follows the delay asked; where its edges lie follows the flash as it
        // was driven (its on edge bounds the early side, its off edge the late side).
        const bool beforeCentre = s.delay.count() < 0.5 * (m_start + m_end).count();
        const double on = s.on.count();
        const double offLessFlash = s.off.count() - flashUs;
        if (global) {
            if (!globalDimmed(s, sc))
                continue;
            // Every row lost the same part of the flash: before the exposure began (the light that
            // counted ended at the off edge), or after it ended (it began at the on edge).
            const double litUs = (s.off - s.on).count() - globalLostUs(s, sc);
            if (beforeCentre)
                starts.push_back(s.off.count() - litUs);
            else
                ends.push_back(on + litUs - flashUs);
            continue;
        }
        // With a feasible window a frame can only be early before its centre and late after it; a knee
        // on the other side is noise at the end of a long ramp.
        // The last lit row started exposing at the flash start: the last row starts this much later.
        if (beforeCentre && (sc.timing == FlashTiming::TooEarly || sc.timing == FlashTiming::Both))
            starts.push_back(on + sc.rowsMissedEarly * lineUs);
        // The first lit row stopped exposing at the flash end: the first row stops this much earlier.
        if (!beforeCentre && (sc.timing == FlashTiming::TooLate || sc.timing == FlashTiming::Both))
            ends.push_back(offLessFlash - sc.rowsMissedLate * lineUs);
    }
    if (!starts.empty()) {
        m_start = Micros(median(starts));
        m_startMeasured = true;
    }
    if (!ends.empty()) {
        m_end = Micros(median(ends));
        m_endMeasured = true;
    }
}

Result<CalibrationResult> DelaySearch::run(const MeasureFn &measure, const ProgressFn &progress)
{
    if (const QString p = m_request.problem(); !p.isEmpty())
        return Error {p, QStringLiteral("calibration")};
    if (auto why = m_request.infeasibility())
        return Error {*why, QStringLiteral("calibration")};
    m_samples.clear();
    m_reference.reset();
    m_referenceFlash = Micros(0);
    m_startMeasured = m_endMeasured = false;

    const auto model = m_request.model();
    const auto predicted = model.validWindow(m_request.flash);
    const Micros width = predicted.end - predicted.start;  // a trigger offset moves both edges alike
    const bool global = m_request.shutter == timing::ShutterType::Global;
    const double lineUs = m_request.lineTimeUs();
    m_start = predicted.start;
    m_end = predicted.end;

    // 1. Reference: a frame inside the window. Scored on its own (no reference yet), a banded frame
    //    still tells roughly where the window is; move there and try again.
    for (int attempt = 0; !m_reference; ++attempt) {
        if (attempt == kMaxAttempts)
            return Error {QStringLiteral("no frame was evenly lit after %1 tries near %2 ms; the trigger "
                                         "offset is larger than the model allows, try --sweep")
                              .arg(kMaxAttempts)
                              .arg(msText((m_start + m_end) / 2)),
                QStringLiteral("calibration")};
        auto s = take((m_start + m_end) / 2, QStringLiteral("reference"), measure, progress);
        if (!s.ok())
            return s.error();
        const UniformityScore sc = s.value()->alone;
        if (sc.level < kNoLightDn)
            return Error {QStringLiteral("the frame at %1 ms shows no light from the LED; check the LED's "
                                         "wiring, its name and the flash duration")
                              .arg(msText(s.value()->delay)),
                QStringLiteral("calibration")};
        if (global || sc.timing == FlashTiming::Inside) {
            m_reference = s.value()->profile;
            m_referenceFlash = s.value()->off - s.value()->on;
            continue;
        }
        const double on = s.value()->on.count();
        const double offLessFlash = (s.value()->off - m_request.flash).count();
        if (sc.timing == FlashTiming::TooEarly || sc.timing == FlashTiming::Both)
            m_start = Micros(on + sc.rowsMissedEarly * lineUs), m_end = m_start + width;
        if (sc.timing == FlashTiming::TooLate || sc.timing == FlashTiming::Both)
            m_end = Micros(offLessFlash - sc.rowsMissedLate * lineUs), m_start = m_end - width;
    }

    // 2. One frame beyond each edge. The distance keeps the ramp of partly lit rows long (many rows
    //    to fit) but inside the image.
    const Micros step
        = global ? 0.3 * m_request.flash : std::min(0.3 * model.readout(), 0.5 * m_request.flash);
    for (int side = 0; side < 2; ++side) {
        const bool early = side == 0;
        for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
            // A global shutter's early edge is the trigger itself: probe at 0.
            const Micros d = early ? (global ? Micros(0) : m_start - step) : m_end + step;
            auto s = take(d, QStringLiteral("probe"), measure, progress);
            if (!s.ok())
                return s.error();
            const UniformityScore sc = scoreOf(*s.value());
            const bool found = global ? globalDimmed(*s.value(), sc)
                                      : (early ? sc.rowsMissedEarly > m_request.geometry().toleranceRows
                                               : sc.rowsMissedLate > m_request.geometry().toleranceRows);
            if (found || s.value()->delay <= Micros(0) || s.value()->delay >= m_request.delayLimit())
                break;
            // Still lit: the edge is further out than guessed.
            if (early)
                m_start = s.value()->delay;
            else
                m_end = s.value()->delay;
        }
        estimate();
        if (early && !m_startMeasured) {
            // Every delay down to 0 lights every row: the window starts at the trigger.
            m_start = Micros(0);
            m_startMeasured = true;
        }
    }
    if (m_end <= m_start)
        return Error {QStringLiteral("the frames show no valid window (start %1 ms, end %2 ms): the flash "
                                     "timing is not stable; check for missed trigger pulses")
                          .arg(msText(m_start), msText(m_end)),
            QStringLiteral("calibration")};

    // 3. Confirm just inside each edge; then the reference becomes the mean of every frame inside.
    const Micros inset = std::min(Micros(300), (m_end - m_start) / 4);
    for (const Micros d : {m_start + inset, m_end - inset}) {
        auto s = take(d, QStringLiteral("confirm"), measure, progress);
        if (!s.ok())
            return s.error();
    }
    for (int pass = 0; pass < 2; ++pass) {
        const Micros guard = Micros(std::max(100.0, 3 * lineUs));
        std::vector<const analysis::RowProfile *> inside;
        Micros flashSum {0};
        for (const Sample &s : m_samples)
            if (s.delay >= m_start + guard && s.delay <= m_end - guard) {
                inside.push_back(&s.profile);
                flashSum += s.off - s.on;
            }
        if (!inside.empty()) {
            m_reference = analysis::RowProfile::mean(inside);
            m_referenceFlash = flashSum / double(inside.size());
        }
        estimate();
    }

    CalibrationResult r;
    r.method = QStringLiteral("model-guided");
    r.windowStart = m_start;
    r.windowEnd = m_end;
    r.earliest = m_request.earliest;
    r.margin = m_request.margin;
    r.recommended = recommendDelay(m_start, m_end, m_request.earliest, m_request.margin);
    r.predictedStart = predicted.start;
    r.predictedEnd = predicted.end;
    r.framesUsed = int(m_samples.size());
    for (const Sample &s : m_samples) {
        r.curve.push_back({s.delay, s.phase, scoreOf(s)});
        if (s.phase == QLatin1String("confirm") && scoreOf(s).timing != FlashTiming::Inside)
            r.notes << QStringLiteral("the confirmation frame at %1 ms was not evenly lit (%2); the window "
                                      "edges may be uncertain by a few rows")
                           .arg(msText(s.delay), analysis::flashTimingName(scoreOf(s).timing));
    }
    if (m_request.earliest && m_start + m_request.margin > m_end)
        r.notes << QStringLiteral("the margin (%1 ms) is wider than the window; recommending its end")
                       .arg(msText(m_request.margin));
    return r;
}

}  // namespace scopesync::core::calibration
