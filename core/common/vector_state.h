// clearUpperVectorState: called on entry to the per-frame vector kernels (preview binning, LUT, scoring,
// raw unpacking, CRC).
#pragma once

namespace scopesync::core {

// The kernels are SSE code, built for every x86-64. When code that ran before them on the thread (Qt's
// painting, for one) leaves the upper halves of the AVX registers in use, each SSE instruction then
// depends on them, and the preview's binning was measured 2.4 times slower (0.37 -> 0.90 ms for a
// 2028x1520 frame, bench_preview against a standalone loop). VZEROUPPER clears them; on a CPU without
// AVX, and on other architectures, this does nothing.
void clearUpperVectorState();

}  // namespace scopesync::core
