// CalibrationResult: the valid flash-delay window a calibration found, its recommendation and score curve.
#include "core/calibration/calibration_result.h"

#include <QJsonArray>

#include <algorithm>

namespace scopesync::core::calibration {

namespace {
double ms(Micros t)
{
    return t.count() / 1000.0;
}
}  // namespace

Micros recommendDelay(Micros start, Micros end, bool earliest, Micros margin)
{
    if (!earliest)
        return (start + end) / 2;
    return std::min(start + margin, std::max(start, end));
}

QJsonObject CalibrationResult::toJson() const
{
    QJsonArray points;
    for (const auto &p : curve)
        points.append(QJsonObject {
            {QStringLiteral("delay_ms"), ms(p.delay)},
            {QStringLiteral("phase"), p.phase},
            {QStringLiteral("uniformity"), p.score.uniformity},
            {QStringLiteral("lit_fraction"), p.score.litFraction},
            {QStringLiteral("level"), p.score.level},
            {QStringLiteral("timing"), analysis::flashTimingName(p.score.timing)},
            {QStringLiteral("dark_edge"), analysis::imageEdgeName(p.score.darkEdge)},
            {QStringLiteral("rows_missed_early"), p.score.rowsMissedEarly},
            {QStringLiteral("rows_missed_late"), p.score.rowsMissedLate},
        });
    return QJsonObject {
        {QStringLiteral("method"), method},
        {QStringLiteral("window_start_ms"), ms(windowStart)},
        {QStringLiteral("window_end_ms"), ms(windowEnd)},
        {QStringLiteral("recommended_ms"), ms(recommended)},
        {QStringLiteral("recommendation"), earliest ? QStringLiteral("earliest") : QStringLiteral("centre")},
        {QStringLiteral("margin_ms"), ms(margin)},
        {QStringLiteral("predicted_start_ms"), ms(predictedStart)},
        {QStringLiteral("predicted_end_ms"), ms(predictedEnd)},
        {QStringLiteral("measured_offset_ms"), ms(measuredOffset())},
        {QStringLiteral("frames_used"), framesUsed},
        {QStringLiteral("curve"), points},
        {QStringLiteral("notes"), QJsonArray::fromStringList(notes)},
    };
}

}  // namespace scopesync::core::calibration
