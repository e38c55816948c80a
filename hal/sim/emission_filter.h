// The simulated emission filters: how much of an LED colour's fluorescence reaches the sensor through
// each filter. A filter passes its own colour; a neighbouring colour leaks a few per cent (the spectra
// overlap); a distant colour and the UV cleave light are blocked.
#pragma once

#include <QString>

namespace scopesync::hal::sim {

// Fraction 0–1 of `led`'s light through `filter` ("no_filter" passes everything).
double emissionTransmission(const QString &led, const QString &filter);

}  // namespace scopesync::hal::sim
