// Translations: installs the compiled catalogues (:/i18n/scopesync_<locale>.qm) for the chosen language.
#pragma once

#include <QString>
#include <QStringList>

namespace scopesync::ui::i18n {

// Locale names with a catalogue, "en" (the source language) first: {"en", "de", "zh_CN"}.
QStringList availableLanguages();

// Installs ScopeSync's catalogue for `localeName` ("de", "zh_CN", "de_AT"…; empty = the system locale)
// and Qt's own for its dialogs, replacing the ones installed before. English, or a language without a
// catalogue, removes them (the source strings are English). False when a catalogue exists but cannot be
// loaded. Call on the GUI thread; widgets retranslate on QEvent::LanguageChange.
bool installTranslations(const QString &localeName);

// The language installTranslations() chose last ("en" when none).
QString currentLanguage();

}  // namespace scopesync::ui::i18n
