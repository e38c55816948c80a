// RigFileEditor: one field of a rig file changed in place, validated, and written atomically.
#include "core/acquisition/rig_file_editor.h"

#include "core/acquisition/rig_description.h"
#include "core/common/bounded_file_reader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStringList>

namespace scopesync::core::acquisition {

Status RigFileEditor::edit(const QString &path, const std::function<Status(QJsonObject &root)> &change)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return Error {QStringLiteral("cannot read the rig file: %1").arg(in.errorString()), path};
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(in.readAll(), &parseError);
    in.close();
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error {
            QStringLiteral("the rig file is not a JSON object (%1 at byte %2); fix it before saving into it")
                .arg(parseError.errorString())
                .arg(parseError.offset),
            path};
    QJsonObject root = doc.object();
    const Status changed = change(root);
    if (!changed.ok())
        return Error {changed.error().message, path + u':' + changed.error().where};
    return writeChecked(
        path, QJsonDocument(root).toJson(QJsonDocument::Indented), QStringLiteral("the changed rig file"));
}

Status RigFileEditor::writeChecked(const QString &path, const QByteArray &bytes, const QString &what)
{
    const RigReadResult check = RigReader::readBytes(bytes);
    if (!check.rig) {
        QStringList problems;
        for (const Diagnostic &d : check.diagnostics.errors())
            problems.append(d.toString());
        return Error {QStringLiteral("%1 would not read back as a rig (%2); nothing was saved")
                          .arg(what, problems.join(QStringLiteral("; "))),
            path};
    }
    // QSaveFile writes a temporary file beside the rig file and renames it over the original on commit.
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return Error {
            QStringLiteral("cannot write the rig file (%1): make it and its folder writable, or open a "
                           "copy of it with --rig")
                .arg(out.errorString()),
            path};
    out.write(bytes);
    if (!out.commit())
        return Error {
            QStringLiteral("cannot write the rig file (%1): make it and its folder writable, or open a "
                           "copy of it with --rig")
                .arg(out.errorString()),
            path};
    return Ok {};
}

Status RigFileEditor::saveChoiceAs(const QString &choice, const QString &target)
{
    QByteArray bytes;
    if (choice == QLatin1String("sim")) {
        bytes = QJsonDocument(RigDescription::referenceSim().toJson()).toJson(QJsonDocument::Indented);
    } else {
        auto chosen = BoundedFileReader::read(choice, RigReader::kMaxFileBytes, QStringLiteral("rig file"));
        if (!chosen.ok())
            return chosen.error();
        bytes = std::move(chosen).value();
    }
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        return Error {
            QStringLiteral("cannot make the folder %1: make its parent writable, or start with --rig")
                .arg(QFileInfo(target).absolutePath()),
            target};
    return writeChecked(target, bytes, QStringLiteral("the chosen rig file %1").arg(choice));
}

Status RigFileEditor::setFilterPosition(const QString &path, const QString &filter, int at)
{
    return edit(path, [&](QJsonObject &root) -> Status {
        QJsonObject wheel = root.value(QStringLiteral("filter_wheel")).toObject();
        QJsonArray positions = wheel.value(QStringLiteral("positions")).toArray();
        for (qsizetype i = 0; i < positions.size(); ++i) {
            QJsonObject p = positions.at(i).toObject();
            if (p.value(QStringLiteral("filter")).toString() != filter)
                continue;
            p.insert(QStringLiteral("at"), at);
            positions.replace(i, p);
            wheel.insert(QStringLiteral("positions"), positions);
            root.insert(QStringLiteral("filter_wheel"), wheel);
            return Ok {};
        }
        return Error {
            QStringLiteral("the rig file's filter wheel has no filter \"%1\"; add it to the positions")
                .arg(filter),
            QStringLiteral("$.filter_wheel.positions")};
    });
}

Status RigFileEditor::setFocusForFilter(const QString &path, const QString &filter, int steps)
{
    return edit(path, [&](QJsonObject &root) -> Status {
        if (!root.value(QStringLiteral("focus")).isObject())
            return Error {QStringLiteral("the rig file has no focus section; describe the focus drive first"),
                QStringLiteral("$.focus")};
        QJsonObject focus = root.value(QStringLiteral("focus")).toObject();
        QJsonObject per = focus.value(QStringLiteral("per_filter")).toObject();
        per.insert(filter, steps);
        focus.insert(QStringLiteral("per_filter"), per);
        root.insert(QStringLiteral("focus"), focus);
        return Ok {};
    });
}

Status RigFileEditor::setHeaterGains(
    const QString &path, double pPerMillePerKelvin, double iPerMillePerKelvinSecond)
{
    return edit(path, [&](QJsonObject &root) -> Status {
        if (!root.value(QStringLiteral("heater")).isObject())
            return Error {QStringLiteral("the rig file has no heater section; describe the heater first"),
                QStringLiteral("$.heater")};
        QJsonObject heater = root.value(QStringLiteral("heater")).toObject();
        heater.insert(QStringLiteral("p_per_mille_per_k"), pPerMillePerKelvin);
        heater.insert(QStringLiteral("i_per_mille_per_k_s"), iPerMillePerKelvinSecond);
        root.insert(QStringLiteral("heater"), heater);
        return Ok {};
    });
}

}  // namespace scopesync::core::acquisition
