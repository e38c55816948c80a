// OmeTiffWriter: one Image16 as a single-plane, uncompressed 16-bit OME-TIFF, written atomically.
#pragma once

#include "core/common/image.h"
#include "core/common/result.h"
#include "core/storage/atomic_file.h"
#include "core/storage/image_record.h"

#include <QByteArray>
#include <QString>

namespace scopesync::core::storage {

class WriteFaultInjector;

// Layout: TIFF header, one IFD, its out-of-line values and the OME-XML, zero padding to a 4 KiB
// boundary, then the pixels as one strip in host byte order (a big-endian host writes an "MM" TIFF
// and BigEndian="true"), so the pixel buffer goes to write() as it is: no per-pixel work.
class OmeTiffWriter {
public:
    // Borrowed; may be null.
    void setFaultInjector(WriteFaultInjector *faults) { m_faults = faults; }
    // CRC-32 of the file computed while writing (for the manifest); on by default.
    void setChecksum(bool on) { m_checksum = on; }

    // Writes `path` (via `path.tmp`); refuses to replace an existing file.
    Result<WrittenFile> write(const QString &path, const Image16 &image, const ImageRecord &record) const;

    // The OME-XML stored in ImageDescription (UTF-8). `imageName` becomes <Image Name>.
    static QByteArray omeXml(const Image16 &image, const ImageRecord &record, const QString &imageName);
    // Header + IFD + description + padding: everything before the pixels.
    static QByteArray tiffPrefix(const Image16 &image, const QByteArray &description);
    // Escapes &, <, >, quotes and whitespace for XML attributes and text; drops characters XML 1.0 forbids.
    static QString xmlEscape(const QString &text);

private:
    WriteFaultInjector *m_faults = nullptr;
    bool m_checksum = true;
};

}  // namespace scopesync::core::storage
