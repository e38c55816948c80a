// Image16: a monochrome or raw image of up to 16 bits per pixel, row-major, owned.
#pragma once

#include <QtGlobal>

#include <vector>

namespace scopesync::core {

struct Image16 {
    int width = 0;
    int height = 0;
    int bitDepth = 12;  // significant bits per sample (12 for the IMX477's raw data)
    std::vector<quint16> pixels;  // width × height samples, row 0 first (the image's top after flips)

    Image16() = default;
    Image16(int w, int h, int bits = 12)
        : width(w), height(h), bitDepth(bits), pixels(std::size_t(w) * std::size_t(h))
    {
    }

    [[nodiscard]] bool isEmpty() const { return pixels.empty(); }
    [[nodiscard]] quint16 at(int x, int y) const
    {
        return pixels[std::size_t(y) * std::size_t(width) + std::size_t(x)];
    }
    [[nodiscard]] quint16 *row(int y) { return pixels.data() + std::size_t(y) * std::size_t(width); }
    [[nodiscard]] const quint16 *row(int y) const
    {
        return pixels.data() + std::size_t(y) * std::size_t(width);
    }
    [[nodiscard]] std::size_t byteSize() const { return pixels.size() * sizeof(quint16); }
};

}  // namespace scopesync::core
