// RunFolder: the ordering of writes and syncs that makes a run folder survive a crash at any moment.
#include "core/storage/run_folder.h"

#include "core/common/bounded_file_reader.h"
#include "core/storage/manifest_reader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocale>

#include <cerrno>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace scopesync::core::storage {

namespace {

QByteArray nativePath(const QString &path)
{
    return QFile::encodeName(path);
}

QString safePart(const QString &text)
{
    QString out;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool safe
            = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-';
        out += safe ? c : QLatin1Char('-');
    }
    return out;
}

QString size(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

}  // namespace

RunFolder::RunFolder(QString path) : m_path(std::move(path))
{
    m_writer.setFaultInjector(&m_faults);
}

RunFolder::~RunFolder()
{
    if (m_manifestFd >= 0)
        ::close(m_manifestFd);
}

Result<std::unique_ptr<RunFolder>> RunFolder::create(const QString &runDir)
{
    const QString abs = QFileInfo(runDir).absoluteFilePath();
    const QString parent = QFileInfo(abs).absolutePath();
    if (!QDir().mkpath(parent))
        return Error {QStringLiteral("Could not create the folder %1").arg(parent), parent};
    // mkdir() itself is the existence check, so two runs can never share a folder.
    if (::mkdir(nativePath(abs).constData(), 0755) != 0) {
        const int e = errno;
        if (e == EEXIST)
            return Error {
                QStringLiteral("Refusing to overwrite the existing run folder %1; choose another name "
                               "or move the old run away")
                    .arg(abs),
                abs};
        return AtomicFile::osError(QStringLiteral("create the run folder"), abs, e);
    }
    std::unique_ptr<RunFolder> run(new RunFolder(abs));
    if (auto st = run->openManifest(); !st)
        return st.error();
    if (auto st = AtomicFile::syncDirectory(parent); !st)
        return st.error();
    return run;
}

Result<std::unique_ptr<RunFolder>> RunFolder::createTimestamped(
    const QString &parentDir, const QDateTime &now, const QString &prefix)
{
    const QString base = QDir(parentDir).filePath(
        prefix + QLatin1Char('-') + now.toString(QStringLiteral("yyyyMMdd-HHmmss")));
    for (int attempt = 1; attempt <= 100; ++attempt) {
        const QString candidate = attempt == 1 ? base : base + QLatin1Char('-') + QString::number(attempt);
        if (QFileInfo::exists(candidate))
            continue;
        auto run = create(candidate);
        // Lost a race with another run created this very moment: try the next suffix.
        if (!run && QFileInfo::exists(candidate))
            continue;
        return run;
    }
    return Error {QStringLiteral("Could not find a free run folder name like %1").arg(base), parentDir};
}

Status RunFolder::openManifest()
{
    const QString path = QDir(m_path).filePath(QLatin1String(ManifestReader::kFileName));
    // O_APPEND: after a rollback by ftruncate(), the next line lands at the new end.
    const int fd
        = ::open(nativePath(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return AtomicFile::osError(QStringLiteral("create"), path, errno);
    m_manifestFd = fd;
    // The empty manifest's directory entry must survive a crash too, or a run with images would look empty.
    return AtomicFile::syncDirectory(m_path);
}

Error RunFolder::frameError(const ImageRecord &record, const QString &fileName, const Error &cause) const
{
    return Error {
        QStringLiteral("Frame %1 (%2) was not saved: %3. The %4 image(s) before it are complete and "
                       "listed in %5.")
            .arg(QString::number(record.frameIndex), fileName, cause.message, QString::number(m_imagesSaved),
                QLatin1String(ManifestReader::kFileName)),
        QDir(m_path).filePath(fileName)};
}

Status RunFolder::appendManifestLine(const QByteArray &line)
{
    const char *p = line.constData();
    qint64 left = line.size();
    int failure = 0;
    while (left > 0) {
        const qint64 allowed = m_faults.allow(left);
        if (allowed == 0) {
            failure = m_faults.errnoValue();
            break;
        }
        const ssize_t n = ::write(m_manifestFd, p, std::size_t(allowed));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            failure = errno;
            break;
        }
        p += n;
        left -= n;
        m_bytesWritten += n;
    }
    if (failure == 0 && ::fdatasync(m_manifestFd) != 0)
        failure = errno;
    if (failure == 0)
        return Ok {};

    const QString manifestPath = QDir(m_path).filePath(QLatin1String(ManifestReader::kFileName));
    // Cut the torn line off, so the next frame's line starts on a line boundary.
    if (::ftruncate(m_manifestFd, m_manifestBytes) != 0 || ::fdatasync(m_manifestFd) != 0)
        m_brokenReason = QStringLiteral("%1 could not be repaired after a failed write (%2)")
                             .arg(manifestPath, qt_error_string(errno));
    return AtomicFile::osError(QStringLiteral("append to"), manifestPath, failure);
}

Status RunFolder::addImage(const Image16 &image, const ImageRecord &record)
{
    const QString fileName = imageFileName(record);
    if (m_finished)
        return frameError(record, fileName, Error {QStringLiteral("the run was already finished"), {}});
    if (!m_brokenReason.isEmpty())
        return frameError(record, fileName, Error {m_brokenReason, {}});

    ImageRecord r = record;
    if (m_runStartNs < 0)
        m_runStartNs = record.frameTimestampNs;
    if (r.runStartNs < 0)
        r.runStartNs = m_runStartNs;

    const QString path = QDir(m_path).filePath(fileName);
    auto written = m_writer.write(path, image, r);
    if (!written)
        return frameError(record, fileName, written.error());
    m_bytesWritten += written->bytes;

    ManifestEntry e;
    e.file = fileName;
    e.frameIndex = record.frameIndex;
    e.label = record.label;
    e.led = record.channelName;
    e.monotonicNs = record.frameTimestampNs;
    e.wallTime
        = record.wallClock.isValid() ? record.wallClock.toUTC().toString(Qt::ISODateWithMs) : QString();
    e.bytes = written->bytes;
    e.crc32 = written->crc32;
    e.width = image.width;
    e.height = image.height;
    e.filter = record.filter;
    e.filterInPlace = record.filterInPlace;
    e.focusSteps = record.focusSteps;
    e.temperatureKelvin = record.temperatureKelvin;
    e.setPointKelvin = record.setPointKelvin;
    e.doseProblems = record.doseProblems;
    e.retake = record.retake;
    const QByteArray line = QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n';

    if (auto st = appendManifestLine(line); !st) {
        // An image the manifest does not list would be a mystery file; remove it so disk and manifest agree.
        ::unlink(nativePath(path).constData());
        (void)AtomicFile::syncDirectory(m_path);
        return frameError(record, fileName, st.error());
    }
    m_manifestBytes += line.size();
    ++m_imagesSaved;
    return Ok {};
}

Status RunFolder::copyInput(const QString &sourcePath)
{
    auto bytes = BoundedFileReader::read(sourcePath, kMaxInputBytes, QStringLiteral("input file"));
    if (!bytes.ok())
        return bytes.error();
    return writeInput(QFileInfo(sourcePath).fileName(), *bytes);
}

Status RunFolder::writeInput(const QString &fileName, const QByteArray &bytes)
{
    const QString inputs = QDir(m_path).filePath(QLatin1String(kInputsFolder));
    if (!QDir().mkpath(inputs))
        return Error {QStringLiteral("Could not create the folder %1").arg(inputs), inputs};
    const QString name = QFileInfo(fileName).fileName();
    if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String(".."))
        return Error {QStringLiteral("'%1' is no file name for a copy in inputs/").arg(fileName), fileName};
    AtomicFile out(QDir(inputs).filePath(name));
    out.setFaultInjector(&m_faults);
    if (auto st = out.open(); !st)
        return st;
    if (auto st = out.write(bytes.constData(), std::size_t(bytes.size())); !st)
        return st;
    auto done = out.commit();
    if (!done)
        return done.error();
    m_bytesWritten += done->bytes;
    return AtomicFile::syncDirectory(m_path);
}

Status RunFolder::finish(const QJsonObject &summary)
{
    QJsonObject s = summary;
    if (!s.contains(QStringLiteral("images_saved")))
        s.insert(QStringLiteral("images_saved"), m_imagesSaved);
    const QByteArray json = QJsonDocument(s).toJson(QJsonDocument::Indented);
    AtomicFile out(QDir(m_path).filePath(QLatin1String(kSummaryFileName)), AtomicFile::Existing::Replace);
    out.setFaultInjector(&m_faults);
    if (auto st = out.open(); !st)
        return st;
    if (auto st = out.write(json.constData(), std::size_t(json.size())); !st)
        return st;
    auto done = out.commit();
    if (!done)
        return done.error();
    m_bytesWritten += done->bytes;
    m_finished = true;
    if (m_manifestFd >= 0) {
        ::close(m_manifestFd);
        m_manifestFd = -1;
    }
    return Ok {};
}

QString RunFolder::imageFileName(const ImageRecord &record)
{
    QString name = QStringLiteral("%1").arg(record.frameIndex, 6, 10, QLatin1Char('0'));
    if (record.retake > 0)  // beside the take it replaces, which stays
        name += QStringLiteral("-retake%1").arg(record.retake);
    QString full = name;
    for (const QString &part : {record.label, record.channelName})
        if (!part.isEmpty()) {
            name += QLatin1Char('_') + safePart(part);
            full += QLatin1Char('\0') + part;
        }
    // Filesystems refuse names over 255 bytes (ENAMETOOLONG), and a label the protocol accepts may be
    // longer: a long name keeps its start and gains a hash of the whole, so two long labels that differ
    // only at their end still give two names.
    if (name.size() > kMaxImageFileStem) {
        const QByteArray hash
            = QCryptographicHash::hash(full.toUtf8(), QCryptographicHash::Sha256).toHex().left(8);
        name = name.left(kMaxImageFileStem - 9) + QLatin1Char('-') + QString::fromLatin1(hash);
    }
    return name + QStringLiteral(".ome.tif");
}

Result<qint64> RunFolder::freeBytes(const QString &dir)
{
    // Before a run starts its folder does not exist yet: ask about the nearest folder that does.
    QFileInfo info(QFileInfo(dir).absoluteFilePath());
    while (!info.exists() && !info.isRoot())
        info = QFileInfo(info.absolutePath());
    const QString existing = info.absoluteFilePath();
    struct statvfs st { };
    if (::statvfs(nativePath(existing).constData(), &st) != 0)
        return AtomicFile::osError(QStringLiteral("query free space on"), existing, errno);
    return qint64(st.f_bavail) * qint64(st.f_frsize);
}

qint64 RunFolder::estimatedImageBytes(int width, int height)
{
    // Pixels + TIFF header and OME-XML (padded to 4 KiB, rarely more than 8 KiB) + one manifest line.
    return qint64(width) * height * 2 + 8192 + 512;
}

Status RunFolder::checkSpace(const QString &dir, qint64 bytesNeeded, int imageCount)
{
    auto free = freeBytes(dir);
    if (!free)
        return free.error();
    if (bytesNeeded <= *free)
        return Ok {};
    return Error {
        QStringLiteral(
            "Not enough disk space: the run needs %1 for %2 images, %3 free on %4; free space, or write "
            "the run to another disk (scopesync run --out DIR, scopesync gui --runs-dir DIR)")
            .arg(size(bytesNeeded), QString::number(imageCount), size(*free),
                QFileInfo(dir).absoluteFilePath()),
        dir};
}

Status RunFolder::checkSpaceForImages(const QString &dir, qint64 images, int width, int height)
{
    return checkSpace(dir, images * estimatedImageBytes(width, height),
        int(std::min<qint64>(images, std::numeric_limits<int>::max())));
}

}  // namespace scopesync::core::storage
