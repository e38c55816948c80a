// CalibrationRequest: what a flash-delay calibration searches for (sensor mode, exposure, flash, flips).
#include "core/calibration/calibration_request.h"

#include <cmath>
#include <limits>

namespace scopesync::core::calibration {

timing::ExposureModel CalibrationRequest::model() const
{
    return timing::ExposureModel(shutter, mode, exposure);
}

double CalibrationRequest::lineTimeUs() const
{
    return std::chrono::duration<double, std::micro>(mode.lineTime).count();
}

double CalibrationRequest::rampRows() const
{
    if (shutter == timing::ShutterType::Global || lineTimeUs() <= 0)
        return std::numeric_limits<double>::infinity();
    return flash.count() / lineTimeUs();
}

analysis::ScoringGeometry CalibrationRequest::geometry() const
{
    analysis::ScoringGeometry g;
    g.rampRows = rampRows();
    g.vflip = vflip;
    g.hflip = hflip;
    g.blackLevel = blackLevel;
    return g;
}

Micros CalibrationRequest::delayLimit() const
{
    return maxDelay.count() > 0 ? maxDelay : exposure + model().readout();
}

QString CalibrationRequest::problem() const
{
    if (mode.height <= 0 || mode.lineTime.count() <= 0)
        return QStringLiteral("no sensor mode; the rig's sensor and mode must be in the catalog");
    if (exposure.count() <= 0)
        return QStringLiteral("no shutter time; give --shutter-us or a camera config with shutter=…");
    if (flash.count() <= 0)
        return QStringLiteral("the flash must last longer than 0 ms; give --flash-ms");
    return {};
}

std::optional<QString> CalibrationRequest::infeasibility() const
{
    const auto w = model().validWindow(flash);
    if (w.feasible)
        return std::nullopt;
    const auto ms = [](Micros t) { return QString::number(t.count() / 1000.0, 'f', 3); };
    QString text
        = QStringLiteral("no flash delay can light every row: the exposure (%1 ms) is shorter than "
                         "the readout of the %2 mode (%3 ms) plus the flash (%4 ms), so one edge of "
                         "the image is always dark. Use a shutter of at least %5 ms (--shutter-us %6)")
              .arg(ms(exposure), mode.name(), ms(model().readout()), ms(flash), ms(w.minimumExposure))
              .arg(qint64(std::ceil(w.minimumExposure.count())));
    if (w.maximumFlash.count() > 0)
        text += QStringLiteral(", or a flash of at most %1 ms (--flash-ms %2)")
                    .arg(ms(w.maximumFlash))
                    .arg(std::floor(w.maximumFlash.count() / 10.0) / 100.0);
    else
        text += QStringLiteral(" (no flash fits this exposure: it is shorter than the readout)");
    return text + u'.';
}

}  // namespace scopesync::core::calibration
