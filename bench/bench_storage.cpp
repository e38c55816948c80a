// bench_storage: OME-TIFF write throughput (with fsync) against raw write()+fsync of the same bytes.
//
// Run:  build/bench/bench_storage [frames=20] [folder=$TMPDIR or /tmp]
// Writes 4056×3040 16-bit frames (24.7 MB, the IMX477 full-resolution raw frame), alternating one
// OmeTiffWriter file (checksum off, then on) and one raw file, so both see the same disk state, and
// prints per-frame MB/s medians, p10/p90 and the ratio OME/raw. Files are deleted as it goes.
// First, in memory: CRC-32 of the frame alone against a memcpy of the same bytes (GB/s, time ratio).
#include "core/storage/crc32.h"
#include "core/storage/ome_tiff_writer.h"
#include "core/storage/tiff_reader.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

using namespace scopesync::core;
using namespace scopesync::core::storage;

namespace {

constexpr int kWidth = 4056;
constexpr int kHeight = 3040;

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    const double pos = p * double(v.size() - 1);
    const auto lo = std::size_t(pos);
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

// The baseline: what the disk and kernel give one large write() plus fsync, nothing else.
bool rawWrite(const QString &path, const QByteArray &prefix, const Image16 &img)
{
    const int fd
        = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    bool ok = ::write(fd, prefix.constData(), std::size_t(prefix.size())) == prefix.size();
    const auto *p = reinterpret_cast<const char *>(img.pixels.data());
    std::size_t left = img.byteSize();
    while (ok && left > 0) {
        const ssize_t n = ::write(fd, p, left);
        ok = n > 0;
        if (ok) {
            p += n;
            left -= std::size_t(n);
        }
    }
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

void print(const char *name, const std::vector<double> &mbs)
{
    std::printf("%-22s median %7.1f MB/s   p10 %7.1f   p90 %7.1f\n", name, percentile(mbs, 0.5),
        percentile(mbs, 0.1), percentile(mbs, 0.9));
}

// CRC-32 alone over the frame's bytes against memcpy of them, alternated run by run: the kernel add() uses
// on this CPU, then the portable table kernel for comparison.
void crcAgainstMemcpy(const Image16 &img)
{
    constexpr int kRuns = 30;
    std::vector<quint16> copy(img.pixels.size());
    const double gb = double(img.byteSize()) / 1e9;
    volatile quint32 sink = 0;
    QElapsedTimer t;
    std::printf("in memory, %d runs over the frame's %.1f MB:\n", kRuns, gb * 1000);
    for (const Crc32::Kernel kernel : {Crc32::kernel(), Crc32::Kernel::Table}) {
        std::vector<double> crcGbs, copyGbs, ratios;
        for (int i = 0; i < kRuns; ++i) {
            t.start();
            sink = sink ^ Crc32::update(kernel, 0xFFFFFFFFu, img.pixels.data(), img.byteSize());
            const double crcS = double(t.nsecsElapsed()) / 1e9;
            t.start();
            std::memcpy(copy.data(), img.pixels.data(), img.byteSize());
            const double copyS = double(t.nsecsElapsed()) / 1e9;
            sink = sink ^ copy[std::size_t(i)];
            crcGbs.push_back(gb / crcS);
            copyGbs.push_back(gb / copyS);
            ratios.push_back(crcS / copyS);
        }
        std::printf("CRC-32 (%s%s): median %6.2f GB/s (p10 %6.2f, p90 %6.2f); memcpy median %6.2f GB/s "
                    "(p10 %6.2f, p90 %6.2f)\n  time(CRC-32)/time(memcpy) per run: median %.2f   p90 %.2f\n",
            Crc32::kernelName(kernel), kernel == Crc32::kernel() ? ", used by add()" : "",
            percentile(crcGbs, 0.5), percentile(crcGbs, 0.1), percentile(crcGbs, 0.9),
            percentile(copyGbs, 0.5), percentile(copyGbs, 0.1), percentile(copyGbs, 0.9),
            percentile(ratios, 0.5), percentile(ratios, 0.9));
        if (kernel == Crc32::Kernel::Table)
            break;
    }
    std::printf("\n");
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int frames = args.size() > 1 ? std::max(3, args[1].toInt()) : 20;
    const QString parent = args.size() > 2 ? args[2] : QDir::tempPath();
    QTemporaryDir dir(QDir(parent).filePath(QStringLiteral("bench_storage-XXXXXX")));
    if (!dir.isValid()) {
        std::fprintf(stderr, "cannot create a folder under %s\n", qPrintable(parent));
        return 1;
    }
    std::printf("bench_storage: %d frames of %dx%d uint16 (%.1f MB) in %s\n", frames, kWidth, kHeight,
        double(kWidth) * kHeight * 2 / 1e6, qPrintable(dir.path()));
    std::printf("usage: bench_storage [frames=20] [folder=%s]\n\n", qPrintable(QDir::tempPath()));

    Image16 img(kWidth, kHeight, 12);
    for (std::size_t i = 0; i < img.pixels.size(); ++i)
        img.pixels[i] = quint16((i * 2654435761u) >> 20) & 0x0FFF;
    ImageRecord rec;
    rec.channelName = QStringLiteral("red");
    rec.label = QStringLiteral("645");
    rec.exposureUs = 250000;
    rec.sensorId = QStringLiteral("imx477");
    // The raw file carries the same bytes as the OME file, header included.
    const QByteArray prefix
        = OmeTiffWriter::tiffPrefix(img, OmeTiffWriter::omeXml(img, rec, QStringLiteral("x")));
    const double mb = double(prefix.size() + qsizetype(img.byteSize())) / 1e6;

    crcAgainstMemcpy(img);

    OmeTiffWriter plain;
    plain.setChecksum(false);
    OmeTiffWriter checked;
    std::vector<double> omeMbs;
    std::vector<double> crcMbs;
    std::vector<double> rawMbs;
    std::vector<double> ratios;
    QElapsedTimer t;
    for (int f = 0; f < frames; ++f) {
        rec.frameIndex = f;
        const QString omePath = dir.filePath(QStringLiteral("%1.ome.tif").arg(f));
        const QString crcPath = dir.filePath(QStringLiteral("%1.crc.ome.tif").arg(f));
        const QString rawPath = dir.filePath(QStringLiteral("%1.raw").arg(f));
        // Alternate the order so neither side always runs on a freshly flushed disk.
        double omeS = 0;
        double rawS = 0;
        double crcS = 0;
        for (int step = 0; step < 3; ++step) {
            const int which = (step + f) % 3;
            t.start();
            bool ok = true;
            if (which == 0)
                ok = plain.write(omePath, img, rec).ok();
            else if (which == 1)
                ok = rawWrite(rawPath, prefix, img);
            else
                ok = checked.write(crcPath, img, rec).ok();
            const double s = double(t.nsecsElapsed()) / 1e9;
            if (!ok) {
                std::fprintf(stderr, "write failed in frame %d: %s\n", f, std::strerror(errno));
                return 1;
            }
            (which == 0 ? omeS : which == 1 ? rawS : crcS) = s;
        }
        if (f == 0) {
            // Sanity: what the benchmark wrote is a readable image.
            auto back = TiffReader::read(omePath);
            if (!back || back->image.pixels != img.pixels) {
                std::fprintf(stderr, "written file does not read back\n");
                return 1;
            }
        }
        omeMbs.push_back(mb / omeS);
        crcMbs.push_back(mb / crcS);
        rawMbs.push_back(mb / rawS);
        ratios.push_back(rawS / omeS);
        QFile::remove(omePath);
        QFile::remove(crcPath);
        QFile::remove(rawPath);
    }
    print("raw write()+fsync", rawMbs);
    print("OmeTiffWriter", omeMbs);
    print("OmeTiffWriter + CRC-32", crcMbs);
    std::printf("\nratio OME/raw per frame: median %.3f   p10 %.3f   p90 %.3f   (target >= 0.8)\n",
        percentile(ratios, 0.5), percentile(ratios, 0.1), percentile(ratios, 0.9));
    std::printf("ratio of medians: OME/raw %.3f, OME+CRC/raw %.3f\n",
        percentile(omeMbs, 0.5) / percentile(rawMbs, 0.5), percentile(crcMbs, 0.5) / percentile(rawMbs, 0.5));
    return 0;
}
