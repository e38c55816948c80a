// RigSetupProbe: moves a set-up axis, lights one frame after it settled and scores it.
#include "core/acquisition/rig_setup_probe.h"

#include "core/analysis/row_profile.h"
#include "core/analysis/sharpness_scorer.h"

#include <algorithm>
#include <climits>

namespace scopesync::core::acquisition {

using namespace std::chrono_literals;

namespace {

constexpr auto kSettleTimeout = 30s;
constexpr auto kFrameTimeout = 2s;
constexpr int kFramesTried = 20;

Error probeError(const QString &message)
{
    return Error {message, QStringLiteral("set-up")};
}

}  // namespace

RigSetupProbe::RigSetupProbe(Rig &rig, SetupAxis axis, QString filter, QString led, int intensityPerMille)
    : m_rig(rig),
      m_axis(axis),
      m_filter(std::move(filter)),
      m_led(std::move(led)),
      m_intensity(std::clamp(intensityPerMille, 1, 1000))
{
}

RigSetupProbe::~RigSetupProbe()
{
    if (!m_started)
        return;
    (void)m_rig.strobe().illuminate({});
    m_rig.strobe().stop();
    m_rig.camera().stop();
}

Status RigSetupProbe::prepare()
{
    if (!m_rig.description().ledNames().contains(m_led))
        return probeError(QStringLiteral("the rig has no LED '%1'; choose one of %2")
                              .arg(m_led, m_rig.description().ledNames().join(QStringLiteral(", "))));
    auto *wheel = m_rig.filterChanger();
    if (m_axis == SetupAxis::FilterWheel && !wheel)
        return probeError(QStringLiteral("the rig has no filter wheel"));
    if (m_axis == SetupAxis::Focus) {
        if (!m_rig.focusDrive())
            return probeError(QStringLiteral("the rig has no focus drive"));
        if (wheel && !m_filter.isEmpty()) {
            if (auto st = wheel->moveTo(m_filter); !st.ok())
                return st;
            if (auto st = wheel->waitSettled(kSettleTimeout); !st.ok())
                return st;
        }
    }
    if (!m_started) {
        if (auto st = m_rig.strobe().start(); !st.ok()) {
            m_rig.strobe().stop();
            return st;
        }
        if (auto st = m_rig.camera().start(); !st.ok()) {
            m_rig.strobe().stop();
            return st;
        }
        m_started = true;
    }
    return Ok {};
}

Status RigSetupProbe::moveAndSettle(int at)
{
    if (m_axis == SetupAxis::FilterWheel) {
        auto *wheel = m_rig.filterChanger();
        if (auto st = wheel->moveToRaw(at); !st.ok())
            return st;
        return wheel->waitSettled(kSettleTimeout);
    }
    auto *focus = m_rig.focusDrive();
    if (auto st = focus->moveTo(at); !st.ok())
        return st;
    return focus->waitSettled(kSettleTimeout);
}

Result<double> RigSetupProbe::score(const Image16 &image) const
{
    if (m_axis == SetupAxis::Focus)
        return analysis::SharpnessScorer(kRegionFraction).score(image);
    const int w = std::max(1, int(image.width * kRegionFraction));
    const int h = std::max(1, int(image.height * kRegionFraction));
    const int x0 = (image.width - w) / 2;
    const int y0 = (image.height - h) / 2;
    const quint16 full = quint16((1u << image.bitDepth) - 1u);
    const double black = analysis::RowProfile::defaultBlackLevel(image.bitDepth);
    double sum = 0.0;
    qint64 saturated = 0;
    for (int y = y0; y < y0 + h; ++y) {
        const quint16 *row = image.row(y) + x0;
        for (int x = 0; x < w; ++x) {
            sum += row[x];
            saturated += row[x] >= full ? 1 : 0;
        }
    }
    const double n = double(w) * double(h);
    if (double(saturated) / n > kMaxSaturatedFraction)
        return probeError(
            QStringLiteral("%1 % of the centre is saturated, so the brightest position cannot be "
                           "told apart; lower the LED intensity, the gain or the shutter")
                .arg(100.0 * double(saturated) / n, 0, 'f', 1));
    return std::max(0.0, sum / n - black) / (double(full) - black);
}

Result<SetupSample> RigSetupProbe::measure(int at)
{
    if (auto st = moveAndSettle(at); !st.ok())
        return st.error();
    auto &strobe = m_rig.strobe();
    // Held on (up to the rig's illumination limit) until a frame exposed wholly after the move is in.
    if (auto st = strobe.illuminate({LedPulse {m_led, 0us, 10s, m_intensity}}); !st.ok())
        return st.error();
    const auto lit = monotonicNow();
    Result<SetupSample> out = probeError(QStringLiteral("no frame came from the camera after the move"));
    for (int tries = 0; tries < kFramesTried; ++tries) {
        auto frame = m_rig.camera().waitFrame(kFrameTimeout);
        if (!frame)
            break;
        if (frame->exposureStart <= lit)
            continue;
        if (strobe.allLedsOff()) {
            out = probeError(QStringLiteral("the LED's safety limit turned it off before a whole frame was "
                                            "exposed; raise led_max_on_ms for '%1' or shorten the frame")
                                 .arg(m_led));
            break;
        }
        auto s = score(frame->image);
        if (!s.ok())
            out = s.error();
        else
            out = SetupSample {at, *s, std::move(frame->image)};
        break;
    }
    (void)strobe.illuminate({});
    return out;
}

analysis::FocusSweep::Measure RigSetupProbe::measureFn(SetupSample *last)
{
    return [this, last](int at) -> Result<double> {
        auto s = measure(at);
        if (!s.ok())
            return s.error();
        const double score = s->score;
        if (last)
            *last = std::move(*s);
        return score;
    };
}

analysis::FocusSweepSettings centringScan(int centre, int halfRange, int points)
{
    analysis::FocusSweepSettings s;
    points = std::max(3, points);
    s.stepSteps = std::max(1, 2 * halfRange / (points - 1));
    s.fromSteps = centre - s.stepSteps * ((points - 1) / 2);
    s.toSteps = centre + s.stepSteps * ((points - 1) / 2);
    s.quantity = QStringLiteral("brightness");
    s.unit = QStringLiteral("(raw position)");
    s.flatHint = QStringLiteral("light the slide with the filter's own LED, check the beam reaches the "
                                "camera, or widen the range");
    return s;
}

int centringHalfRange(const QList<int> &positions, int centre)
{
    int nearest = INT_MAX;
    for (int p : positions)
        if (p != centre)
            nearest = std::min(nearest, std::abs(p - centre));
    if (nearest == INT_MAX)
        return 100;
    return std::max(10, nearest / 2);
}

}  // namespace scopesync::core::acquisition
