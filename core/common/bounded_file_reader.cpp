// BoundedFileReader: reads an input file once, whole, refusing devices and anything past a size limit.
#include "core/common/bounded_file_reader.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace scopesync::core {

namespace {

QString kindOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return QStringLiteral("a directory");
    if (S_ISCHR(mode))
        return QStringLiteral("a character device");
    if (S_ISBLK(mode))
        return QStringLiteral("a block device");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    return QStringLiteral("not a regular file");
}

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) { }
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    [[nodiscard]] int get() const { return m_fd; }

private:
    int m_fd;
};

}  // namespace

QString BoundedFileReader::sizeText(qint64 bytes)
{
    if (bytes >= (1 << 20) && bytes % (1 << 20) == 0)
        return QStringLiteral("%1 MiB").arg(bytes >> 20);
    if (bytes >= (1 << 10) && bytes % (1 << 10) == 0)
        return QStringLiteral("%1 KiB").arg(bytes >> 10);
    return QStringLiteral("%1 bytes").arg(bytes);
}

Result<QByteArray> BoundedFileReader::read(
    const QString &path, qint64 maxBytes, const QString &what, std::chrono::milliseconds streamTimeout)
{
    const auto fail = [&](const QString &why) {
        return Error {QStringLiteral("cannot read the %1 %2: %3").arg(what, path, why), path};
    };
    if (path.isEmpty())
        return Error {QStringLiteral("no %1 was named; give its path").arg(what), what};
    const QByteArray native = QFile::encodeName(path);
    // Non-blocking open: opening a FIFO nobody writes to would otherwise wait forever.
    const Fd fd(::open(native.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0)
        return fail(errno == ENOENT ? QStringLiteral("it does not exist; check the path")
                                    : QString::fromLocal8Bit(std::strerror(errno)));
    struct stat st { };
    if (::fstat(fd.get(), &st) != 0)
        return fail(QString::fromLocal8Bit(std::strerror(errno)));
    const bool regular = S_ISREG(st.st_mode);
    if (!regular && !S_ISFIFO(st.st_mode))
        return fail(QStringLiteral("it is %1; give a regular file").arg(kindOf(st.st_mode)));
    const auto tooLarge = [&] {
        return fail(QStringLiteral("it is larger than %1, the limit for a %2; is this the right file?")
                        .arg(sizeText(maxBytes), what));
    };
    if (regular && st.st_size > maxBytes)
        return tooLarge();

    QByteArray bytes;
    const auto deadline = std::chrono::steady_clock::now() + streamTimeout;
    char buffer[65536];
    for (;;) {
        if (!regular) {
            // A pipe: wait for data, but not past the deadline (a writer that never finishes).
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return fail(QStringLiteral("the stream did not end within %1 s")
                                .arg(double(streamTimeout.count()) / 1000.0));
            pollfd p {fd.get(), POLLIN, 0};
            const int ready = ::poll(&p, 1, int(left.count()));
            if (ready < 0 && errno == EINTR)
                continue;
            if (ready < 0)
                return fail(QString::fromLocal8Bit(std::strerror(errno)));
            if (ready == 0)
                continue;
        }
        const auto want = std::size_t(std::min<qint64>(qint64(sizeof buffer), maxBytes + 1 - bytes.size()));
        const ssize_t n = ::read(fd.get(), buffer, want);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return fail(QString::fromLocal8Bit(std::strerror(errno)));
        if (n == 0)
            break;
        bytes.append(buffer, qsizetype(n));
        if (bytes.size() > maxBytes)
            return tooLarge();
    }
    return bytes;
}

}  // namespace scopesync::core
