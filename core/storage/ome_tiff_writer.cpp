// OmeTiffWriter: builds the TIFF header and OME-XML, then hands the pixel buffer to write() unchanged.
#include "core/storage/ome_tiff_writer.h"

#include "core/storage/crc32.h"

#include <QFileInfo>
#include <QLocale>
#include <QStringList>
#include <QtEndian>

#include <limits>

namespace scopesync::core::storage {

namespace {

constexpr bool kHostIsLittleEndian = Q_BYTE_ORDER == Q_LITTLE_ENDIAN;
constexpr int kPixelAlignmentBytes = 4096;

// TIFF field types.
constexpr quint16 kAscii = 2;
constexpr quint16 kShort = 3;
constexpr quint16 kLong = 4;
constexpr quint16 kRational = 5;

QString num(double v)
{
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

// Writes integers in the host's byte order, which is the order the TIFF header announces.
class Buffer {
public:
    void u16(quint16 v) { raw(&v, 2); }
    void u32(quint32 v) { raw(&v, 4); }
    void raw(const void *p, int n) { m_bytes.append(static_cast<const char *>(p), n); }
    void bytes(const QByteArray &b) { m_bytes.append(b); }
    void padTo(qsizetype multiple)
    {
        while (m_bytes.size() % multiple != 0)
            m_bytes.append('\0');
    }
    [[nodiscard]] qsizetype size() const { return m_bytes.size(); }
    QByteArray &data() { return m_bytes; }

private:
    QByteArray m_bytes;
};

struct Tag {
    quint16 id;
    quint16 type;
    quint32 count;
    quint32 value;  // inline SHORT/LONG value, or the offset of out-of-line data
};

void writeTag(Buffer &b, const Tag &t)
{
    b.u16(t.id);
    b.u16(t.type);
    b.u32(t.count);
    if (t.type == kShort && t.count == 1) {
        // A SHORT sits in the first two bytes of the four-byte value field.
        b.u16(quint16(t.value));
        b.u16(0);
    } else {
        b.u32(t.value);
    }
}

void attr(QString &out, const char *name, const QString &value)
{
    out += QLatin1Char(' ') + QLatin1String(name) + QStringLiteral("=\"") + OmeTiffWriter::xmlEscape(value)
        + QLatin1Char('"');
}

void mapEntry(QString &out, const QString &key, const QString &value)
{
    out += QStringLiteral("<M K=\"") + OmeTiffWriter::xmlEscape(key) + QStringLiteral("\">")
        + OmeTiffWriter::xmlEscape(value) + QStringLiteral("</M>");
}

}  // namespace

QString OmeTiffWriter::xmlEscape(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&': out += QStringLiteral("&amp;"); break;
        case '<': out += QStringLiteral("&lt;"); break;
        case '>': out += QStringLiteral("&gt;"); break;
        case '"': out += QStringLiteral("&quot;"); break;
        case '\'': out += QStringLiteral("&apos;"); break;
        // Attribute-value normalisation would turn raw whitespace into spaces; entities survive it.
        case '\t': out += QStringLiteral("&#9;"); break;
        case '\n': out += QStringLiteral("&#10;"); break;
        case '\r': out += QStringLiteral("&#13;"); break;
        default:
            // XML 1.0 cannot carry other control characters, not even as entities.
            if (c.unicode() < 0x20 || c.unicode() == 0xFFFE || c.unicode() == 0xFFFF)
                out += QChar(0xFFFD);
            else
                out += c;
        }
    }
    return out;
}

QByteArray OmeTiffWriter::omeXml(const Image16 &image, const ImageRecord &r, const QString &imageName)
{
    QString x;
    x.reserve(4096);
    x += QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x += QStringLiteral("<OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\""
                        " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                        " xsi:schemaLocation=\"http://www.openmicroscopy.org/Schemas/OME/2016-06"
                        " http://www.openmicroscopy.org/Schemas/OME/2016-06/ome.xsd\""
                        " Creator=\"ScopeSync\">");
    x += QStringLiteral("<Image ID=\"Image:0\"");
    attr(x, "Name", imageName);
    x += QLatin1Char('>');
    if (r.wallClock.isValid())
        x += QStringLiteral("<AcquisitionDate>") + xmlEscape(r.wallClock.toUTC().toString(Qt::ISODateWithMs))
            + QStringLiteral("</AcquisitionDate>");
    x += QStringLiteral("<Pixels ID=\"Pixels:0\" DimensionOrder=\"XYZCT\" Type=\"uint16\"");
    attr(x, "SizeX", QString::number(image.width));
    attr(x, "SizeY", QString::number(image.height));
    x += QStringLiteral(" SizeZ=\"1\" SizeC=\"1\" SizeT=\"1\"");
    attr(x, "SignificantBits", QString::number(image.bitDepth));
    attr(x, "BigEndian", kHostIsLittleEndian ? QStringLiteral("false") : QStringLiteral("true"));
    x += QStringLiteral(" Interleaved=\"false\">");
    x += QStringLiteral("<Channel ID=\"Channel:0:0\" SamplesPerPixel=\"1\"");
    attr(x, "Name", r.channelName);
    x += QStringLiteral("/>");
    x += QStringLiteral("<TiffData IFD=\"0\" PlaneCount=\"1\"/>");
    x += QStringLiteral("<Plane TheZ=\"0\" TheC=\"0\" TheT=\"0\"");
    if (r.runStartNs >= 0) {
        attr(x, "DeltaT", num(double(r.frameTimestampNs - r.runStartNs) / 1e9));
        x += QStringLiteral(" DeltaTUnit=\"s\"");
    }
    // A camera that keeps its own exposure (a Qt Multimedia camera without manual exposure) records none.
    if (r.exposureUs > 0) {
        attr(x, "ExposureTime", num(r.exposureUs));
        x += QStringLiteral(" ExposureTimeUnit=\"\u00B5s\"");
    }
    x += QStringLiteral("/>");
    x += QStringLiteral("</Pixels><AnnotationRef ID=\"Annotation:0\"/></Image>");

    x += QStringLiteral("<StructuredAnnotations><MapAnnotation ID=\"Annotation:0\""
                        " Namespace=\"scopesync/frame\"><Value>");
    mapEntry(x, QStringLiteral("channel"), r.channelName);
    mapEntry(x, QStringLiteral("label"), r.label);
    mapEntry(x, QStringLiteral("filter"), r.filter);
    if (!r.filterInPlace.isEmpty())
        mapEntry(x, QStringLiteral("filter_in_place"), r.filterInPlace);
    if (r.focusSteps)
        mapEntry(x, QStringLiteral("focus_steps"), QString::number(*r.focusSteps));
    if (r.temperatureKelvin) {
        mapEntry(x, QStringLiteral("temperature_k"), num(*r.temperatureKelvin));
        mapEntry(x, QStringLiteral("temperature_c"), num(*r.temperatureKelvin - 273.15));
    }
    if (r.setPointKelvin)
        mapEntry(x, QStringLiteral("set_point_k"), num(*r.setPointKelvin));
    const QString unknown = QStringLiteral("unknown (the camera's own automatic control)");
    mapEntry(x, QStringLiteral("exposure_us"), r.exposureUs > 0 ? num(r.exposureUs) : unknown);
    mapEntry(x, QStringLiteral("analogue_gain"), r.analogueGain > 0 ? num(r.analogueGain) : unknown);
    mapEntry(x, QStringLiteral("sensor"), r.sensorId);
    mapEntry(x, QStringLiteral("sensor_mode"), r.sensorMode);
    mapEntry(x, QStringLiteral("flash_delay_us"), num(r.flashDelayUs));
    for (auto it = r.intensityPerMille.cbegin(); it != r.intensityPerMille.cend(); ++it)
        mapEntry(x, QStringLiteral("intensity_per_mille.") + it.key(), QString::number(it.value()));
    mapEntry(x, QStringLiteral("frame_index"), QString::number(r.frameIndex));
    mapEntry(x, QStringLiteral("plan_step"), r.planStepPath);
    QStringList iterations;
    for (int i : r.iterationIndices)
        iterations << QString::number(i);
    mapEntry(x, QStringLiteral("iterations"), iterations.join(QLatin1Char(',')));
    mapEntry(x, QStringLiteral("frame_monotonic_ns"), QString::number(r.frameTimestampNs));
    if (r.wallClock.isValid())
        mapEntry(x, QStringLiteral("wall_time"), r.wallClock.toUTC().toString(Qt::ISODateWithMs));
    for (qsizetype i = 0; i < r.ledEdges.size(); ++i) {
        const auto &e = r.ledEdges[i];
        mapEntry(x, QStringLiteral("led_edge.%1").arg(i),
            QStringLiteral("%1 on_ns=%2 off_ns=%3").arg(e.led).arg(e.onNs).arg(e.offNs));
    }
    if (r.retake > 0)
        mapEntry(x, QStringLiteral("retake"), QString::number(r.retake));
    for (qsizetype i = 0; i < r.doseProblems.size(); ++i)
        mapEntry(x, QStringLiteral("dose_error.%1").arg(i), r.doseProblems[i]);
    mapEntry(x, QStringLiteral("missed_pulses"), QString::number(r.missedPulses));
    mapEntry(x, QStringLiteral("rejected_pulses"), QString::number(r.rejectedPulses));
    for (const auto &[k, v] : r.extra)
        mapEntry(x, k, v);
    x += QStringLiteral("</Value></MapAnnotation></StructuredAnnotations></OME>");
    return x.toUtf8();
}

QByteArray OmeTiffWriter::tiffPrefix(const Image16 &image, const QByteArray &description)
{
    static const QByteArray software = QByteArrayLiteral("ScopeSync");
    constexpr quint32 kTagCount = 16;
    constexpr quint32 kIfdOffset = 8;
    constexpr quint32 kIfdBytes = 2 + kTagCount * 12 + 4;
    // Out-of-line values follow the IFD, each on a word boundary as TIFF requires.
    constexpr quint32 kXResOffset = kIfdOffset + kIfdBytes;
    constexpr quint32 kYResOffset = kXResOffset + 8;
    constexpr quint32 kSoftwareOffset = kYResOffset + 8;
    const quint32 softwareBytes = quint32(software.size()) + 1;
    const quint32 descriptionOffset = kSoftwareOffset + ((softwareBytes + 1) & ~1u);
    const quint32 descriptionBytes = quint32(description.size()) + 1;
    const quint32 end = descriptionOffset + descriptionBytes;
    const quint32 pixelOffset
        = (end + kPixelAlignmentBytes - 1) / kPixelAlignmentBytes * kPixelAlignmentBytes;
    const auto pixelBytes = quint32(image.byteSize());

    Buffer b;
    b.raw(kHostIsLittleEndian ? "II" : "MM", 2);
    b.u16(42);
    b.u32(kIfdOffset);
    b.u16(quint16(kTagCount));
    const Tag tags[kTagCount] = {
        {254, kLong, 1, 0},  // NewSubfileType: full-resolution image
        {256, kLong, 1, quint32(image.width)},
        {257, kLong, 1, quint32(image.height)},
        {258, kShort, 1, 16},  // BitsPerSample
        {259, kShort, 1, 1},  // Compression: none
        {262, kShort, 1, 1},  // PhotometricInterpretation: BlackIsZero
        {270, kAscii, descriptionBytes, descriptionOffset},  // ImageDescription: the OME-XML
        {273, kLong, 1, pixelOffset},  // StripOffsets: one strip
        {277, kShort, 1, 1},  // SamplesPerPixel
        {278, kLong, 1, quint32(image.height)},  // RowsPerStrip
        {279, kLong, 1, pixelBytes},  // StripByteCounts
        {282, kRational, 1, kXResOffset},
        {283, kRational, 1, kYResOffset},
        {284, kShort, 1, 1},  // PlanarConfiguration: contiguous
        {296, kShort, 1, 1},  // ResolutionUnit: none (pixel size lives in the rig file, not here)
        {305, kAscii, softwareBytes, kSoftwareOffset},
    };
    for (const auto &t : tags)
        writeTag(b, t);
    b.u32(0);  // no next IFD
    b.u32(1);
    b.u32(1);  // XResolution 1/1
    b.u32(1);
    b.u32(1);  // YResolution 1/1
    b.bytes(software);
    b.raw("\0", 1);
    b.padTo(2);
    Q_ASSERT(quint32(b.size()) == descriptionOffset);
    b.bytes(description);
    b.raw("\0", 1);
    b.padTo(kPixelAlignmentBytes);
    Q_ASSERT(quint32(b.size()) == pixelOffset);
    return std::move(b.data());
}

Result<WrittenFile> OmeTiffWriter::write(
    const QString &path, const Image16 &image, const ImageRecord &record) const
{
    if (image.width <= 0 || image.height <= 0
        || image.pixels.size() != std::size_t(image.width) * std::size_t(image.height))
        return Error {QStringLiteral("Cannot save an image of %1×%2 pixels holding %3 samples")
                          .arg(image.width)
                          .arg(image.height)
                          .arg(image.pixels.size()),
            path};
    // Classic TIFF addresses 32 bits; 4 GiB is far beyond any Pi sensor (the IMX477 frame is 24.7 MB).
    if (image.byteSize() + (std::size_t(1) << 20) > std::numeric_limits<quint32>::max())
        return Error {QStringLiteral("Image of %1×%2 is too large for a classic TIFF")
                          .arg(image.width)
                          .arg(image.height),
            path};

    const QString name = QFileInfo(path).fileName().remove(QStringLiteral(".ome.tif"));
    const QByteArray prefix = tiffPrefix(image, omeXml(image, record, name));

    AtomicFile file(path);
    file.setFaultInjector(m_faults);
    if (auto st = file.open(); !st)
        return st.error();
    if (auto st = file.write(prefix.constData(), std::size_t(prefix.size())); !st)
        return st.error();
    // Host order is what the header announced, so the buffer is already the file's pixel data.
    if (auto st = file.write(image.pixels.data(), image.byteSize()); !st)
        return st.error();
    // The checksum is computed from the same buffers while the disk writes them, not before write().
    file.startWriteback();
    quint32 crc = 0;
    if (m_checksum) {
        Crc32 c;
        c.add(prefix.constData(), std::size_t(prefix.size()));
        c.add(image.pixels.data(), image.byteSize());
        crc = c.value();
    }
    auto done = file.commit();
    if (done)
        done->crc32 = crc;
    return done;
}

}  // namespace scopesync::core::storage
