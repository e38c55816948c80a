// The simulated emission filters' transmission per LED colour.
#include "hal/sim/emission_filter.h"

#include "core/instrument/instrument_description.h"

#include <QStringList>

#include <algorithm>
#include <cstdlib>

namespace scopesync::hal::sim {

double emissionTransmission(const QString &led, const QString &filter)
{
    if (filter == QLatin1String("no_filter") || filter == led)
        return 1.0;
    // The visible channels in spectral order; neighbours leak through each other's filters.
    static const QStringList spectrum {
        QStringLiteral("blue"), QStringLiteral("green"), QStringLiteral("orange"), QStringLiteral("red")};
    const auto a = spectrum.indexOf(led);
    const auto b = spectrum.indexOf(filter);
    if (a >= 0 && b >= 0 && std::abs(a - b) == 1)
        return 0.04;
    return 0.005;
}

int simBestFocusSteps(const QString &filter)
{
    // Near the 454 rig's hand-tuned offsets (the reference rig's focus per filter), red not quite on them.
    if (filter == QLatin1String("red"))
        return 20;
    if (filter == QLatin1String("orange"))
        return -850;
    if (filter == QLatin1String("green"))
        return -1525;
    if (filter == QLatin1String("blue"))
        return -1860;
    return 0;
}

int simFilterCentre(const QString &filter, int slot)
{
    int off = 0;
    if (filter == QLatin1String("red"))
        off = 12;
    else if (filter == QLatin1String("orange"))
        off = -9;
    else if (filter == QLatin1String("green"))
        off = 7;
    else if (filter == QLatin1String("blue"))
        off = -14;
    return core::instrument::kSimWheelFirst + slot * core::instrument::kSimWheelPitch + off;
}

double simFilterPass(int offRaw)
{
    const double x = double(offRaw) / (0.5 * core::instrument::kSimWheelPitch);
    return std::max(0.0, 1.0 - x * x * x * x);
}

double simDefocusBlurPx(int offSteps)
{
    constexpr double kPxPerStep = 0.01;  // a hundred steps off blurs a spot by about a pixel
    constexpr double kMaxPx = 4.0;
    return std::min(kMaxPx, kPxPerStep * std::abs(offSteps));
}

}  // namespace scopesync::hal::sim
