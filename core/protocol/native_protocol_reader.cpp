// NativeProtocolReader: reads ScopeSync's own versioned JSON protocol format into the model.
#include "core/protocol/native_protocol_reader.h"

#include "core/protocol/protocol_fields.h"
#include "core/protocol/protocol_limits.h"

#include <cmath>

namespace scopesync::core::protocol {

namespace {

using std::chrono::microseconds;

const QStringList &stepTypes()
{
    static const QStringList types {QStringLiteral("group"), QStringLiteral("image"), QStringLiteral("wait"),
        QStringLiteral("set_temperature"), QStringLiteral("illuminate")};
    return types;
}

class Reader {
public:
    explicit Reader(DiagnosticSink &sink) : m_fields(sink), m_sink(sink) { }

    std::vector<Step> readSteps(const QJsonArray &array, const QString &path, int depth)
    {
        std::vector<Step> steps;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString stepPath = jsonPathIndex(path, i);
            if (!m_fields.expectObject(array.at(i), stepPath))
                continue;
            if (auto step = readStep(array.at(i).toObject(), stepPath, depth))
                steps.push_back(std::move(*step));
        }
        return steps;
    }

private:
    std::optional<Step> readStep(const QJsonObject &o, const QString &path, int depth)
    {
        const Field<QString> type = m_fields.string(o, QStringLiteral("type"), path, true);
        if (!type.usable())
            return std::nullopt;
        const int kindIndex = int(stepTypes().indexOf(type.value));
        if (kindIndex < 0) {
            m_sink.error(jsonPathKey(path, QStringLiteral("type")),
                QStringLiteral("unknown step type '%1'; known types: %2")
                    .arg(type.value, stepTypes().join(QStringLiteral(", "))));
            return std::nullopt;
        }
        Step step;
        step.kind = StepKind(kindIndex);
        step.sourcePath = path;
        step.label = m_fields.string(o, QStringLiteral("label"), path, false).value;

        const QStringList common {QStringLiteral("type"), QStringLiteral("label")};
        switch (step.kind) {
        case StepKind::Group:
            m_fields.warnUnknownKeys(
                o, path, common + QStringList {QStringLiteral("iterations"), QStringLiteral("steps")});
            return readGroup(o, path, depth, std::move(step));
        case StepKind::Image:
            m_fields.warnUnknownKeys(
                o, path, common + QStringList {QStringLiteral("filter"), QStringLiteral("flashes")});
            return readImage(o, path, std::move(step));
        case StepKind::Wait:
            m_fields.warnUnknownKeys(o, path, common + QStringList {QStringLiteral("duration_ms")});
            return readWait(o, path, std::move(step));
        case StepKind::SetTemperature:
            m_fields.warnUnknownKeys(o, path, common + QStringList {QStringLiteral("kelvin")});
            return readTemperature(o, path, std::move(step));
        case StepKind::Illuminate:
            m_fields.warnUnknownKeys(o, path,
                common
                    + QStringList {QStringLiteral("flashes"), QStringLiteral("duration_ms"),
                        QStringLiteral("capture_period_ms"), QStringLiteral("filter")});
            return readIlluminate(o, path, std::move(step));
        }
        return std::nullopt;
    }

    std::optional<Step> readGroup(const QJsonObject &o, const QString &path, int depth, Step step)
    {
        m_fields.readIterations(o, path, path, step.iterations);
        const Field<QJsonArray> children = m_fields.array(o, QStringLiteral("steps"), path, true);
        if (!children.usable())
            return std::nullopt;
        // Checked before descending, so neither this reader nor anything after it recurses deeper.
        if (depth + 1 > ProtocolLimits::kMaxNestingDepth) {
            m_sink.error(path,
                QStringLiteral(
                    "groups are nested more than %1 deep here; flatten the protocol (move steps out of "
                    "inner groups or merge groups)")
                    .arg(ProtocolLimits::kMaxNestingDepth));
            return std::nullopt;
        }
        step.children = readSteps(children.value, jsonPathKey(path, QStringLiteral("steps")), depth + 1);
        return step;
    }

    std::optional<Step> readImage(const QJsonObject &o, const QString &path, Step step)
    {
        step.filter = m_fields.string(o, QStringLiteral("filter"), path, false).value;
        auto flashes = m_fields.readFlashes(o, path, false, std::nullopt);
        if (!flashes)
            return std::nullopt;
        step.flashes = std::move(*flashes);
        return step;
    }

    std::optional<Step> readWait(const QJsonObject &o, const QString &path, Step step)
    {
        const auto duration = m_fields.readStepDuration(
            o, path, QStringLiteral("duration_ms"), &ProtocolLimits::checkWaitMs, path);
        if (!duration)
            return std::nullopt;
        step.duration = *duration;
        return step;
    }

    std::optional<Step> readTemperature(const QJsonObject &o, const QString &path, Step step)
    {
        const Field<double> kelvin = m_fields.number(o, QStringLiteral("kelvin"), path, true);
        if (!kelvin.usable())
            return std::nullopt;
        step.temperatureKelvin = kelvin.value;
        return step;
    }

    std::optional<Step> readIlluminate(const QJsonObject &o, const QString &path, Step step)
    {
        step.filter = m_fields.string(o, QStringLiteral("filter"), path, false).value;
        const auto duration = m_fields.readStepDuration(
            o, path, QStringLiteral("duration_ms"), &ProtocolLimits::checkIlluminateMs, path);
        bool ok = duration.has_value();
        if (duration)
            step.duration = *duration;
        const Field<double> period = m_fields.number(o, QStringLiteral("capture_period_ms"), path, false);
        const QString periodPath = jsonPathKey(path, QStringLiteral("capture_period_ms"));
        if (period.usable()) {
            if (std::abs(period.value) <= ProtocolLimits::kMaxRepresentableMs)
                step.capturePeriod = m_fields.toMilliseconds(period.value, periodPath);
            else
                ok = ProtocolLimits::checkCapturePeriodMs(period.value, periodPath, m_sink) && ok;
        } else if (period.present) {
            ok = false;
        }
        auto flashes = m_fields.readFlashes(
            o, path, true, duration ? std::optional<microseconds>(*duration) : std::nullopt);
        if (flashes)
            step.flashes = std::move(*flashes);
        ok = ok && flashes.has_value();
        if (ok)
            return step;
        // Left out of the model: check what could be read, since validation will not see it.
        if (duration)
            ProtocolLimits::checkIlluminateMs(double(duration->count()), path, m_sink);
        if (step.capturePeriod)
            ProtocolLimits::checkCapturePeriodMs(double(step.capturePeriod->count()), periodPath, m_sink);
        for (const Flash &f : step.flashes) {
            ProtocolLimits::checkFlashMs(double(f.duration.count()) / 1000.0, f.sourcePath, m_sink);
            ProtocolLimits::checkIntensity(f.intensityPerMille, f.sourcePath, m_sink);
        }
        return std::nullopt;
    }

    ProtocolFields m_fields;
    DiagnosticSink &m_sink;
};

}  // namespace

std::optional<Protocol> NativeProtocolReader::read(const QJsonObject &root, DiagnosticSink &sink)
{
    ProtocolFields fields(sink);
    const QString path = QStringLiteral("$");
    const QString formatName = QString::fromLatin1(kFormatName);
    const Field<QString> format = fields.string(root, QStringLiteral("format"), path, true);
    if (format.usable() && format.value != formatName) {
        sink.error(QStringLiteral("$.format"),
            QStringLiteral("format is '%1'; a ScopeSync protocol has \"format\": \"%2\"")
                .arg(format.value, formatName));
        return std::nullopt;
    }
    const Field<double> version = fields.wholeNumber(root, QStringLiteral("version"), path, true);
    if (version.usable() && version.value != Protocol::kFormatVersion) {
        sink.error(QStringLiteral("$.version"),
            version.value > Protocol::kFormatVersion ? QStringLiteral(
                "version %1 was written by a newer ScopeSync; this one reads version %2: update "
                "ScopeSync")
                                                           .arg(version.value)
                                                           .arg(Protocol::kFormatVersion)
                                                     : QStringLiteral("version %1 does not exist; use %2")
                                                           .arg(version.value)
                                                           .arg(Protocol::kFormatVersion));
        return std::nullopt;
    }
    fields.warnUnknownKeys(root, path,
        {QStringLiteral("format"), QStringLiteral("version"), QStringLiteral("name"),
            QStringLiteral("description"), QStringLiteral("steps")});

    Protocol protocol;
    protocol.name = fields.string(root, QStringLiteral("name"), path, false).value;
    protocol.description = fields.string(root, QStringLiteral("description"), path, false).value;
    const Field<QJsonArray> steps = fields.array(root, QStringLiteral("steps"), path, true);
    if (steps.usable())
        protocol.steps = Reader(sink).readSteps(steps.value, QStringLiteral("$.steps"), 0);
    return protocol;
}

}  // namespace scopesync::core::protocol
