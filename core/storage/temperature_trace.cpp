// TemperatureTrace: the run folder's temperature.csv, appended and flushed sample by sample.
#include "core/storage/temperature_trace.h"

#include <QDateTime>
#include <QDir>

namespace scopesync::core::storage {

TemperatureTrace::TemperatureTrace(const QString &path, MonoTime runStart)
    : m_file(path), m_runStart(runStart)
{
}

Result<std::unique_ptr<TemperatureTrace>> TemperatureTrace::create(const QString &runDir, MonoTime runStart)
{
    std::unique_ptr<TemperatureTrace> trace(
        new TemperatureTrace(QDir(runDir).filePath(QLatin1String(kFileName)), runStart));
    if (!trace->m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly | QIODevice::Text))
        return Error {QStringLiteral("Could not create the temperature trace %1: %2")
                          .arg(trace->m_file.fileName(), trace->m_file.errorString()),
            trace->m_file.fileName()};
    const QByteArray header = QByteArray(kHeader) + '\n';
    if (trace->m_file.write(header) != header.size() || !trace->m_file.flush())
        return Error {QStringLiteral("Could not write the temperature trace %1: %2")
                          .arg(trace->m_file.fileName(), trace->m_file.errorString()),
            trace->m_file.fileName()};
    return trace;
}

Status TemperatureTrace::append(
    MonoTime at, double readingKelvin, std::optional<double> setPointKelvin, double dutyPerMille)
{
    const double sinceStart = std::chrono::duration<double>(at - m_runStart).count();
    const QDateTime wall = QDateTime::fromMSecsSinceEpoch(
        std::chrono::duration_cast<std::chrono::milliseconds>(monotonicToRealtime(at).time_since_epoch())
            .count(),
        Qt::UTC);
    const QString line = QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                             .arg(sinceStart, 0, 'f', 3)
                             .arg(wall.toString(Qt::ISODateWithMs))
                             .arg(readingKelvin, 0, 'f', 3)
                             .arg(readingKelvin - 273.15, 0, 'f', 3)
                             .arg(setPointKelvin ? QString::number(*setPointKelvin, 'f', 3) : QString())
                             .arg(dutyPerMille, 0, 'f', 1);
    const QByteArray bytes = line.toUtf8();
    std::lock_guard lock(m_mutex);
    // Flushed line by line: a run that is killed keeps every sample up to its last second.
    if (m_file.write(bytes) != bytes.size() || !m_file.flush())
        return Error {
            QStringLiteral("Could not append to %1: %2").arg(m_file.fileName(), m_file.errorString()),
            m_file.fileName()};
    ++m_lines;
    return Ok {};
}

qint64 TemperatureTrace::lineCount() const
{
    std::lock_guard lock(m_mutex);
    return m_lines;
}

}  // namespace scopesync::core::storage
