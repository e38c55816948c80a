// PreviewFrame: a camera frame made ready for display on the worker thread (binned, histogram, saturation).
#include "ui/preview/preview_frame.h"

#include "core/common/vector_state.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <type_traits>
#include <utility>

namespace scopesync::ui {

namespace {

// Rows of one bin summed into `sum` and their maxima into `peak`, column by column: plain loops over
// contiguous memory that the compiler turns into vector code.
void accumulateRow(const quint16 *__restrict row, quint32 *__restrict sum, quint16 *__restrict peak, int n)
{
    for (int x = 0; x < n; ++x) {
        const quint16 v = row[x];
        sum[x] += v;
        peak[x] = peak[x] > v ? peak[x] : v;
    }
}

void startRow(const quint16 *__restrict row, quint32 *__restrict sum, quint16 *__restrict peak, int n)
{
    for (int x = 0; x < n; ++x) {
        sum[x] = row[x];
        peak[x] = row[x];
    }
}

// The same with 16-bit sums, two rows per pass: for samples of at most 12 bits summed over at most 16
// rows (16 × 4095 < 65536), which halves the work per sample.
void accumulateRows16(const quint16 *__restrict a, const quint16 *__restrict b, quint16 *__restrict sum,
    quint16 *__restrict peak, int n)
{
    for (int x = 0; x < n; ++x) {
        const quint16 va = a[x];
        const quint16 vb = b[x];
        const quint16 hi = va > vb ? va : vb;  // values, not std::max's references: vectorises
        sum[x] = quint16(sum[x] + va + vb);
        peak[x] = peak[x] > hi ? peak[x] : hi;
    }
}

void accumulateRow16(const quint16 *__restrict row, quint16 *__restrict sum, quint16 *__restrict peak, int n)
{
    for (int x = 0; x < n; ++x) {
        const quint16 v = row[x];
        sum[x] = quint16(sum[x] + v);
        peak[x] = peak[x] > v ? peak[x] : v;
    }
}

// Across a bin row: `Bin` fixed at compile time unrolls the inner loop (0: the run-time `bin`).
template <int Bin, typename Sum>
void reduceBinsOf(const Sum *sums, const quint16 *peaks, int dw, int bin, quint32 area, int shift,
    quint16 fullScale, quint16 *display, quint8 *saturated)
{
    if constexpr (Bin > 0) {
        bin = Bin;
        area = quint32(Bin * Bin);  // a constant: the division below becomes a multiplication
    }
    for (int bx = 0; bx < dw; ++bx) {
        const Sum *s = sums + std::size_t(bx) * std::size_t(bin);
        const quint16 *p = peaks + std::size_t(bx) * std::size_t(bin);
        quint32 total = 0;
        quint16 peak = 0;
        for (int i = 0; i < bin; ++i) {
            total += s[i];
            peak = std::max(peak, p[i]);
        }
        display[bx] = quint16(std::min<quint32>((total / area) >> shift, PreviewFrame::kLevels - 1));
        saturated[bx] = peak >= fullScale ? 1 : 0;
    }
}

// All `Bin` rows of a bin row in one pass, sums and maxima kept in registers: each sample is read once
// and each column's sum and maximum written once. Returns the largest sample of the bin row, kept as a
// signed running maximum (samples of at most 12 bits): SSE2 has a signed 16-bit maximum (pmaxsw) and no
// unsigned one, without which the reduction stays scalar.
template <int Bin>
quint16 binRows16(const quint16 *const *rows, quint16 *__restrict sum, quint16 *__restrict peak, int n)
{
    const quint16 *r[Bin];
    for (int i = 0; i < Bin; ++i)
        r[i] = rows[i];
    qint16 top = 0;
    for (int x = 0; x < n; ++x) {
        quint16 s = 0;
        quint16 m = 0;
        for (int i = 0; i < Bin; ++i) {
            const quint16 v = r[i][x];
            s = quint16(s + v);
            m = m > v ? m : v;
        }
        sum[x] = s;
        peak[x] = m;
        top = std::max(top, qint16(m));
    }
    return quint16(top);
}

// One dispatch from a run-time bin to the compile-time kernels: f(integral_constant<int, B>) and true
// when `bin` is one of `Bins`, else false.
template <int... Bins, typename F> bool withBin(int bin, F &&f, std::integer_sequence<int, Bins...>)
{
    return ((bin == Bins && (f(std::integral_constant<int, Bins> {}), true)) || ...);
}
// The bins binRows16, reduceSumsOf and reduceBinsOf have kernels for.
using KernelBins = std::integer_sequence<int, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12>;

// The bin row's largest sample when the bin has a one-pass kernel, else nothing (the caller bins it).
std::optional<quint16> binRows16(int bin, const quint16 *const *rows, quint16 *sum, quint16 *peak, int n)
{
    std::optional<quint16> top;
    withBin(
        bin, [&](auto b) { top = binRows16<decltype(b)::value>(rows, sum, peak, n); }, KernelBins {});
    return top;
}

// Across a bin row none of whose samples is at full scale: the sums alone (no maxima to reduce).
template <int Bin>
void reduceSumsOf(const quint16 *__restrict sums, int dw, int shift, quint16 *__restrict display)
{
    constexpr quint32 area = quint32(Bin * Bin);
    for (int bx = 0; bx < dw; ++bx) {
        quint32 total = 0;
        for (int i = 0; i < Bin; ++i)
            total += sums[bx * Bin + i];
        display[bx] = quint16(std::min<quint32>((total / area) >> shift, PreviewFrame::kLevels - 1));
    }
}

// True when the bin has a kernel (those of binRows16).
bool reduceSums(const quint16 *sums, int dw, int bin, int shift, quint16 *display)
{
    return withBin(
        bin, [&](auto b) { reduceSumsOf<decltype(b)::value>(sums, dw, shift, display); }, KernelBins {});
}

template <typename Sum>
void reduceBins(const Sum *sums, const quint16 *peaks, int dw, int bin, quint32 area, int shift,
    quint16 fullScale, quint16 *display, quint8 *saturated)
{
    const auto reduce = [&](auto b) {
        reduceBinsOf<decltype(b)::value>(sums, peaks, dw, bin, area, shift, fullScale, display, saturated);
    };
    if (!withBin(bin, reduce, std::integer_sequence<int, 1> {}) && !withBin(bin, reduce, KernelBins {}))
        reduce(std::integral_constant<int, 0> {});  // any other bin: the run-time loop
}

}  // namespace

int PreviewFrame::binFor(QSize frame, const PreviewView &view, int maxSide, double maxUpscale)
{
    const int w = std::max(1, frame.width());
    const int h = std::max(1, frame.height());
    maxSide = std::max(1, maxSide);
    int bin = 1;
    while ((w + bin - 1) / bin > maxSide || (h + bin - 1) / bin > maxSide)
        ++bin;
    if (view.devicePixels.isEmpty())
        return bin;
    // Screen pixels per sensor pixel: the frame fitted into the view, then zoomed.
    const double fit
        = std::min(double(view.devicePixels.width()) / w, double(view.devicePixels.height()) / h);
    const double shown = fit * std::max(1.0, view.zoom);
    if (!(shown > 0.0))
        return bin;
    // A display pixel up to kMaxUpscale screen pixels wide is drawn a little enlarged, which no one sees;
    // the next finer bin would give the worker, the LUT and the paint up to 1.8 times the pixels.
    const int viewBin = int(std::floor(maxUpscale / shown + 1e-9));
    return std::clamp(viewBin, bin, std::max(bin, kMaxViewBin));
}

namespace {

// The whole number the preview stream's size divides the frame's by; 0 when there is no usable preview.
int previewScale(const core::Image16 &preview, const core::Image16 &full)
{
    if (preview.isEmpty() || preview.width <= 0 || preview.height <= 0)
        return 0;
    const int k = full.width / preview.width;
    return k >= 1 && preview.width * k == full.width && preview.height * k == full.height ? k : 0;
}

// An 8-bit preview on the 12-bit scale, bits replicated so that 255 becomes 4095 (full scale).
void widenTo12Bits(core::Image16 &image)
{
    if (image.bitDepth >= 12)
        return;
    const int up = 12 - image.bitDepth;
    const int down = image.bitDepth - up;
    for (quint16 &v : image.pixels)
        v = quint16((v << up) | (down >= 0 ? v >> down : 0));
    image.bitDepth = 12;
}

}  // namespace

std::shared_ptr<PreviewFrame> PreviewFrame::fromCapture(
    core::acquisition::CapturedFrame &&frame, int maxSide, const PreviewView &view)
{
    core::clearUpperVectorState();  // before widenTo12Bits too, not only the binning
    auto full = std::make_shared<const core::Image16>(std::move(frame.image));
    std::shared_ptr<PreviewFrame> out;
    const int bin = binFor(QSize(full->width, full->height), view, maxSide);
    const int k = previewScale(frame.preview, *full);
    if (k > 0 && bin >= k) {
        // The stream offers bins k, 2k, 3k…: the nearest to the view's finest (floor could leave the
        // display nearly twice the screen's pixels, rounding up at most 1.5 times fewer).
        const int finest = binFor(QSize(full->width, full->height), view, maxSide, 1.0);
        const int streamBin = std::max(1, (finest + k / 2) / k);
        widenTo12Bits(frame.preview);
        out = binned(std::make_shared<const core::Image16>(std::move(frame.preview)), streamBin);
        out->bin = streamBin * k;
        out->shift = std::max(0, full->bitDepth - 12);
        out->full = std::move(full);
        out->cameraPreview = true;
    } else {
        out = binned(std::move(full), bin);
    }
    out->sequence = frame.sequence;
    out->exposureStart = frame.exposureStart;
    return out;
}

std::shared_ptr<PreviewFrame> PreviewFrame::fromImage(
    std::shared_ptr<const core::Image16> full, int maxSide, const PreviewView &view)
{
    const int bin = binFor(QSize(full->width, full->height), view, maxSide);
    return binned(std::move(full), bin);
}

std::shared_ptr<PreviewFrame> PreviewFrame::binned(std::shared_ptr<const core::Image16> full, int bin)
{
    core::clearUpperVectorState();
    auto out = std::make_shared<PreviewFrame>();
    const int w = full->width;
    const int h = full->height;
    out->shift = std::max(0, full->bitDepth - 12);
    const int shift = out->shift;
    const quint16 fullScale = quint16((1u << std::min(16, std::max(1, full->bitDepth))) - 1u);
    bin = std::max(1, bin);
    out->bin = bin;
    const int dw = w / bin;
    const int dh = h / bin;
    // A regular grid of at least kHistogramSamples pixels: auto levels' 0.1 % tails still hold dozens.
    const int grid = int(std::floor(std::sqrt(double(w) * double(h) / double(kHistogramSamples))));
    const int step = std::max({2, bin, grid});
    out->histogramStep = step;
    out->display = core::Image16(dw, dh, 12);
    out->saturated.assign(std::size_t(dw) * std::size_t(dh), 0);

    const int cols = dw * bin;  // the columns that belong to a whole bin
    const bool narrow = full->bitDepth <= 12 && bin <= 16;
    std::vector<quint32> sums(narrow ? 0 : std::size_t(std::max(cols, 1)));
    std::vector<quint16> sums16(narrow ? std::size_t(std::max(cols, 1)) : 0);
    std::vector<quint16> peaks(std::size_t(std::max(cols, 1)));
    const quint32 area = quint32(bin) * quint32(bin);
    auto &hist = out->histogram;
    for (int by = 0; by < dh; ++by) {
        const int y0 = by * bin;
        quint16 *drow = out->display.row(by);
        quint8 *srow = out->saturated.data() + std::size_t(by) * std::size_t(dw);
        std::array<const quint16 *, 16> rows {};
        for (int i = 0; i < bin && i < 16; ++i)
            rows[std::size_t(i)] = full->row(y0 + i);
        std::optional<quint16> top;
        if (narrow && (top = binRows16(bin, rows.data(), sums16.data(), peaks.data(), cols))) {
            // Most bin rows hold no sample at full scale: their saturation marks stay 0, and only the
            // sums need reducing.
            if (*top >= fullScale || !reduceSums(sums16.data(), dw, bin, shift, drow))
                reduceBins(sums16.data(), peaks.data(), dw, bin, area, shift, fullScale, drow, srow);
        } else if (narrow) {
            std::fill(sums16.begin(), sums16.end(), quint16(0));
            std::fill(peaks.begin(), peaks.end(), quint16(0));
            int y = y0;
            for (; y + 1 < y0 + bin; y += 2)
                accumulateRows16(full->row(y), full->row(y + 1), sums16.data(), peaks.data(), cols);
            if (y < y0 + bin)
                accumulateRow16(full->row(y), sums16.data(), peaks.data(), cols);
            reduceBins(sums16.data(), peaks.data(), dw, bin, area, shift, fullScale, drow, srow);
        } else {
            startRow(full->row(y0), sums.data(), peaks.data(), cols);
            for (int y = y0 + 1; y < y0 + bin; ++y)
                accumulateRow(full->row(y), sums.data(), peaks.data(), cols);
            reduceBins(sums.data(), peaks.data(), dw, bin, area, shift, fullScale, drow, srow);
        }
        for (int y = y0; y < y0 + bin; ++y) {
            if (y % step != 0)
                continue;
            const quint16 *row = full->row(y);
            for (int x = 0; x < w; x += step)
                ++hist[std::min<std::size_t>(std::size_t(row[x] >> shift), kLevels - 1)];
        }
    }
    out->full = std::move(full);
    return out;
}

}  // namespace scopesync::ui
