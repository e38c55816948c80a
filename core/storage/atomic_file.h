// AtomicFile: writes a file as `name.tmp`, fsyncs, renames, fsyncs the folder, so a crash leaves all or
// nothing.
#pragma once

#include "core/common/result.h"
#include "core/storage/crc32.h"

#include <QString>

#include <cstddef>

namespace scopesync::core::storage {

class WriteFaultInjector;

// What a committed file holds, for the manifest.
struct WrittenFile {
    QString path;
    qint64 bytes = 0;
    quint32 crc32 = 0;  // of the whole file; 0 when checksumming was off
};

// One file being written. Until commit() succeeds, only `path.tmp` exists; the destructor (or discard())
// removes it, so no error path leaves a partial file under the final name. Not thread-safe.
class AtomicFile {
public:
    enum class Existing { Refuse, Replace };

    explicit AtomicFile(QString finalPath, Existing existing = Existing::Refuse);
    ~AtomicFile();
    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;

    // Borrowed; may be null. Every byte written asks it first.
    void setFaultInjector(WriteFaultInjector *faults) { m_faults = faults; }
    void setChecksum(bool on) { m_checksum = on; }

    Status open();
    // Writes all of `data` (retrying short writes and EINTR) straight from the caller's buffer.
    Status write(const void *data, std::size_t size);
    // Asks the kernel to start writing the data to disk now (sync_file_range), so CPU work done before
    // commit() — a checksum — overlaps the disk I/O that commit()'s fsync would otherwise wait for alone.
    void startWriteback();
    Result<WrittenFile> commit();
    void discard();

    [[nodiscard]] const QString &finalPath() const { return m_finalPath; }
    [[nodiscard]] QString tempPath() const { return m_finalPath + QStringLiteral(".tmp"); }

    // fsync() of a folder, so a rename or a new file in it survives a power cut.
    static Status syncDirectory(const QString &dir);
    // "Could not write /x/y.tif: No space left on device (errno 28)".
    static Error osError(const QString &verb, const QString &path, int errnoValue);

private:
    Status writeRaw(const char *data, std::size_t size);

    QString m_finalPath;
    Existing m_existing;
    WriteFaultInjector *m_faults = nullptr;
    bool m_checksum = false;
    int m_fd = -1;
    qint64 m_bytes = 0;
    Crc32 m_crc;
};

}  // namespace scopesync::core::storage
