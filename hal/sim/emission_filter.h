// The simulated emission filters: how much of an LED colour's fluorescence reaches the sensor through
// each filter. A filter passes its own colour; a neighbouring colour leaks a few per cent (the spectra
// overlap); a distant colour and the UV cleave light are blocked.
#pragma once

#include <QString>

namespace scopesync::hal::sim {

// Fraction 0–1 of `led`'s light through `filter` ("no_filter" passes everything).
double emissionTransmission(const QString &led, const QString &filter);

// The simulated objective's chromatic focus: the focus position (steps from home) at which the slide is
// sharp through `filter` (an unknown filter focuses like none).
int simBestFocusSteps(const QString &filter);

// Where `filter`, in `slot` of a simulated wheel, really sits (raw units): the slot's nominal position
// plus the few µs by which the simulated wheel was assembled off centre, for the set-up wizard to find.
int simFilterCentre(const QString &filter, int slot);

// The fraction 0–1 of the beam a filter passes `offRaw` from its centre: flat near the centre, cut by the
// filter's rim towards the neighbouring slots, nothing half a pitch away.
double simFilterPass(int offRaw);

// The width (Gaussian σ, pixels) of the defocus blur `offSteps` from the best focus: it grows with the
// distance and levels off where the slide's structure is gone anyway.
double simDefocusBlurPx(int offSteps);

}  // namespace scopesync::hal::sim
