// Unit tests for RigFileEditor: set-up results saved into a rig file change only their field, keep every
// other one, are refused with the field named when the section is missing or the result would not read back,
// and a file that cannot be written is reported without touching it.
#include "core/acquisition/rig_description.h"
#include "core/acquisition/rig_file_editor.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "support/verify_ok.h"
#include <unistd.h>

using namespace scopesync::core::acquisition;

namespace {

const QByteArray kRig = R"({"version": 1, "backend": "sim", "sensor": "imx477", "mode": "4056x3040",
    "name": "bench 2", "delay_us": 93000,
    "lines": {"xvs": 6, "leds": {"red": 16, "green": 20}},
    "filter_wheel": {"kind": "sim", "positions": [{"filter": "red", "at": 900},
                     {"filter": "green", "at": 1500}]},
    "focus": {"kind": "sim", "per_filter": {"red": 0, "green": -1525}, "offset_steps": 20, "step_us": 10},
    "heater": {"kind": "sim", "max_per_mille": 800, "i_per_mille_per_k_s": 10, "max_c": 75,
               "sensor": {"kind": "sim"}, "sim": {"speedup": 50}}})";

QString write(const QTemporaryDir &dir, const QByteArray &bytes)
{
    const QString path = dir.filePath(QStringLiteral("rig.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(bytes);
    return path;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

}  // namespace

class TestRigFileEditor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void changesOnlyTheField()
    {
        QTemporaryDir dir;
        const QString path = write(dir, kRig);
        const QJsonObject before = readJson(path);
        auto st = RigFileEditor::setFocusForFilter(path, QStringLiteral("red"), 137);
        SCOPESYNC_VERIFY_OK(st);
        st = RigFileEditor::setFilterPosition(path, QStringLiteral("green"), 1480);
        SCOPESYNC_VERIFY_OK(st);
        st = RigFileEditor::setHeaterGains(path, 352.5, 10.35);
        SCOPESYNC_VERIFY_OK(st);

        const auto r = RigReader::readFile(path);
        QVERIFY(r.rig);
        QCOMPARE(r.rig->focus->perFilter.value(QStringLiteral("red")), 137);
        QCOMPARE(r.rig->focus->perFilter.value(QStringLiteral("green")), -1525);
        QCOMPARE(r.rig->filterWheel->positions.value(QStringLiteral("green")), 1480);
        QCOMPARE(r.rig->filterWheel->positions.value(QStringLiteral("red")), 900);
        QCOMPARE(r.rig->heater->pPerMillePerKelvin, 352.5);
        QCOMPARE(r.rig->heater->iPerMillePerKelvinSecond, 10.35);
        QCOMPARE(r.rig->heater->maxPerMille, 800);

        // Every other field is as it was.
        QJsonObject after = readJson(path);
        for (const QString &key : before.keys())
            if (key != QLatin1String("focus") && key != QLatin1String("filter_wheel")
                && key != QLatin1String("heater"))
                QCOMPARE(after.value(key), before.value(key));
        QCOMPARE(after.value(QStringLiteral("heater")).toObject().value(QStringLiteral("sim")),
            before.value(QStringLiteral("heater")).toObject().value(QStringLiteral("sim")));
        // No temporary file is left beside it.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList {QStringLiteral("rig.json")});
    }

    void refusesWithTheFieldNamed()
    {
        QTemporaryDir dir;
        const QString path = write(dir, kRig);
        const auto unknown = RigFileEditor::setFilterPosition(path, QStringLiteral("blue"), 1000);
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().where.contains(QStringLiteral("$.filter_wheel.positions")));
        // A focus for a filter the wheel does not hold would not read back: refused, the file unchanged.
        const QByteArray bytesBefore = [&] {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        const auto invalid = RigFileEditor::setFocusForFilter(path, QStringLiteral("blue"), 10);
        QVERIFY(!invalid.ok());
        qInfo("%s", qPrintable(invalid.error().toString()));
        QVERIFY(invalid.error().message.contains(QStringLiteral("$.focus.per_filter.blue")));
        QVERIFY(invalid.error().message.contains(QStringLiteral("nothing was saved")));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), bytesBefore);

        QByteArray noHeater = kRig;
        noHeater.replace(noHeater.indexOf(",\n    \"heater\""), noHeater.size(), "}");
        const QString bare = write(dir, noHeater);
        QVERIFY(RigReader::readFile(bare).rig);
        const auto missing = RigFileEditor::setHeaterGains(bare, 100, 1);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().where.endsWith(QStringLiteral("$.heater")));
    }

    void reportsAFileThatCannotBeWritten()
    {
        if (::geteuid() == 0)
            QSKIP("running as root: permissions do not stop a write");
        QTemporaryDir dir;
        const QString path = write(dir, kRig);
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner);
        QFile::setPermissions(path, QFile::ReadOwner);
        const auto st = RigFileEditor::setFocusForFilter(path, QStringLiteral("red"), 5);
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QVERIFY(!st.ok());
        qInfo("%s", qPrintable(st.error().toString()));
        QVERIFY(st.error().message.contains(QStringLiteral("writable")));
        QCOMPARE(readJson(path)
                     .value(QStringLiteral("focus"))
                     .toObject()
                     .value(QStringLiteral("per_filter"))
                     .toObject()
                     .value(QStringLiteral("red"))
                     .toInt(),
            0);
    }

    // The first run's choice kept where a rig file was expected: the reference simulated rig or a copy of
    // the chosen file, its folder made; a file that is not a rig is refused and nothing is written.
    void savesTheFirstRunChoice()
    {
        QTemporaryDir dir;
        const QString simTarget = dir.filePath(QStringLiteral("kiosk/etc/rig.json"));
        SCOPESYNC_VERIFY_OK(RigFileEditor::saveChoiceAs(QStringLiteral("sim"), simTarget));
        const auto sim = RigReader::readFile(simTarget);
        QVERIFY(sim.rig);
        QCOMPARE(sim.rig->toJson(), RigDescription::referenceSim().toJson());

        const QString chosen = write(dir, kRig);
        const QString copyTarget = dir.filePath(QStringLiteral("copy/rig.json"));
        SCOPESYNC_VERIFY_OK(RigFileEditor::saveChoiceAs(chosen, copyTarget));
        QFile copy(copyTarget);
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.readAll(), kRig);

        const QString notARig = dir.filePath(QStringLiteral("notes.json"));
        {
            QFile f(notARig);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"version": 1, "backend": "sim", "sensor": "imx999"})");
        }
        const QString refusedTarget = dir.filePath(QStringLiteral("refused/rig.json"));
        const auto refused = RigFileEditor::saveChoiceAs(notARig, refusedTarget);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(notARig), qPrintable(refused.error().toString()));
        QVERIFY2(refused.error().message.contains(QStringLiteral("sensor")),
            qPrintable(refused.error().toString()));
        QVERIFY(!QFile::exists(refusedTarget));

        const auto missing
            = RigFileEditor::saveChoiceAs(dir.filePath(QStringLiteral("gone.json")), refusedTarget);
        QVERIFY(!missing.ok());
        QVERIFY(!QFile::exists(refusedTarget));
    }
};

QTEST_GUILESS_MAIN(TestRigFileEditor)
#include "test_rig_file_editor.moc"
