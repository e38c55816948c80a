// HeaterAutoTune: step test, first-order-plus-dead-time fit, SIMC PI proposal and closed-loop prediction.
#include "core/instrument/heater_auto_tune.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <thread>

namespace scopesync::core::instrument {

namespace {

const QString kWhere = QStringLiteral("heater tuning");

// Turns the heater off when the step test leaves, whichever way.
class HeaterOffGuard {
public:
    explicit HeaterOffGuard(Heater &heater) : m_heater(heater) { }
    ~HeaterOffGuard() { m_heater.off(); }
    HeaterOffGuard(const HeaterOffGuard &) = delete;
    HeaterOffGuard &operator=(const HeaterOffGuard &) = delete;

private:
    Heater &m_heater;
};

struct FitPoint {
    double sse = INFINITY;
    double gainKelvin = 0.0;  // the fitted rise for this dead time and time constant
};

// Best rise for a given dead time and time constant (linear least squares) and its squared error.
FitPoint fitRise(const StepResponse &r, double dead, double tau)
{
    double sgy = 0.0, sgg = 0.0;
    for (const StepPoint &p : r.points) {
        const double g = p.seconds > dead ? 1.0 - std::exp(-(p.seconds - dead) / tau) : 0.0;
        sgy += g * (p.kelvin - r.baselineKelvin);
        sgg += g * g;
    }
    FitPoint out;
    if (sgg <= 0.0)
        return out;
    out.gainKelvin = sgy / sgg;
    double sse = 0.0;
    for (const StepPoint &p : r.points) {
        const double g = p.seconds > dead ? 1.0 - std::exp(-(p.seconds - dead) / tau) : 0.0;
        const double e = p.kelvin - r.baselineKelvin - out.gainKelvin * g;
        sse += e * e;
    }
    out.sse = sse;
    return out;
}

}  // namespace

Result<StepResponse> HeaterAutoTune::runStepTest(Thermometer &thermometer, Heater &heater,
    const HeaterDescription &rig, const StepTestSettings &settings, const std::function<QString()> &cancelled,
    const Progress &progress)
{
    if (settings.dutyPerMille <= 0.0 || settings.dutyPerMille > rig.maxPerMille)
        return Error {QStringLiteral("the test duty %1 ‰ is outside 1–%2 ‰ (the rig's heater maximum)")
                          .arg(settings.dutyPerMille)
                          .arg(rig.maxPerMille),
            kWhere};
    if (settings.samplePeriodSeconds <= 0.0 || settings.maxSeconds <= settings.samplePeriodSeconds * 10)
        return Error {
            QStringLiteral("the test needs a sample period above 0 s and a length of at least ten samples"),
            kWhere};
    const double speedup = rig.simSpeedup > 0.0 ? rig.simSpeedup : 1.0;
    const auto realSleep = std::chrono::nanoseconds(qint64(settings.samplePeriodSeconds * 1e9 / speedup));
    HeaterOffGuard guard(heater);
    heater.off();

    // A cancel, then one reading; either way out leaves the heater off (the guard).
    const auto readOnce = [&]() -> Result<double> {
        if (cancelled) {
            const QString why = cancelled();
            if (!why.isEmpty())
                return Error {why + QStringLiteral(" (the heater is off)"), kWhere};
        }
        auto r = thermometer.read();
        if (!r.ok())
            return Error {r.error().message + QStringLiteral(" (the heater is off)"), thermometer.name()};
        if (!std::isfinite(r->kelvin))
            return Error {
                QStringLiteral("the sensor returned no number (the heater is off)"), thermometer.name()};
        return r->kelvin;
    };

    // Baseline: a few readings with the heater off.
    double baseline = 0.0;
    constexpr int kBaselineReads = 5;
    for (int i = 0; i < kBaselineReads; ++i) {
        const auto k = readOnce();
        if (!k.ok())
            return k.error();
        baseline += *k / kBaselineReads;
        std::this_thread::sleep_for(realSleep);
    }

    StepResponse response;
    response.dutyPerMille = settings.dutyPerMille;
    response.baselineKelvin = baseline;
    const Status on = heater.setDuty(settings.dutyPerMille / 1000.0);
    if (!on.ok())
        return on.error();
    const MonoTime start = monotonicNow();
    double smoothedPeak = baseline;
    for (;;) {
        std::this_thread::sleep_for(realSleep);
        const auto k = readOnce();
        if (!k.ok())
            return k.error();
        const double t = std::chrono::duration<double>(monotonicNow() - start).count() * speedup;
        if (*k >= rig.maxKelvin)
            return Error {
                QStringLiteral("the reading %1 °C reached the rig's limit %2 °C during the test (the "
                               "heater is off): lower the test duty")
                    .arg(*k - 273.15, 0, 'f', 1)
                    .arg(rig.maxKelvin - 273.15, 0, 'f', 1),
                QStringLiteral("$.heater.max_celsius")};
        response.points.append(StepPoint {t, *k});
        if (progress)
            progress(response.points.back(), std::min(1.0, t / settings.maxSeconds));
        smoothedPeak = std::max(smoothedPeak, *k);
        if (t >= settings.maxSeconds)
            break;
        if (t < settings.minSeconds)
            continue;
        // Settled: over the last fifth of the test (at least a minute) the mean reading rose by less than 2 %
        // of the whole rise. Means of the window's first and last tenths damp the sensor's noise.
        const double window = std::max(60.0, 0.2 * t);
        qsizetype first = response.points.size() - 1;
        while (first > 0 && response.points[first - 1].seconds >= t - window)
            --first;
        const qsizetype n = response.points.size() - first;
        if (n < 10)
            continue;
        const qsizetype tenth = std::max<qsizetype>(1, n / 10);
        double early = 0.0, late = 0.0;
        for (qsizetype i = 0; i < tenth; ++i) {
            early += response.points[first + i].kelvin / double(tenth);
            late += response.points[response.points.size() - 1 - i].kelvin / double(tenth);
        }
        const double rise = late - baseline;
        if (rise > 0.5 && late - early < 0.02 * rise) {
            response.settled = true;
            break;
        }
    }
    return response;
}

Result<FopdtModel> HeaterAutoTune::fit(const StepResponse &r)
{
    if (r.points.size() < 20 || r.dutyPerMille <= 0.0)
        return Error {
            QStringLiteral("%1 readings at %2 ‰: a fit needs at least 20 readings of a step above 0 ‰")
                .arg(r.points.size())
                .arg(r.dutyPerMille),
            kWhere};
    const double span = r.points.back().seconds;
    double highest = r.baselineKelvin;
    for (const StepPoint &p : r.points)
        highest = std::max(highest, p.kelvin);
    if (highest - r.baselineKelvin < 1.0)
        return Error {
            QStringLiteral("the temperature rose only %1 K in %2 s: raise the test duty or lengthen the "
                           "test")
                .arg(highest - r.baselineKelvin, 0, 'f', 2)
                .arg(span, 0, 'f', 0),
            kWhere};
    // Coarse grid over dead time (0 to a third of the test) and time constant (log-spaced, 1 s to 20× the
    // test), then three finer grids around the best pair.
    double bestDead = 0.0, bestTau = 1.0;
    FitPoint best;
    const auto search = [&](double deadLo, double deadHi, double tauLo, double tauHi, int n) {
        for (int i = 0; i <= n; ++i) {
            const double dead = deadLo + (deadHi - deadLo) * i / n;
            for (int j = 0; j <= n; ++j) {
                const double tau = tauLo * std::pow(tauHi / tauLo, double(j) / n);
                const FitPoint fp = fitRise(r, dead, tau);
                if (fp.sse < best.sse) {
                    best = fp;
                    bestDead = dead;
                    bestTau = tau;
                }
            }
        }
    };
    search(0.0, span / 3.0, 1.0, 20.0 * span, 60);
    double deadStep = span / 3.0 / 60.0;
    double tauFactor = std::pow(20.0 * span, 1.0 / 60.0);
    for (int round = 0; round < 3; ++round) {
        search(std::max(0.0, bestDead - deadStep), bestDead + deadStep, bestTau / tauFactor,
            bestTau * tauFactor, 20);
        deadStep /= 10.0;
        tauFactor = std::pow(tauFactor, 0.1);
    }
    if (!std::isfinite(best.sse) || best.gainKelvin <= 0.0)
        return Error {
            QStringLiteral("no rising first-order response fits the readings: check that the heater "
                           "warms the sensor's slide"),
            kWhere};
    if (span < bestDead + 1.5 * bestTau)
        return Error {
            QStringLiteral("the test ended at %1 s, before the temperature had covered most of its rise "
                           "(time constant about %2 s): lengthen the test to at least %3 s")
                .arg(span, 0, 'f', 0)
                .arg(bestTau, 0, 'f', 0)
                .arg(std::ceil(bestDead + 3.0 * bestTau), 0, 'f', 0),
            kWhere};
    FopdtModel m;
    m.gainKelvinPerMille = best.gainKelvin / r.dutyPerMille;
    m.timeConstantSeconds = bestTau;
    m.deadTimeSeconds = bestDead;
    m.baselineKelvin = r.baselineKelvin;
    m.rmsResidualKelvin = std::sqrt(best.sse / double(r.points.size()));
    return m;
}

PiGains HeaterAutoTune::propose(const FopdtModel &model, const HeaterDescription &rig)
{
    const double period = std::chrono::duration<double>(rig.controlPeriod).count();
    // A sampled controller holds its output for a period: on average half a period more dead time.
    const double dead = model.deadTimeSeconds + period / 2.0;
    const double closedLoop = dead;
    const double kc = model.timeConstantSeconds / (model.gainKelvinPerMille * (closedLoop + dead));
    const double integralTime = std::min(model.timeConstantSeconds, 4.0 * (closedLoop + dead));
    PiGains g;
    g.pPerMillePerKelvin = kc;
    g.iPerMillePerKelvinSecond = kc / integralTime;
    g.biasPerMille = rig.biasPerMille;
    g.maxPerMille = rig.maxPerMille;
    return g;
}

ClosedLoopPrediction HeaterAutoTune::predict(const FopdtModel &model, const PiGains &gains,
    const HeaterDescription &rig, double setPointKelvin, double spanSeconds)
{
    ClosedLoopPrediction out;
    out.setPointKelvin = setPointKelvin;
    PiController controller(gains);
    const double period = std::max(1e-3, std::chrono::duration<double>(rig.controlPeriod).count());
    constexpr double kStep = 0.05;  // integration step, seconds
    // The model's state is the undelayed rise; the reading lags it by the dead time (a delay line).
    double rise = 0.0;
    std::deque<double> delayed(std::size_t(std::max(0.0, std::round(model.deadTimeSeconds / kStep))), 0.0);
    double duty = 0.0;
    double nextControl = 0.0;
    double lastOutside = 0.0;
    bool everInside = false;
    for (double t = 0.0; t <= spanSeconds; t += kStep) {
        const double reading = model.baselineKelvin + (delayed.empty() ? rise : delayed.front());
        if (t >= nextControl) {
            duty = controller.update(setPointKelvin, reading, std::chrono::duration<double>(period));
            nextControl += period;
            out.trace.append(StepPoint {t, reading});
        }
        out.overshootKelvin = std::max(out.overshootKelvin, reading - setPointKelvin);
        if (std::abs(reading - setPointKelvin) > rig.reachedWithinKelvin)
            lastOutside = t;
        else
            everInside = true;
        rise += kStep * (model.gainKelvinPerMille * duty - rise) / model.timeConstantSeconds;
        if (!delayed.empty()) {
            delayed.pop_front();
            delayed.push_back(rise);
        }
    }
    const double hold = std::chrono::duration<double>(rig.holdTime).count();
    if (everInside && lastOutside + hold < spanSeconds)
        out.settlingSeconds = lastOutside;
    return out;
}

}  // namespace scopesync::core::instrument
