// TiffReader: a bounds-checked parser for the baseline TIFF subset OmeTiffWriter produces.
#include "core/storage/tiff_reader.h"

#include <QFile>
#include <QRegularExpression>
#include <QtEndian>

#include <cstring>
#include <optional>
#include <vector>

namespace scopesync::core::storage {

namespace {

class Bytes {
public:
    Bytes(const QByteArray &b, bool little) : m_b(b), m_little(little) { }
    [[nodiscard]] bool has(quint64 offset, quint64 size) const
    {
        return offset <= quint64(m_b.size()) && size <= quint64(m_b.size()) - offset;
    }
    [[nodiscard]] quint16 u16(quint64 o) const
    {
        const auto *p = reinterpret_cast<const uchar *>(m_b.constData() + o);
        return m_little ? qFromLittleEndian<quint16>(p) : qFromBigEndian<quint16>(p);
    }
    [[nodiscard]] quint32 u32(quint64 o) const
    {
        const auto *p = reinterpret_cast<const uchar *>(m_b.constData() + o);
        return m_little ? qFromLittleEndian<quint32>(p) : qFromBigEndian<quint32>(p);
    }
    [[nodiscard]] const char *at(quint64 o) const { return m_b.constData() + o; }
    [[nodiscard]] bool little() const { return m_little; }

private:
    const QByteArray &m_b;
    bool m_little;
};

struct Entry {
    quint16 type = 0;
    quint32 count = 0;
    quint64 valueOffset = 0;  // where the values are: inline in the entry or out of line
};

quint64 typeSize(quint16 type)
{
    switch (type) {
    case 1:
    case 2:
    case 6:
    case 7: return 1;
    case 3:
    case 8: return 2;
    case 4:
    case 9:
    case 11: return 4;
    case 5:
    case 10:
    case 12: return 8;
    default: return 0;
    }
}

}  // namespace

Result<TiffImage> TiffReader::read(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error {QStringLiteral("Could not open %1: %2").arg(path, f.errorString()), path};
    return parse(f.readAll(), path);
}

Result<TiffImage> TiffReader::parse(const QByteArray &raw, const QString &name)
{
    auto fail = [&](const QString &why) {
        return Error {QStringLiteral("%1 is not a readable TIFF: %2").arg(name, why), name};
    };
    if (raw.size() < 8)
        return fail(QStringLiteral("shorter than a TIFF header"));
    bool little = false;
    if (raw.startsWith("II"))
        little = true;
    else if (!raw.startsWith("MM"))
        return fail(QStringLiteral("no II/MM byte-order mark"));
    const Bytes b(raw, little);
    if (b.u16(2) != 42)
        return fail(QStringLiteral("magic number is not 42 (BigTIFF is not supported)"));
    const quint64 ifd = b.u32(4);
    if (!b.has(ifd, 2))
        return fail(QStringLiteral("first IFD lies outside the file"));
    const quint16 n = b.u16(ifd);
    if (!b.has(ifd + 2, quint64(n) * 12))
        return fail(QStringLiteral("IFD runs past the end of the file"));

    auto entry = [&](quint16 id) -> std::optional<Entry> {
        for (quint16 i = 0; i < n; ++i) {
            const quint64 e = ifd + 2 + quint64(i) * 12;
            if (b.u16(e) != id)
                continue;
            Entry out {b.u16(e + 2), b.u32(e + 4), e + 8};
            const quint64 bytes = typeSize(out.type) * out.count;
            if (bytes > 4)
                out.valueOffset = b.u32(e + 8);
            if (typeSize(out.type) == 0 || !b.has(out.valueOffset, bytes))
                return std::nullopt;
            return out;
        }
        return std::nullopt;
    };
    // SHORT or LONG values, as TIFF allows either for sizes and offsets.
    auto values = [&](quint16 id) -> std::optional<std::vector<quint32>> {
        const auto e = entry(id);
        if (!e || (e->type != 3 && e->type != 4))
            return std::nullopt;
        std::vector<quint32> v;
        v.reserve(e->count);
        for (quint32 i = 0; i < e->count; ++i)
            v.push_back(e->type == 3 ? b.u16(e->valueOffset + quint64(i) * 2)
                                     : b.u32(e->valueOffset + quint64(i) * 4));
        return v;
    };
    auto single = [&](quint16 id, quint32 fallback) -> std::optional<quint32> {
        if (!entry(id))
            return fallback;
        const auto v = values(id);
        if (!v || v->size() != 1)
            return std::nullopt;
        return v->front();
    };

    const auto width = single(256, 0);
    const auto height = single(257, 0);
    const auto bits = single(258, 1);
    const auto compression = single(259, 1);
    const auto spp = single(277, 1);
    if (!width || !height || *width == 0 || *height == 0 || *width > 65535 || *height > 65535)
        return fail(QStringLiteral("missing or unreasonable ImageWidth/ImageLength"));
    if (!bits || *bits != 16 || !spp || *spp != 1)
        return fail(QStringLiteral("only one 16-bit sample per pixel is supported"));
    if (!compression || *compression != 1)
        return fail(QStringLiteral("only uncompressed data is supported"));
    const auto offsets = values(273);
    const auto counts = values(279);
    if (!offsets || !counts || offsets->size() != counts->size() || offsets->empty())
        return fail(QStringLiteral("missing or inconsistent StripOffsets/StripByteCounts"));

    // Refuse before allocating: the pixels must fit in the file.
    if (quint64(*width) * *height * 2 > quint64(raw.size()))
        return fail(QStringLiteral("file is too short for %1×%2 pixels").arg(*width).arg(*height));
    TiffImage out;
    out.image = Image16(int(*width), int(*height), 16);
    const quint64 total = out.image.byteSize();
    auto *dst = reinterpret_cast<char *>(out.image.pixels.data());
    quint64 filled = 0;
    for (std::size_t i = 0; i < offsets->size(); ++i) {
        const quint64 size = (*counts)[i];
        if (!b.has((*offsets)[i], size) || size > total - filled)
            return fail(QStringLiteral("strip %1 lies outside the file or the image").arg(i));
        std::memcpy(dst + filled, b.at((*offsets)[i]), size);
        filled += size;
    }
    if (filled != total)
        return fail(QStringLiteral("strips hold %1 bytes, the image needs %2").arg(filled).arg(total));
    if (little != (Q_BYTE_ORDER == Q_LITTLE_ENDIAN))
        for (auto &p : out.image.pixels)
            p = qbswap(p);

    if (const auto d = entry(270); d && d->type == 2) {
        out.description = QByteArray(b.at(d->valueOffset), qsizetype(d->count));
        while (out.description.endsWith('\0'))
            out.description.chop(1);
        // Our OME-XML says how many of the 16 bits the sensor filled (12 on an IMX477, 10 on an IMX296).
        static const QRegularExpression significant(QStringLiteral(R"re(SignificantBits="(\d+)")re"));
        const auto m = significant.match(QString::fromUtf8(out.description));
        if (const int significantBits = m.hasMatch() ? m.captured(1).toInt() : 0;
            significantBits >= 1 && significantBits <= 16)
            out.image.bitDepth = significantBits;
    }
    return out;
}

}  // namespace scopesync::core::storage
