// AtomicFile: POSIX write/fsync/rename sequence behind the crash-safety promise of the run folder.
#include "core/storage/atomic_file.h"

#include "core/storage/crc32.h"
#include "core/storage/write_fault_injector.h"

#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace scopesync::core::storage {

namespace {

// Checksum and write in slices that still sit in the CPU cache when write() copies them.
constexpr std::size_t kChecksumSliceBytes = std::size_t(4) << 20;
// Linux caps one write() at 0x7ffff000 bytes; stay well below.
constexpr std::size_t kMaxWriteBytes = std::size_t(1) << 30;

QByteArray nativePath(const QString &path)
{
    return QFile::encodeName(path);
}

}  // namespace

AtomicFile::AtomicFile(QString finalPath, Existing existing)
    : m_finalPath(std::move(finalPath)), m_existing(existing)
{
}

AtomicFile::~AtomicFile()
{
    discard();
}

Error AtomicFile::osError(const QString &verb, const QString &path, int errnoValue)
{
    return Error {QStringLiteral("Could not %1 %2: %3 (errno %4)")
                      .arg(verb, path, qt_error_string(errnoValue), QString::number(errnoValue)),
        path};
}

Status AtomicFile::open()
{
    discard();
    if (m_existing == Existing::Refuse && QFileInfo::exists(m_finalPath))
        return Error {
            QStringLiteral("Refusing to overwrite %1, which already exists").arg(m_finalPath), m_finalPath};
    // O_TRUNC: a `.tmp` left by an earlier crash is garbage by definition.
    const int fd = ::open(nativePath(tempPath()).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return osError(QStringLiteral("create"), tempPath(), errno);
    m_fd = fd;
    m_bytes = 0;
    m_crc = Crc32 {};
    return Ok {};
}

Status AtomicFile::writeRaw(const char *data, std::size_t size)
{
    while (size > 0) {
        std::size_t chunk = std::min(size, kMaxWriteBytes);
        if (m_faults) {
            const qint64 allowed = m_faults->allow(qint64(chunk));
            if (allowed == 0)
                return osError(QStringLiteral("write"), m_finalPath, m_faults->errnoValue());
            chunk = std::size_t(allowed);
        }
        const ssize_t n = ::write(m_fd, data, chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return osError(QStringLiteral("write"), m_finalPath, errno);
        }
        // A short write (disk nearly full) is retried: the next write() reports the real error.
        data += n;
        size -= std::size_t(n);
        m_bytes += n;
    }
    return Ok {};
}

Status AtomicFile::write(const void *data, std::size_t size)
{
    if (m_fd < 0)
        return Error {
            QStringLiteral("Internal error: %1 is not open for writing").arg(m_finalPath), m_finalPath};
    const char *p = static_cast<const char *>(data);
    if (!m_checksum)
        return writeRaw(p, size);
    while (size > 0) {
        const std::size_t slice = std::min(size, kChecksumSliceBytes);
        m_crc.add(p, slice);
        if (auto st = writeRaw(p, slice); !st)
            return st;
        p += slice;
        size -= slice;
    }
    return Ok {};
}

Result<WrittenFile> AtomicFile::commit()
{
    if (m_fd < 0)
        return Error {
            QStringLiteral("Internal error: %1 is not open for writing").arg(m_finalPath), m_finalPath};
    if (::fsync(m_fd) != 0) {
        const int e = errno;
        discard();
        return osError(QStringLiteral("flush to disk"), m_finalPath, e);
    }
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0) {
        const int e = errno;
        ::unlink(nativePath(tempPath()).constData());
        return osError(QStringLiteral("close"), m_finalPath, e);
    }
    const QByteArray from = nativePath(tempPath());
    const QByteArray to = nativePath(m_finalPath);
    int rc = 0;
    if (m_existing == Existing::Refuse) {
        // RENAME_NOREPLACE closes the window between the existence check in open() and now.
        rc = ::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_NOREPLACE);
        if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
            // Filesystems without RENAME_NOREPLACE: link() also refuses an existing target.
            rc = ::link(from.constData(), to.constData());
            if (rc == 0)
                ::unlink(from.constData());
        }
    } else {
        rc = ::rename(from.constData(), to.constData());
    }
    if (rc != 0) {
        const int e = errno;
        ::unlink(from.constData());
        return osError(QStringLiteral("rename %1 to").arg(tempPath()), m_finalPath, e);
    }
    if (auto st = syncDirectory(QFileInfo(m_finalPath).absolutePath()); !st)
        return st.error();
    return WrittenFile {m_finalPath, m_bytes, m_checksum ? m_crc.value() : 0u};
}

void AtomicFile::startWriteback()
{
    // Advisory: errors surface from fsync() in commit().
    if (m_fd >= 0)
        (void)::sync_file_range(m_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

void AtomicFile::discard()
{
    if (m_fd < 0)
        return;
    ::close(m_fd);
    m_fd = -1;
    ::unlink(nativePath(tempPath()).constData());
}

Status AtomicFile::syncDirectory(const QString &dir)
{
    const int fd = ::open(nativePath(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return osError(QStringLiteral("open folder"), dir, errno);
    const int rc = ::fsync(fd);
    const int e = errno;
    ::close(fd);
    if (rc != 0)
        return osError(QStringLiteral("flush folder"), dir, e);
    return Ok {};
}

}  // namespace scopesync::core::storage
