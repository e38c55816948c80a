// `scopesync rig import`: a 454 instrument's hardware configuration file as a ScopeSync rig file.
#include "app/cli/rig_command.h"

#include "app/cli/cli_output.h"
#include "app/cli/command_args.h"
#include "app/cli/command_registry.h"
#include "core/acquisition/legacy_454_rig_importer.h"
#include "core/common/bounded_file_reader.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace scopesync::app {

int runRigCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "rig import FILE: turn a 454 instrument's hardware_configuration_*.json (schema 3: servo "
        "filter wheel and DS18B20; schema 4: stepper wheel and focus, NTC through an ADS1115) into "
        "a rig file. Every assumption is printed; check the camera and trigger lines it names."));
    parser.addPositionalArgument(QStringLiteral("import"), QStringLiteral("The action (import)."));
    parser.addPositionalArgument(
        QStringLiteral("FILE"), QStringLiteral("The 454 hardware configuration file."));
    const QCommandLineOption outOpt({QStringLiteral("o"), QStringLiteral("output")},
        QStringLiteral("Write the rig file here (default: print it)."), QStringLiteral("OUT"));
    const QCommandLineOption simOpt(QStringLiteral("sim"),
        QStringLiteral("The devices as simulated ones on the simulated backend (to try the rig's protocols "
                       "without hardware)."));
    const QCommandLineOption servoOpt(QStringLiteral("servo-line"),
        QStringLiteral("The BCM line of the filter wheel's servo (schema 3 files do not name it)."),
        QStringLiteral("N"));
    parser.addOptions({outOpt, simOpt, servoOpt});
    if (auto done = parseCommandLine(parser, QStringLiteral("rig"), args))
        return *done;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2 || pos.first() != QLatin1String("import")) {
        printErr(QStringLiteral(
            "scopesync rig: use 'scopesync rig import FILE [-o OUT]'. Try 'scopesync rig --help'."));
        return kExitUsage;
    }
    core::acquisition::Legacy454RigOptions options;
    options.simulated = parser.isSet(simOpt);
    if (parser.isSet(servoOpt)) {
        const auto n = numberOption(parser, QStringLiteral("servo-line"), 0, 27);
        if (!n.ok()) {
            printErr(n.error().toString());
            return kExitUsage;
        }
        options.servoBcm = int(*n);
    }
    const auto bytes
        = core::BoundedFileReader::read(pos.at(1), 1 << 20, QStringLiteral("454 hardware configuration"));
    if (!bytes.ok()) {
        printErr(bytes.error().toString());
        return kExitInvalidInput;
    }
    const auto result = core::acquisition::Legacy454RigImporter::importBytes(*bytes, options);
    printDiagnostics(pos.at(1), result.diagnostics);
    if (!result.rig)
        return kExitInvalidInput;
    QJsonObject json = result.rig->toJson();
    json.insert(QStringLiteral("version"), 1);
    const QByteArray text = QJsonDocument(json).toJson(QJsonDocument::Indented);
    if (!parser.isSet(outOpt)) {
        printOut(QString::fromUtf8(text).trimmed());
        return kExitOk;
    }
    const QString out = parser.value(outOpt);
    if (QFile::exists(out)) {
        printErr(
            QStringLiteral("%1 exists; choose another name or move it away (a rig file is not overwritten)")
                .arg(out));
        return kExitInvalidInput;
    }
    QSaveFile file(out);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        printErr(QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
        return kExitInvalidInput;
    }
    printOut(QStringLiteral("rig file written: %1 (check it with 'scopesync doctor --rig %1')").arg(out));
    return kExitOk;
}

namespace {
const CommandRegistration registration(QStringLiteral("rig"),
    QStringLiteral("rig import FILE: a 454 hardware configuration as a rig file."), runRigCommand);
}

}  // namespace scopesync::app
