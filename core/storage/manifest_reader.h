// ManifestReader: lists what a run folder holds, including a run that crashed mid-line.
#pragma once

#include "core/common/result.h"
#include "core/storage/manifest_entry.h"

#include <QList>
#include <QString>

namespace scopesync::core::storage {

struct Manifest {
    QList<ManifestEntry> entries;
    // The file did not end with a newline: the writer died mid-line. That line is ignored; every
    // earlier line was fsynced before its image was reported saved.
    bool truncatedTail = false;
    // Complete lines that are not valid entries (1-based line numbers): corruption, not a crash.
    QList<int> badLines;

    // The plan's images, one per frame index: without the retakes of flagged images (ManifestEntry::retake).
    [[nodiscard]] QList<ManifestEntry> firstTakes() const
    {
        QList<ManifestEntry> out;
        for (const auto &e : entries)
            if (e.retake == 0)
                out.append(e);
        return out;
    }
};

class ManifestReader {
public:
    static constexpr const char *kFileName = "manifest.jsonl";

    // `runDir`/manifest.jsonl. A missing manifest is an error; an empty one is a run with no images.
    static Result<Manifest> read(const QString &runDir);
    static Manifest parse(const QByteArray &contents);
};

}  // namespace scopesync::core::storage
