// DelaySearch: finds both edges of the valid flash-delay window in a handful of frames, guided by the model.
#include "core/calibration/delay_search.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace scopesync::core::calibration {

using analysis::FlashTiming;
using analysis::UniformityScore;

namespace {

constexpr int kMaxAttempts = 3;  // per phase: a wrong guess is corrected by what its frame showed
// A frame whose plateau is below this (DN above black) shows no flash at all.
constexpr double kNoLightDn = 2.0;
// A frame scored evenly lit whose plateau is below this fraction of the reference's did not get the flash
// it was driven with (a rolling shutter's uniform dark frame is "inside" by shape alone).
constexpr double kLitLevel = 0.9;

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

double DelaySearch::forgivenUs() const
{
    // A rolling shutter's rows near an edge lose only (distance / flash) of their light: the scorer finds
    // a band reliably once the last row lost about levelTolerance of it, or toleranceRows lines.
    return std::max(m_request.geometry().toleranceRows * m_request.lineTimeUs(),
        m_request.geometry().levelTolerance * m_request.flash.count());
}

double DelaySearch::contradictionSlackUs() const
{
    return 2 * forgivenUs();
}

bool DelaySearch::evenlyLit(const Sample &s, const analysis::UniformityScore &sc) const
{
    if (m_request.shutter == timing::ShutterType::Global)
        return !globalDimmed(s, sc);
    return sc.timing == FlashTiming::Inside && sc.level >= kLitLevel;
}

void DelaySearch::estimate()
{
    const double lineUs = m_request.lineTimeUs();
    const double flashUs = m_request.flash.count();
    const bool global = m_request.shutter == timing::ShutterType::Global;
    // An evenly lit frame proves that its flash, as driven, lies inside the window: no edge can be
    // inside it. Beyond this slack (what the scorer still calls evenly lit), an edge estimate that says
    // otherwise came from a frame that does not show what was asked of it, and is left out.
    const double slack = contradictionSlackUs();
    double litOnMin = std::numeric_limits<double>::infinity();
    double litOffLessFlashMax = -std::numeric_limits<double>::infinity();
    for (const Sample &s : m_samples)
        if (m_reference && evenlyLit(s, scoreOf(s))) {
            litOnMin = std::min(litOnMin, double(s.on.count()));
            litOffLessFlashMax = std::max(litOffLessFlashMax, s.off.count() - flashUs);
        }
    std::vector<double> starts, ends;
    const auto addStart = [&](double t) {
        if (t > litOnMin + slack)
            ++m_contradicted;
        else
            starts.push_back(t);
    };
    const auto addEnd = [&](double t) {
        if (t < litOffLessFlashMax - slack)
            ++m_contradicted;
        else
            ends.push_back(t);
    };
    m_contradicted = 0;
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
                addStart(s.off.count() - litUs);
            else
                addEnd(on + litUs - flashUs);
            continue;
        }
        // With a feasible window a frame can only be early before its centre and late after it; a knee
        // on the other side is noise at the end of a long ramp.
        // The last lit row started exposing at the flash start: the last row starts this much later.
        if (beforeCentre && (sc.timing == FlashTiming::TooEarly || sc.timing == FlashTiming::Both))
            addStart(on + sc.rowsMissedEarly * lineUs);
        // The first lit row stopped exposing at the flash end: the first row stops this much earlier.
        if (!beforeCentre && (sc.timing == FlashTiming::TooLate || sc.timing == FlashTiming::Both))
            addEnd(offLessFlash - sc.rowsMissedLate * lineUs);
    }
    if (!starts.empty()) {
        m_start = Micros(median(starts));
        m_startMeasured = true;
    } else if (m_start.count() > litOnMin) {
        m_start = Micros(litOnMin);  // every frame that showed this edge was contradicted: not measured
        m_startMeasured = false;
    }
    if (!ends.empty()) {
        m_end = Micros(median(ends));
        m_endMeasured = true;
    } else if (m_end.count() < litOffLessFlashMax) {
        m_end = Micros(litOffLessFlashMax);
        m_endMeasured = false;
    }
}

void DelaySearch::rereference()
{
    const double lineUs = m_request.lineTimeUs();
    // The reference becomes the mean of every frame well inside the window; the edges are estimated
    // against it, twice (the first estimate moves which frames are inside).
    for (int pass = 0; pass < 2; ++pass) {
        const Micros guard = Micros(std::max(100.0, 3 * lineUs));
        std::vector<const analysis::RowProfile *> inside;
        Micros flashSum {0};
        for (const Sample &s : m_samples)
            // A frame that lost its flash (dark against the reference) would dim the reference.
            if (s.delay >= m_start + guard && s.delay <= m_end - guard
                && (!m_reference || scoreOf(s).level >= kLitLevel)) {
                inside.push_back(&s.profile);
                flashSum += s.off - s.on;
            }
        if (!inside.empty()) {
            m_reference = analysis::RowProfile::mean(inside);
            m_referenceFlash = flashSum / double(inside.size());
        }
        estimate();
    }
}

Status DelaySearch::probeEdge(bool early, Micros step, const MeasureFn &measure, const ProgressFn &progress)
{
    const bool global = m_request.shutter == timing::ShutterType::Global;
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
    return Ok {};
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
    m_disagreements.clear();

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
    for (const bool early : {true, false})
        if (auto probed = probeEdge(early, step, measure, progress); !probed.ok())
            return probed.error();
    if (m_end <= m_start)
        return Error {QStringLiteral("the frames show no valid window (start %1 ms, end %2 ms): the flash "
                                     "timing is not stable; check for missed trigger pulses")
                          .arg(msText(m_start), msText(m_end)),
            QStringLiteral("calibration")};

    // 3. Check each edge from both sides: a frame just inside must be evenly lit and a frame just outside
    //    must show the edge. A frame that disagrees is evidence too (an evenly lit frame proves its delay
    //    is inside the window): the edges are estimated again with it, then checked again. A window the
    //    frames still disagree about is refused, never saved as calibrated.
    int rounds = 0;
    for (QString disagreement;; disagreement.clear()) {
        ++rounds;
        // Far enough from each edge that a correct edge shows clearly: three times what the scorer forgives.
        const Micros clear = Micros(3 * forgivenUs());
        const Micros inset = std::min(std::max(Micros(300), clear), (m_end - m_start) / 4);
        const Micros outset = std::max(inset, clear);
        struct Check {
            Micros delay;
            bool inside;
            bool early;
        };
        std::vector<Check> checks {{m_start + inset, true, true}, {m_end - inset, true, false}};
        if (m_start - outset >= Micros(0))
            checks.push_back({m_start - outset, false, true});
        if (m_end + outset <= m_request.delayLimit())
            checks.push_back({m_end + outset, false, false});
        std::vector<std::pair<Check, std::size_t>> taken;
        for (const Check &c : checks) {
            auto s = take(
                c.delay, c.inside ? QStringLiteral("confirm") : QStringLiteral("check"), measure, progress);
            if (!s.ok())
                return s.error();
            taken.emplace_back(c, m_samples.size() - 1);
        }
        const Micros startBefore = m_start, endBefore = m_end;
        rereference();
        // An edge whose every estimate an evenly lit frame contradicted is measured again from further out.
        for (const bool early : {true, false})
            if (!(early ? m_startMeasured : m_endMeasured))
                if (auto probed = probeEdge(early, step, measure, progress); !probed.ok())
                    return probed.error();
        // Judged by where the flash was driven (a late strobe moves it), against the edges it checks.
        const double slackUs = contradictionSlackUs();
        for (const auto &[c, index] : taken) {
            const Sample &s = m_samples[index];
            const UniformityScore sc = scoreOf(s);
            const double offLessFlash = (s.off - m_request.flash).count();
            const bool drivenInside = s.on.count() >= startBefore.count() + slackUs
                && offLessFlash <= endBefore.count() - slackUs;
            const bool drivenOutside
                = s.on.count() < startBefore.count() - slackUs || offLessFlash > endBefore.count() + slackUs;
            const bool lit = evenlyLit(s, sc);
            if (!(lit && drivenOutside) && !(!lit && drivenInside))
                continue;
            disagreement
                = QStringLiteral("the frame at %1 ms (flash driven at %2 ms), just %3 the window's %4 "
                                 "(%5 ms), was %6")
                      .arg(msText(s.delay), msText(s.on),
                          c.inside ? QStringLiteral("inside") : QStringLiteral("outside"),
                          c.early ? QStringLiteral("start") : QStringLiteral("end"),
                          msText(c.early ? startBefore : endBefore),
                          !lit ? QStringLiteral("not evenly lit (%1, level %2)")
                                     .arg(analysis::flashTimingName(sc.timing))
                                     .arg(sc.level, 0, 'f', 3)
                               : QStringLiteral("evenly lit"));
            break;
        }
        if (disagreement.isEmpty())
            break;
        m_disagreements << disagreement;
        if (rounds == kMaxAttempts || m_end <= m_start)
            return Error {QStringLiteral(
                              "the frames disagree about the window after %1 rounds of checks: %2. The flash "
                              "does not land where it was driven from frame to frame (missed or "
                              "late trigger pulses, a camera that drops frames, a busy machine); "
                              "nothing was saved; run the calibration again, or sweep with --sweep")
                              .arg(rounds)
                              .arg(m_disagreements.join(QStringLiteral("; "))),
                QStringLiteral("calibration")};
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
    for (const Sample &s : m_samples)
        r.curve.push_back({s.delay, s.phase, scoreOf(s)});
    if (m_contradicted > 0)
        r.notes << QStringLiteral("%1 edge estimate(s) were left out: their frames placed an edge inside the "
                                  "flash of a frame that was evenly lit")
                       .arg(m_contradicted);
    for (const QString &d : std::as_const(m_disagreements))
        r.notes << QStringLiteral("%1; the edges were measured again with that frame and the next frames "
                                  "agreed (round %2 of checks)")
                       .arg(d)
                       .arg(rounds);
    if (m_request.earliest && m_start + m_request.margin > m_end)
        r.notes << QStringLiteral("the margin (%1 ms) is wider than the window; recommending its end")
                       .arg(msText(m_request.margin));
    return r;
}

}  // namespace scopesync::core::calibration
