// Translations: installs the compiled catalogues (:/i18n/scopesync_<locale>.qm) for the chosen language.
#include "ui/i18n/i18n.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace scopesync::ui::i18n {

namespace {

constexpr auto kCatalogueDir = ":/i18n";

struct Installed {
    std::unique_ptr<QTranslator> scopesync;
    std::unique_ptr<QTranslator> qt;
    QString language = QStringLiteral("en");
};

// Only touched on the GUI thread (installTranslations' contract), so it needs no lock.
Installed &installed()
{
    static Installed state;
    return state;
}

void removeInstalled()
{
    Installed &s = installed();
    if (s.scopesync)
        QCoreApplication::removeTranslator(s.scopesync.get());
    if (s.qt)
        QCoreApplication::removeTranslator(s.qt.get());
    s.scopesync.reset();
    s.qt.reset();
    s.language = QStringLiteral("en");
}

}  // namespace

QStringList availableLanguages()
{
    QStringList languages {QStringLiteral("en")};
    const QStringList files = QDir(QString::fromLatin1(kCatalogueDir))
                                  .entryList({QStringLiteral("scopesync_*.qm")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        QString name = file.mid(QStringLiteral("scopesync_").size());
        name.chop(3);
        if (!languages.contains(name))
            languages.append(name);
    }
    return languages;
}

bool installTranslations(const QString &localeName)
{
    const QLocale locale = localeName.isEmpty() ? QLocale::system() : QLocale(localeName);
    removeInstalled();
    auto catalogue = std::make_unique<QTranslator>();
    // Tries scopesync_de_AT.qm, scopesync_de.qm… for each of the locale's UI languages.
    if (!catalogue->load(
            locale, QStringLiteral("scopesync"), QStringLiteral("_"), QString::fromLatin1(kCatalogueDir)))
        return true;  // English or a language without a catalogue: the source strings are shown
    if (catalogue->isEmpty())
        return false;
    Installed &s = installed();
    QCoreApplication::installTranslator(catalogue.get());
    s.language = catalogue->language().isEmpty() ? locale.name() : catalogue->language();
    s.scopesync = std::move(catalogue);
    // Qt's own strings (standard buttons, file dialogs), when the qt6-translations package is installed.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        s.qt = std::move(qt);
    }
    return true;
}

QString currentLanguage()
{
    return installed().language;
}

}  // namespace scopesync::ui::i18n
