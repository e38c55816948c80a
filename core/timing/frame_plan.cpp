// The frame plan: a protocol and the camera timing unrolled into the ordered actions a run performs.
#include "core/timing/frame_plan.h"

#include <algorithm>
#include <array>

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
    bool endsOnStrobedImage = false;  // the next strobed image follows back to back
    // The filter of the subtree's first action when that is a strobed image through a concrete filter and
    // was charged as following another image: a filter change in front of it breaks that run (the
    // pipeline is flushed before the wheel moves), which only the enclosing walk can tell.
    QString leadingImageFilter;
    bool anyAction = false;
};

// A filter the wheel is moved to; "any_filter" and no filter leave it where it is.
bool concreteFilter(const QString &filter)
{
    return !filter.isEmpty() && filter != QLatin1String("any_filter");
}

// Appends the filters of `next` (executed `times` in a row) after `t`.
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

// Appends `inner` (`times` iterations after the first) to `t`, where `previousFilter` is the last
// filter before `inner` starts: an iteration charged as following an image that must in fact wait for
// a filter change costs a first image's frames instead.
double brokenRunSeconds(const Totals &inner, const QString &previousFilter, const PlanTiming &timing)
{
    if (inner.leadingImageFilter.isEmpty() || previousFilter.isEmpty()
        || previousFilter == inner.leadingImageFilter)
        return 0;
    return std::chrono::duration<double>(timing.framePeriod()).count()
        * (timing.framesPerFirstImage - timing.framesPerNextImage);
}

// Adds `step` to `t` given its inner steps' totals for both ways of starting (`inner`, groups only) and,
// for a set-temperature step, the heating time it was charged.
void add(Totals &t, const Step &step, const PlanTiming &timing, const std::array<Totals, 2> *inner,
    double heatingSeconds)
{
    const double periodSeconds = std::chrono::duration<double>(timing.framePeriod()).count();
    const bool first = !t.anyAction;
    switch (step.kind) {
    case StepKind::Group: {
        if (step.iterations < 1)
            break;
        // Only the first iteration can start differently: an iteration that ends on a strobed image does
        // so whatever came before it, and one that ends otherwise never does, so iterations 2… start alike.
        const Totals &once = (*inner)[t.endsOnStrobedImage ? 1 : 0];
        const Totals &rest = (*inner)[once.endsOnStrobedImage ? 1 : 0];
        const qint64 more = step.iterations - 1;
        t.frames = satAdd(t.frames, satAdd(once.frames, satMul(rest.frames, more)));
        t.actions = satAdd(t.actions, satAdd(once.actions, satMul(rest.actions, more)));
        t.seconds += once.seconds + rest.seconds * double(more);
        t.seconds += brokenRunSeconds(once, t.lastFilter, timing)
            + brokenRunSeconds(rest, once.lastFilter, timing) * double(more);
        t.heatingSeconds += once.heatingSeconds + rest.heatingSeconds * double(more);
        t.temperature = t.temperature || once.temperature;
        if (first && once.anyAction)
            t.leadingImageFilter = once.leadingImageFilter;
        appendFilters(t, once, 1);
        appendFilters(t, rest, more);
        t.endsOnStrobedImage = more > 0 ? rest.endsOnStrobedImage : once.endsOnStrobedImage;
        t.anyAction = t.anyAction || once.anyAction;
        return;
    }
    case StepKind::Image: {
        t.frames = satAdd(t.frames, 1);
        t.actions = satAdd(t.actions, 1);
        bool follows = t.endsOnStrobedImage;
        if (concreteFilter(step.filter)) {
            if (follows && !t.lastFilter.isEmpty() && t.lastFilter != step.filter)
                follows = false;  // the wheel moves between the two: the run of images is broken
            else if (follows && first)
                t.leadingImageFilter = step.filter;  // the enclosing walk knows the filter before it
            Totals one;
            one.firstFilter = one.lastFilter = step.filter;
            appendFilters(t, one, 1);
        }
        t.seconds += periodSeconds * (follows ? timing.framesPerNextImage : timing.framesPerFirstImage);
        t.endsOnStrobedImage = true;
        break;
    }
    case StepKind::Wait:
        t.actions = satAdd(t.actions, 1);
        t.seconds += std::chrono::duration<double>(step.duration).count();
        t.endsOnStrobedImage = false;
        break;
    case StepKind::SetTemperature:
        t.actions = satAdd(t.actions, 1);
        t.temperature = true;
        t.seconds += heatingSeconds;
        t.heatingSeconds += heatingSeconds;
        t.endsOnStrobedImage = false;
        break;
    case StepKind::Illuminate: {
        const qint64 captures = illuminateCaptures(step);
        t.frames = satAdd(t.frames, captures);
        t.actions = satAdd(t.actions, satAdd(1, captures));
        t.seconds += std::max(0.0, std::chrono::duration<double>(step.duration).count());
        t.endsOnStrobedImage = false;
        break;
    }
    }
    t.anyAction = true;
}

// The totals of `steps` when the action before them was not ([0]) or was ([1]) a strobed image, in one
// walk (each group's steps are summed once, whatever its nesting). `kelvin` is the slide's temperature as
// the steps begin, updated by their set points (a group's later iterations heat from where the group left
// off, which its own steps already account for: only the first iteration is charged the climb in).
// Recursion depth is bounded by the reader's nesting limit (32).
std::array<Totals, 2> sum(const std::vector<Step> &steps, const PlanTiming &timing, double &kelvin)
{
    std::array<Totals, 2> t;
    t[1].endsOnStrobedImage = true;
    for (const Step &step : steps) {
        std::array<Totals, 2> inner;
        double heating = 0;
        if (step.kind == StepKind::Group && step.iterations >= 1)
            inner = sum(step.children, timing, kelvin);
        if (step.kind == StepKind::SetTemperature) {
            if (timing.heatingKelvinPerSecond && *timing.heatingKelvinPerSecond > 0) {
                // Cooling is passive and its time unknown; only the climb and the hold are charged.
                const double climb = std::max(0.0, step.temperatureKelvin - kelvin);
                heating = climb / *timing.heatingKelvinPerSecond
                    + std::chrono::duration<double>(timing.heatingHold).count();
            }
            kelvin = step.temperatureKelvin;
        }
        for (Totals &each : t)
            add(each, step, timing, &inner, heating);
    }
    return t;
}

}  // namespace

PlanSummary summarize(const protocol::Protocol &protocol, const PlanTiming &timing)
{
    double kelvin = timing.startKelvin;
    const Totals t = sum(protocol.steps, timing, kelvin)[0];
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
