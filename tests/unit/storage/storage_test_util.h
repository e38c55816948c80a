// Helpers shared by the storage tests: deterministic test images and records.
#pragma once

#include "core/common/image.h"
#include "core/storage/image_record.h"

#include <QDateTime>

namespace scopesync::core::storage::testutil {

// 12-bit pattern where every pixel differs from its neighbours, so a transposed or shifted image fails.
inline Image16 pattern(int w, int h, int seed = 0)
{
    Image16 img(w, h, 12);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            img.row(y)[x] = quint16((x * 7 + y * 131 + seed * 17) & 0x0FFF);
    return img;
}

inline ImageRecord record(
    qint64 frame, const QString &label = QStringLiteral("645"), const QString &led = QStringLiteral("red"))
{
    ImageRecord r;
    r.channelName = led;
    r.label = label;
    r.filter = QStringLiteral("no_filter");
    r.exposureUs = 250000;
    r.analogueGain = 8;
    r.sensorId = QStringLiteral("imx477");
    r.sensorMode = QStringLiteral("4056x3040");
    r.flashDelayUs = 87000;
    r.intensityPerMille.insert(led, 800);
    r.frameIndex = frame;
    r.planStepPath = QStringLiteral("$.events[1].events[0]");
    r.iterationIndices = {2, 0};
    r.frameTimestampNs = 1'000'000'000'000 + frame * 300'000'000;
    r.wallClock = QDateTime(QDate(2024, 3, 1), QTime(12, 0, 0, 250), Qt::UTC).addMSecs(frame * 300);
    r.ledEdges = {{led, 87'000'123, 237'000'456}};
    r.missedPulses = 1;
    r.rejectedPulses = 0;
    return r;
}

}  // namespace scopesync::core::storage::testutil
