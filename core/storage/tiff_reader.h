// TiffReader: reads back a single-plane 16-bit uncompressed TIFF (ours), for tests and the run browser.
#pragma once

#include "core/common/image.h"
#include "core/common/result.h"

#include <QByteArray>
#include <QString>

namespace scopesync::core::storage {

struct TiffImage {
    Image16 image;  // bitDepth: the OME-XML's SignificantBits, else 16 (the TIFF's BitsPerSample)
    QByteArray description;  // ImageDescription (tag 270) without its trailing NUL
};

// Baseline subset: first IFD only, uncompressed, one 16-bit sample per pixel, any strip layout, either
// byte order. Every offset is bounds-checked, so a truncated or hostile file gives an Error, not a crash.
class TiffReader {
public:
    static Result<TiffImage> read(const QString &path);
    static Result<TiffImage> parse(const QByteArray &bytes, const QString &nameForErrors);
};

}  // namespace scopesync::core::storage
