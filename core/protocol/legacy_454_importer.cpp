// Legacy454Importer: imports the 454 Bio instrument's *.454sp.json protocols into the model.
#include "core/protocol/legacy_454_importer.h"

#include "core/protocol/protocol_fields.h"
#include "core/protocol/protocol_limits.h"

#include <cmath>

namespace scopesync::core::protocol {

namespace {

// The schema version the 454 HAL asserts for ImageSequence and cleaving arguments.
constexpr int kKnownSchemaVersion = 0;

const QStringList &eventTypes()
{
    static const QStringList types {QStringLiteral("Group"), QStringLiteral("ReactionCycle"),
        QStringLiteral("ImageSequence"), QStringLiteral("SetTemperature"), QStringLiteral("Wait")};
    return types;
}

const QStringList &filters()
{
    static const QStringList names {QStringLiteral("no_filter"), QStringLiteral("any_filter"),
        QStringLiteral("red"), QStringLiteral("orange"), QStringLiteral("green"), QStringLiteral("blue")};
    return names;
}

class Importer {
public:
    explicit Importer(DiagnosticSink &sink) : m_fields(sink), m_sink(sink) { }

    Protocol importRoot(const QJsonObject &root)
    {
        Protocol protocol;
        const QString path = QStringLiteral("$");
        // A root Group is usually flattened away below, so it does not count towards the nesting limit;
        // if it repeats and stays, validateProtocol() reports the one level too many.
        const bool rootGroup = root.value(QStringLiteral("event_type")).toString() == QStringLiteral("Group");
        std::vector<Step> steps = readEvent(root, path, rootGroup ? -1 : 0);
        if (steps.size() == 1) {
            Step &top = steps.front();
            protocol.name = top.label;
            // "Whole Experiment" wrappers run once: their events are the protocol's steps.
            if (rootGroup && top.iterations == 1) {
                protocol.steps = std::move(top.children);
                protocol.stepsPath = QStringLiteral("$.Group_args.events");
                return protocol;
            }
        }
        protocol.steps = std::move(steps);
        protocol.stepsPath = path;
        return protocol;
    }

private:
    // Reads one event into zero or one step (a vector keeps ownership simple).
    std::vector<Step> readEvent(const QJsonObject &o, const QString &path, int depth)
    {
        std::vector<Step> out;
        const Field<QString> label = m_fields.string(o, QStringLiteral("label"), path, true);
        const Field<QString> type = m_fields.string(o, QStringLiteral("event_type"), path, true);
        if (!type.usable())
            return out;
        if (!eventTypes().contains(type.value)) {
            m_sink.error(jsonPathKey(path, QStringLiteral("event_type")),
                QStringLiteral("unknown event_type '%1'; known event types: %2")
                    .arg(type.value, eventTypes().join(QStringLiteral(", "))));
            return out;
        }
        const QString argsKey = type.value + QStringLiteral("_args");
        m_fields.warnUnknownKeys(o, path, {QStringLiteral("label"), QStringLiteral("event_type"), argsKey});
        const Field<QJsonObject> args = m_fields.object(o, argsKey, path, true);
        if (!args.usable())
            return out;
        const QString argsPath = jsonPathKey(path, argsKey);

        Step step;
        step.label = label.value;
        step.sourcePath = path;
        std::optional<Step> made;
        if (type.value == QStringLiteral("Group"))
            made = readGroup(args.value, argsPath, depth, std::move(step), false);
        else if (type.value == QStringLiteral("ReactionCycle"))
            made = readGroup(args.value, argsPath, depth, std::move(step), true);
        else if (type.value == QStringLiteral("ImageSequence"))
            made = readImageSequence(args.value, argsPath, depth, std::move(step));
        else if (type.value == QStringLiteral("SetTemperature"))
            made = readTemperature(args.value, argsPath, std::move(step));
        else
            made = readWait(args.value, argsPath, std::move(step));
        if (made)
            out.push_back(std::move(*made));
        return out;
    }

    bool nestingTooDeep(int depth, const QString &path)
    {
        if (depth + 1 <= ProtocolLimits::kMaxNestingDepth)
            return false;
        m_sink.error(path,
            QStringLiteral("events are nested more than %1 deep here (an ImageSequence counts as one level); "
                           "flatten the protocol")
                .arg(ProtocolLimits::kMaxNestingDepth));
        return true;
    }

    std::optional<Step> readGroup(
        const QJsonObject &args, const QString &argsPath, int depth, Step step, bool cycle)
    {
        QStringList known {QStringLiteral("iterations"), QStringLiteral("events")};
        if (cycle)
            known << QStringLiteral("cleaving");
        m_fields.warnUnknownKeys(args, argsPath, known);
        step.kind = StepKind::Group;
        m_fields.readIterations(args, argsPath, step.sourcePath, step.iterations);
        const Field<QJsonArray> events = m_fields.array(args, QStringLiteral("events"), argsPath, true);
        // A cycle whose cleave is unreadable keeps its events, so their problems are reported too.
        std::optional<Step> cleave;
        if (cycle) {
            const Field<QJsonObject> cleaving
                = m_fields.object(args, QStringLiteral("cleaving"), argsPath, true);
            if (cleaving.usable())
                cleave = readCleaving(cleaving.value, jsonPathKey(argsPath, QStringLiteral("cleaving")));
        }
        if (!events.usable() || nestingTooDeep(depth, step.sourcePath))
            return std::nullopt;
        const QString eventsPath = jsonPathKey(argsPath, QStringLiteral("events"));
        for (qsizetype i = 0; i < events.value.size(); ++i) {
            const QString childPath = jsonPathIndex(eventsPath, i);
            if (!m_fields.expectObject(events.value.at(i), childPath))
                continue;
            for (Step &child : readEvent(events.value.at(i).toObject(), childPath, depth + 1))
                step.children.push_back(std::move(child));
        }
        if (cleave)
            step.children.push_back(std::move(*cleave));
        return step;
    }

    void checkSchemaVersion(const QJsonObject &args, const QString &path)
    {
        const Field<double> version
            = m_fields.wholeNumber(args, QStringLiteral("schema_version"), path, true);
        if (version.usable() && version.value != kKnownSchemaVersion)
            m_sink.warning(jsonPathKey(path, QStringLiteral("schema_version")),
                QStringLiteral(
                    "schema_version %1 is not the version %2 this importer knows; check the imported "
                    "steps")
                    .arg(version.value)
                    .arg(kKnownSchemaVersion));
    }

    QString readFilter(const QJsonObject &o, const QString &path)
    {
        const Field<QString> filter = m_fields.string(o, QStringLiteral("filter"), path, false);
        if (filter.usable() && !filters().contains(filter.value)) {
            m_sink.error(jsonPathKey(path, QStringLiteral("filter")),
                QStringLiteral("unknown filter '%1'; known filters: %2")
                    .arg(filter.value, filters().join(QStringLiteral(", "))));
            return {};
        }
        return filter.value;
    }

    void ignoreFilename(const QJsonObject &o, const QString &path)
    {
        if (o.contains(QStringLiteral("filename")))
            m_sink.warning(jsonPathKey(path, QStringLiteral("filename")),
                QStringLiteral("'filename' is ignored: ScopeSync names the files of a run itself"));
    }

    // The cleave after every cycle iteration; nullopt when there is none or it cannot be represented.
    std::optional<Step> readCleaving(const QJsonObject &c, const QString &path)
    {
        m_fields.warnUnknownKeys(c, path,
            {QStringLiteral("schema_version"), QStringLiteral("cleaving_duration_ms"),
                QStringLiteral("capture_period_ms"), QStringLiteral("cleaving_led"),
                QStringLiteral("cleaving_intensity_per_mille"), QStringLiteral("filter"),
                QStringLiteral("filename")});
        checkSchemaVersion(c, path);
        ignoreFilename(c, path);
        Step step;
        step.kind = StepKind::Illuminate;
        step.label = QStringLiteral("Cleave");
        step.sourcePath = path;
        step.filter = readFilter(c, path);

        Flash flash;
        flash.sourcePath = path;
        flash.led = QStringLiteral("uv");
        const Field<QString> led = m_fields.string(c, QStringLiteral("cleaving_led"), path, false);
        if (led.usable())
            flash.led = led.value;
        bool ok = led.valid;
        m_fields.readIntensity(
            c, QStringLiteral("cleaving_intensity_per_mille"), path, path, flash.intensityPerMille);

        const Field<double> period = m_fields.number(c, QStringLiteral("capture_period_ms"), path, false);
        if (period.usable() && period.value != 0) {
            // 0 is how the 454 files say "no capture during the cleave".
            if (std::abs(period.value) <= ProtocolLimits::kMaxRepresentableMs)
                step.capturePeriod = m_fields.toMilliseconds(
                    period.value, jsonPathKey(path, QStringLiteral("capture_period_ms")));
            else
                ok = ProtocolLimits::checkCapturePeriodMs(period.value, path, m_sink) && ok;
        }
        ok = ok && period.valid;

        const Field<double> ms = m_fields.number(c, QStringLiteral("cleaving_duration_ms"), path, true);
        const bool durationOk = ms.usable() && std::abs(ms.value) <= ProtocolLimits::kMaxRepresentableMs;
        if (ms.usable() && !durationOk)
            ProtocolLimits::checkIlluminateMs(ms.value, path, m_sink);
        if (durationOk && ms.value == 0) {
            m_sink.warning(jsonPathKey(path, QStringLiteral("cleaving_duration_ms")),
                QStringLiteral("cleaving_duration_ms is 0: no cleave step is added to this cycle"));
            return std::nullopt;
        }
        if (durationOk) {
            step.duration = m_fields.toMilliseconds(
                ms.value, jsonPathKey(path, QStringLiteral("cleaving_duration_ms")));
            flash.duration = step.duration;
        }
        if (ok && durationOk) {
            step.flashes.push_back(std::move(flash));
            return step;
        }
        // Left out of the model: check what could be read, since validation will not see it.
        if (durationOk)
            ProtocolLimits::checkIlluminateMs(double(step.duration.count()), path, m_sink);
        if (step.capturePeriod)
            ProtocolLimits::checkCapturePeriodMs(double(step.capturePeriod->count()), path, m_sink);
        ProtocolLimits::checkIntensity(flash.intensityPerMille, path, m_sink);
        return std::nullopt;
    }

    std::optional<Step> readImageSequence(
        const QJsonObject &args, const QString &argsPath, int depth, Step step)
    {
        m_fields.warnUnknownKeys(
            args, argsPath, {QStringLiteral("schema_version"), QStringLiteral("images")});
        checkSchemaVersion(args, argsPath);
        const Field<QJsonArray> images = m_fields.array(args, QStringLiteral("images"), argsPath, true);
        if (!images.usable() || nestingTooDeep(depth, step.sourcePath))
            return std::nullopt;
        step.kind = StepKind::Group;
        const QString imagesPath = jsonPathKey(argsPath, QStringLiteral("images"));
        for (qsizetype i = 0; i < images.value.size(); ++i) {
            const QString imagePath = jsonPathIndex(imagesPath, i);
            if (!m_fields.expectObject(images.value.at(i), imagePath))
                continue;
            if (auto image = readImage(images.value.at(i).toObject(), imagePath))
                step.children.push_back(std::move(*image));
        }
        return step;
    }

    std::optional<Step> readImage(const QJsonObject &o, const QString &path)
    {
        m_fields.warnUnknownKeys(o, path,
            {QStringLiteral("label"), QStringLiteral("filter"), QStringLiteral("flashes"),
                QStringLiteral("filename")});
        ignoreFilename(o, path);
        Step step;
        step.kind = StepKind::Image;
        step.sourcePath = path;
        step.label = m_fields.string(o, QStringLiteral("label"), path, true).value;
        step.filter = readFilter(o, path);
        auto flashes = m_fields.readFlashes(o, path, false, std::nullopt);
        if (!flashes)
            return std::nullopt;
        step.flashes = std::move(*flashes);
        return step;
    }

    std::optional<Step> readTemperature(const QJsonObject &args, const QString &argsPath, Step step)
    {
        m_fields.warnUnknownKeys(args, argsPath, {QStringLiteral("temperature_kelvin")});
        step.kind = StepKind::SetTemperature;
        const Field<double> kelvin
            = m_fields.number(args, QStringLiteral("temperature_kelvin"), argsPath, true);
        if (!kelvin.usable())
            return std::nullopt;
        step.temperatureKelvin = kelvin.value;
        return step;
    }

    std::optional<Step> readWait(const QJsonObject &args, const QString &argsPath, Step step)
    {
        m_fields.warnUnknownKeys(args, argsPath, {QStringLiteral("duration_ms")});
        step.kind = StepKind::Wait;
        const auto duration = m_fields.readStepDuration(
            args, argsPath, QStringLiteral("duration_ms"), &ProtocolLimits::checkWaitMs, step.sourcePath);
        if (!duration)
            return std::nullopt;
        step.duration = *duration;
        return step;
    }

    ProtocolFields m_fields;
    DiagnosticSink &m_sink;
};

}  // namespace

std::optional<Protocol> Legacy454Importer::read(const QJsonObject &root, DiagnosticSink &sink)
{
    return Importer(sink).importRoot(root);
}

}  // namespace scopesync::core::protocol
