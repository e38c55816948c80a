// TemperatureTrace: the run folder's temperature.csv, one line per heater sample, appended and flushed
// as the regulator produces them so that a stopped or killed run keeps its trace.
#pragma once

#include "core/common/clocks.h"
#include "core/common/result.h"

#include <QFile>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>

namespace scopesync::core::storage {

class TemperatureTrace {
public:
    static constexpr const char *kFileName = "temperature.csv";
    static constexpr const char *kHeader
        = "monotonic_s,wall_time,reading_k,reading_c,set_point_k,duty_per_mille";

    // Creates `runDir`/temperature.csv with its header; times are written relative to `runStart`.
    static Result<std::unique_ptr<TemperatureTrace>> create(const QString &runDir, MonoTime runStart);

    // One sample; thread-safe (the regulator's thread appends while the run reads lineCount()).
    Status append(
        MonoTime at, double readingKelvin, std::optional<double> setPointKelvin, double dutyPerMille);
    [[nodiscard]] qint64 lineCount() const;
    [[nodiscard]] QString path() const { return m_file.fileName(); }

private:
    TemperatureTrace(const QString &path, MonoTime runStart);

    mutable std::mutex m_mutex;  // protects m_file and m_lines
    QFile m_file;
    MonoTime m_runStart;
    qint64 m_lines = 0;
};

}  // namespace scopesync::core::storage
