// PreviewFrame: a camera frame made ready for display on the worker thread (binned, histogram, saturation).
#include "ui/preview/preview_frame.h"

#include <algorithm>

namespace scopesync::ui {

std::shared_ptr<PreviewFrame> PreviewFrame::fromCapture(core::acquisition::CapturedFrame &&frame, int maxSide)
{
    auto out = std::make_shared<PreviewFrame>();
    auto full = std::make_shared<core::Image16>(std::move(frame.image));
    out->sequence = frame.sequence;
    out->exposureStart = frame.exposureStart;
    const int w = full->width;
    const int h = full->height;
    out->shift = std::max(0, full->bitDepth - 12);
    const int shift = out->shift;
    const quint32 fullScale = (1u << std::min(16, std::max(1, full->bitDepth))) - 1u;

    int bin = 1;
    while ((w + bin - 1) / bin > maxSide || (h + bin - 1) / bin > maxSide)
        ++bin;
    out->bin = bin;
    const int dw = w / bin;
    const int dh = h / bin;
    out->display = core::Image16(dw, dh, 12);
    out->saturated.assign(std::size_t(dw) * std::size_t(dh), 0);

    // One pass over rows: bins are summed column by column so memory is read in order.
    std::vector<quint32> sums(static_cast<std::size_t>(dw));
    std::vector<quint16> maxima(static_cast<std::size_t>(dw));
    const quint32 area = quint32(bin * bin);
    for (int by = 0; by < dh; ++by) {
        std::fill(sums.begin(), sums.end(), 0u);
        std::fill(maxima.begin(), maxima.end(), quint16(0));
        for (int y = by * bin; y < (by + 1) * bin; ++y) {
            const quint16 *row = full->row(y);
            const bool sampleRow = (y % 2) == 0;
            for (int bx = 0; bx < dw; ++bx) {
                const quint16 *p = row + std::size_t(bx) * std::size_t(bin);
                quint32 s = 0;
                quint16 m = 0;
                for (int i = 0; i < bin; ++i) {
                    s += p[i];
                    m = std::max(m, p[i]);
                }
                sums[std::size_t(bx)] += s;
                maxima[std::size_t(bx)] = std::max(maxima[std::size_t(bx)], m);
            }
            if (sampleRow)
                for (int x = 0; x < w; x += 2)
                    ++out->histogram[std::min<std::size_t>(std::size_t(row[x] >> shift), kLevels - 1)];
        }
        quint16 *drow = out->display.row(by);
        quint8 *srow = out->saturated.data() + std::size_t(by) * std::size_t(dw);
        for (int bx = 0; bx < dw; ++bx) {
            drow[bx] = quint16(std::min<quint32>((sums[std::size_t(bx)] / area) >> shift, kLevels - 1));
            srow[bx] = maxima[std::size_t(bx)] >= fullScale ? 1 : 0;
        }
    }
    out->full = std::move(full);
    return out;
}

}  // namespace scopesync::ui
