// RunFolder: one acquisition run on disk — OME-TIFF per image, an append-only manifest, inputs, summary.
#pragma once

#include "core/common/image.h"
#include "core/common/result.h"
#include "core/storage/image_record.h"
#include "core/storage/ome_tiff_writer.h"
#include "core/storage/write_fault_injector.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <cerrno>
#include <memory>

namespace scopesync::core::storage {

// Crash-safety contract: when addImage() returns Ok, the image file and its manifest line are on disk
// (fsync/fdatasync done); a SIGKILL or power cut at any moment leaves every image listed in
// manifest.jsonl complete, and the manifest readable up to its last complete line (ManifestReader).
// Used from one thread (the writer thread); not thread-safe.
class RunFolder {
public:
    static constexpr const char *kSummaryFileName = "summary.json";
    static constexpr const char *kInputsFolder = "inputs";

    // Creates exactly `runDir` (and missing parents); refuses if it already exists.
    static Result<std::unique_ptr<RunFolder>> create(const QString &runDir);
    // Creates `parentDir`/run-YYYYMMDD-HHMMSS, adding -2, -3… if a run started in the same second.
    static Result<std::unique_ptr<RunFolder>> createTimestamped(const QString &parentDir,
        const QDateTime &now = QDateTime::currentDateTime(), const QString &prefix = QStringLiteral("run"));

    ~RunFolder();
    RunFolder(const RunFolder &) = delete;
    RunFolder &operator=(const RunFolder &) = delete;

    // The largest input file copyInput() copies (a protocol, rig or camera file is far smaller).
    static constexpr qint64 kMaxInputBytes = qint64(64) << 20;

    // Copies a protocol, camera config or rig file byte-for-byte into inputs/, keeping its name; read
    // once through BoundedFileReader (no device, at most kMaxInputBytes).
    Status copyInput(const QString &sourcePath);
    // Writes bytes already read (the very bytes a run was loaded from) as inputs/`fileName`.
    Status writeInput(const QString &fileName, const QByteArray &bytes);
    // Writes the image's OME-TIFF, then appends and fdatasyncs its manifest line. On failure nothing of
    // this frame remains (no file, no line) and the error names the frame.
    Status addImage(const Image16 &image, const ImageRecord &record);
    // Writes summary.json atomically (adding "images_saved" if absent) and closes the manifest.
    Status finish(const QJsonObject &summary);

    // A file name's length before ".ome.tif", at most: well inside the 255 bytes filesystems allow.
    static constexpr int kMaxImageFileStem = 120;

    // "000012_645_red.ome.tif": frame index, label, LED(s), reduced to characters safe on any filesystem.
    // Longer than kMaxImageFileStem, the name is cut and ends in 8 hex digits of a hash of the whole.
    static QString imageFileName(const ImageRecord &record);
    // Bytes available to this user on the filesystem holding `dir` (or its nearest existing parent).
    static Result<qint64> freeBytes(const QString &dir);
    // Pre-flight: an error like "needs 1.2 GB for 48 images, 310.0 MB free on /path; …".
    static Status checkSpace(const QString &dir, qint64 bytesNeeded, int imageCount);
    Status checkSpace(qint64 bytesNeeded, int imageCount) const
    {
        return checkSpace(m_path, bytesNeeded, imageCount);
    }
    // One image file plus its manifest line, for checkSpace().
    static qint64 estimatedImageBytes(int width, int height);
    // checkSpace() for `images` images of width × height: the pre-flight of every run (CLI, GUI, fleet).
    static Status checkSpaceForImages(const QString &dir, qint64 images, int width, int height);

    [[nodiscard]] const QString &path() const { return m_path; }
    [[nodiscard]] int imagesSaved() const { return m_imagesSaved; }
    // Every byte this folder wrote (images, manifest, inputs, summary): lets a test place a fault exactly.
    [[nodiscard]] qint64 bytesWritten() const { return m_bytesWritten; }

    // Test seam: after `bytes` more bytes, every write fails with `errnoValue` as a full disk would.
    void setWriteFaultAfterBytes(qint64 bytes, int errnoValue = ENOSPC) { m_faults.arm(bytes, errnoValue); }
    void clearWriteFault() { m_faults.disarm(); }

private:
    explicit RunFolder(QString path);
    Status openManifest();
    Status appendManifestLine(const QByteArray &line);
    Error frameError(const ImageRecord &record, const QString &fileName, const Error &cause) const;

    QString m_path;
    OmeTiffWriter m_writer;
    WriteFaultInjector m_faults;
    int m_manifestFd = -1;
    qint64 m_manifestBytes = 0;  // length of the manifest's complete lines: the rollback point
    qint64 m_bytesWritten = 0;
    qint64 m_runStartNs = -1;
    int m_imagesSaved = 0;
    bool m_finished = false;
    QString m_brokenReason;  // set when the manifest could not be rolled back; refuses further images
};

}  // namespace scopesync::core::storage
