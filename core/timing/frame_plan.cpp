// The frame plan: a protocol and the camera timing unrolled into the ordered actions a run performs.
#include "core/timing/frame_plan.h"

#include <algorithm>

namespace scopesync::core::timing {

using protocol::Step;
using protocol::StepKind;

qint64 illuminateCaptures(const Step &step)
{
    if (!step.capturePeriod || step.capturePeriod->count() <= 0 || step.duration.count() <= 0)
        return 0;
    return step.duration.count() / step.capturePeriod->count();
}

FramePlanCursor::FramePlanCursor(const protocol::Protocol &protocol) : m_protocol(protocol)
{
    m_stack.push_back({&m_protocol.steps, 0, 0, 1});
}

bool FramePlanCursor::next(PlanAction &out)
{
    const auto fillContext = [this](PlanAction &a, const Step &step) {
        a.label = step.label;
        a.stepPath = step.sourcePath;
        a.iterations.clear();
        // Level 0 is the protocol itself; each deeper level is a group.
        for (std::size_t i = 1; i < m_stack.size(); ++i)
            a.iterations.append(m_stack[i].iteration);
    };

    if (m_illuminating && m_pendingCaptures > 0) {
        const qint64 total = illuminateCaptures(*m_illuminating);
        out = PlanAction {};
        out.kind = ActionKind::Capture;
        fillContext(out, *m_illuminating);
        out.frameIndex = m_frameIndex++;
        out.flashes = m_illuminating->flashes;
        out.underContinuousLight = true;
        out.capturePeriod = *m_illuminating->capturePeriod;
        out.captures = total - m_pendingCaptures;  // which capture of the step this is (0-based)
        --m_pendingCaptures;
        if (m_pendingCaptures == 0)
            m_illuminating = nullptr;
        return true;
    }

    while (!m_stack.empty()) {
        Level &level = m_stack.back();
        if (level.index >= level.steps->size()) {
            if (++level.iteration < level.iterations) {
                level.index = 0;
                continue;
            }
            m_stack.pop_back();
            if (!m_stack.empty())
                ++m_stack.back().index;
            continue;
        }
        const Step &step = (*level.steps)[level.index];
        if (step.kind == StepKind::Group) {
            if (step.iterations < 1 || step.children.empty()) {
                ++level.index;
                continue;
            }
            m_stack.push_back({&step.children, 0, 0, step.iterations});
            continue;
        }

        out = PlanAction {};
        fillContext(out, step);
        switch (step.kind) {
        case StepKind::Image:
            out.kind = ActionKind::Capture;
            out.frameIndex = m_frameIndex++;
            out.filter = step.filter;
            out.flashes = step.flashes;
            break;
        case StepKind::Wait:
            out.kind = ActionKind::Wait;
            out.duration = step.duration;
            break;
        case StepKind::SetTemperature:
            out.kind = ActionKind::SetTemperature;
            out.temperatureKelvin = step.temperatureKelvin;
            break;
        case StepKind::Illuminate:
            out.kind = ActionKind::Illuminate;
            out.flashes = step.flashes;
            out.duration = step.duration;
            out.capturePeriod = step.capturePeriod.value_or(std::chrono::milliseconds(0));
            out.captures = illuminateCaptures(step);
            if (out.captures > 0) {
                m_illuminating = &step;
                m_pendingCaptures = out.captures;
            }
            break;
        case StepKind::Group: break;  // handled above
        }
        ++level.index;
        return true;
    }
    return false;
}

namespace {

// Saturating arithmetic: absurd protocols must be countable without overflow so validation can say
// how absurd they are.
qint64 satMul(qint64 a, qint64 b)
{
    if (a == 0 || b == 0)
        return 0;
    if (a > PlanSummary::kMaxCountable / b)
        return PlanSummary::kMaxCountable;
    return std::min(a * b, PlanSummary::kMaxCountable);
}

qint64 satAdd(qint64 a, qint64 b)
{
    return std::min(a + b, PlanSummary::kMaxCountable);
}

struct Totals {
    qint64 frames = 0;
    qint64 actions = 0;
    double seconds = 0;
    bool temperature = false;
    double heatingSeconds = 0;  // included in `seconds`
    // Filter changes inside the subtree, not counting the change into its first filter.
    qint64 filterMoves = 0;
    QString firstFilter;  // first and last concrete filter the subtree asks for; empty: none
    QString lastFilter;
};

// A filter the wheel is moved to; "any_filter" and no filter leave it where it is.
bool concreteFilter(const QString &filter)
{
    return !filter.isEmpty() && filter != QLatin1String("any_filter");
}

// Appends `next` (executed `times` in a row) after `t`.
void appendFilters(Totals &t, const Totals &next, qint64 times)
{
    if (next.firstFilter.isEmpty())
        return;
    qint64 moves = satMul(next.filterMoves, times);
    if (times > 1 && next.lastFilter != next.firstFilter)
        moves = satAdd(moves, times - 1);
    if (!t.firstFilter.isEmpty() && t.lastFilter != next.firstFilter)
        moves = satAdd(moves, 1);
    t.filterMoves = satAdd(t.filterMoves, moves);
    if (t.firstFilter.isEmpty())
        t.firstFilter = next.firstFilter;
    t.lastFilter = next.lastFilter;
}

// Recursion depth is bounded by the reader's nesting limit (32). `kelvin` is the slide's temperature as
// the steps begin, updated by their set points (a group's later iterations heat from where the group
// left off, which its own steps already account for: only the first iteration is charged the climb in).
Totals sum(const std::vector<Step> &steps, const PlanTiming &timing, double &kelvin)
{
    Totals t;
    const double frameSeconds = std::chrono::duration<double>(timing.imageTime()).count();
    for (const Step &step : steps) {
        switch (step.kind) {
        case StepKind::Group: {
            if (step.iterations < 1)
                break;
            const Totals inner = sum(step.children, timing, kelvin);
            t.frames = satAdd(t.frames, satMul(inner.frames, step.iterations));
            t.actions = satAdd(t.actions, satMul(inner.actions, step.iterations));
            t.seconds += inner.seconds * step.iterations;
            t.heatingSeconds += inner.heatingSeconds * step.iterations;
            t.temperature = t.temperature || inner.temperature;
            appendFilters(t, inner, step.iterations);
            break;
        }
        case StepKind::Image: {
            t.frames = satAdd(t.frames, 1);
            t.actions = satAdd(t.actions, 1);
            t.seconds += frameSeconds;
            if (concreteFilter(step.filter)) {
                Totals one;
                one.firstFilter = one.lastFilter = step.filter;
                appendFilters(t, one, 1);
            }
            break;
        }
        case StepKind::Wait:
            t.actions = satAdd(t.actions, 1);
            t.seconds += std::chrono::duration<double>(step.duration).count();
            break;
        case StepKind::SetTemperature:
            t.actions = satAdd(t.actions, 1);
            t.temperature = true;
            if (timing.heatingKelvinPerSecond && *timing.heatingKelvinPerSecond > 0) {
                // Cooling is passive and its time unknown; only the climb and the hold are charged.
                const double climb = std::max(0.0, step.temperatureKelvin - kelvin);
                const double heating = climb / *timing.heatingKelvinPerSecond
                    + std::chrono::duration<double>(timing.heatingHold).count();
                t.seconds += heating;
                t.heatingSeconds += heating;
            }
            kelvin = step.temperatureKelvin;
            break;
        case StepKind::Illuminate: {
            const qint64 captures = illuminateCaptures(step);
            t.frames = satAdd(t.frames, captures);
            t.actions = satAdd(t.actions, satAdd(1, captures));
            t.seconds += std::max(0.0, std::chrono::duration<double>(step.duration).count());
            break;
        }
        }
    }
    return t;
}

}  // namespace

PlanSummary summarize(const protocol::Protocol &protocol, const PlanTiming &timing)
{
    double kelvin = timing.startKelvin;
    const Totals t = sum(protocol.steps, timing, kelvin);
    PlanSummary s;
    s.frames = t.frames;
    s.actions = t.actions;
    // The wheel's position at the start is unknown: the first concrete filter is a move too.
    s.filterMoves = t.firstFilter.isEmpty() ? 0 : satAdd(t.filterMoves, 1);
    s.filterMoveTime = timing.filterMove * double(s.filterMoves);
    s.heatingEstimated = t.temperature && timing.heatingKelvinPerSecond && *timing.heatingKelvinPerSecond > 0;
    s.temperatureSteps = t.temperature && !s.heatingEstimated;
    s.heatingTime = std::chrono::duration<double>(t.heatingSeconds);
    s.estimatedDuration = std::chrono::duration<double>(t.seconds) + s.filterMoveTime;
    return s;
}

std::vector<PlanAction> unroll(const protocol::Protocol &protocol)
{
    std::vector<PlanAction> out;
    FramePlanCursor cursor(protocol);
    PlanAction a;
    while (cursor.next(a))
        out.push_back(a);
    return out;
}

}  // namespace scopesync::core::timing
