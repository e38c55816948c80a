// Translations: every catalogue is complete, compiled into the UI as :/i18n/*.qm, and switches real widgets.
#include "ui/i18n/i18n.h"
#include "ui/protocol_editor/protocol_editor.h"
#include "ui/timing_view/timing_view.h"

#include <QDir>
#include <QDomDocument>
#include <QFile>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>
#include <QTranslator>

using namespace scopesync;

namespace {

QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%(\\d+|[vmn])"));
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();)
        out << it.next().captured(0);
    out.sort();
    return out;
}

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { QVERIFY(ui::i18n::installTranslations(QStringLiteral("en"))); }

    void catalogueFilesAreComplete_data()
    {
        QTest::addColumn<QString>("file");
        const QDir dir(QStringLiteral(SCOPESYNC_TRANSLATIONS_DIR));
        const QStringList files = dir.entryList({QStringLiteral("*.ts")}, QDir::Files, QDir::Name);
        QVERIFY(files.contains(QStringLiteral("scopesync_de.ts")));
        QVERIFY(files.contains(QStringLiteral("scopesync_zh_CN.ts")));
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }

    void catalogueFilesAreComplete()
    {
        QFETCH(QString, file);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QDomDocument doc;
        QVERIFY(doc.setContent(&f));
        const QDomNodeList contexts = doc.elementsByTagName(QStringLiteral("context"));
        QVERIFY(contexts.size() > 5);
        int messages = 0;
        for (int i = 0; i < contexts.size(); ++i) {
            const QDomElement context = contexts.at(i).toElement();
            const QString name = context.firstChildElement(QStringLiteral("name")).text();
            // tr() looks messages up under the class's full name; a bare name would never match.
            QVERIFY2(name.contains(QStringLiteral("::")), qPrintable(name));
            for (QDomElement m = context.firstChildElement(QStringLiteral("message")); !m.isNull();
                 m = m.nextSiblingElement(QStringLiteral("message"))) {
                ++messages;
                const QString source = m.firstChildElement(QStringLiteral("source")).text();
                const QDomElement translation = m.firstChildElement(QStringLiteral("translation"));
                const QString where = name + QStringLiteral(": ") + source;
                QVERIFY2(!translation.isNull(), qPrintable(where));
                QVERIFY2(translation.attribute(QStringLiteral("type")).isEmpty(),
                    qPrintable(
                        where + QStringLiteral(" is ") + translation.attribute(QStringLiteral("type"))));
                QVERIFY2(
                    !translation.text().trimmed().isEmpty() || source.trimmed().isEmpty(), qPrintable(where));
                QCOMPARE(placeholders(translation.text()), placeholders(source));
            }
        }
        QVERIFY(messages > 100);
    }

    void compiledCataloguesTranslateKnownStrings()
    {
        const QStringList languages = ui::i18n::availableLanguages();
        QCOMPARE(languages.value(0), QStringLiteral("en"));
        QVERIFY2(languages.contains(QStringLiteral("de")), qPrintable(languages.join(u',')));
        QVERIFY2(languages.contains(QStringLiteral("zh_CN")), qPrintable(languages.join(u',')));
        const std::pair<const char *, const char *> expected[] = {{"de", "Rückgängig"}, {"zh_CN", "撤销"}};
        for (const auto &[language, undo] : expected) {
            QTranslator translator;
            QVERIFY(translator.load(QStringLiteral(":/i18n/scopesync_%1.qm").arg(QLatin1String(language))));
            QCOMPARE(translator.translate("scopesync::ui::ProtocolEditor", "Undo"), QString::fromUtf8(undo));
            QVERIFY(!translator.translate("scopesync::ui::TimingView", "trigger").isEmpty());
        }
    }

    void switchingTranslatesRealWidgets()
    {
        QVERIFY(ui::i18n::installTranslations(QStringLiteral("de")));
        QCOMPARE(ui::i18n::currentLanguage(), QStringLiteral("de"));
        {
            ui::ProtocolEditor editor;
            QCOMPARE(editor.undoButton()->text(), QStringLiteral("Rückgängig"));
            ui::TimingView view;
            QVERIFY(view.readoutText().startsWith(QStringLiteral("Tippen")));
        }
        // A regional locale falls back to its language's catalogue.
        QVERIFY(ui::i18n::installTranslations(QStringLiteral("de_AT")));
        QCOMPARE(QCoreApplication::translate("scopesync::ui::StepForm", "Add flash"),
            QStringLiteral("Blitz hinzufügen"));
        QVERIFY(ui::i18n::installTranslations(QStringLiteral("zh_CN")));
        {
            ui::ProtocolEditor editor;
            QCOMPARE(editor.undoButton()->text(), QStringLiteral("撤销"));
        }
        QVERIFY(ui::i18n::installTranslations(QStringLiteral("en")));
        QCOMPARE(ui::i18n::currentLanguage(), QStringLiteral("en"));
        ui::ProtocolEditor editor;
        QCOMPARE(editor.undoButton()->text(), QStringLiteral("Undo"));
    }
};

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
