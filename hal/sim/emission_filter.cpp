// The simulated emission filters' transmission per LED colour.
#include "hal/sim/emission_filter.h"

#include <QStringList>

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

}  // namespace scopesync::hal::sim
