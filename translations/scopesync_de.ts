<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
    <context>
        <name>scopesync::app::api::ApiServer</name>
        <message>
            <source>dark snapshot</source>
            <translation>dunkles Einzelbild</translation>
        </message>
        <message>
            <source>snapshot with %1 for %2 ms</source>
            <translation>Einzelbild mit %1 für %2 ms</translation>
        </message>
        <message>
            <source>run %1 started (%2)</source>
            <translation>Lauf %1 gestartet (%2)</translation>
        </message>
        <message>
            <source>run %1: %2</source>
            <translation>Lauf %1: %2</translation>
        </message>
        <message>
            <source>LED %1 on for %2 ms</source>
            <translation>LED %1 für %2 ms an</translation>
        </message>
        <message>
            <source>filter %1</source>
            <translation>Filter %1</translation>
        </message>
        <message>
            <source>focus nudged %1 steps</source>
            <translation>Fokus um %1 Schritte verschoben</translation>
        </message>
        <message>
            <source>set point %1 °C</source>
            <translation>Sollwert %1 °C</translation>
        </message>
        <message>
            <source>heater off</source>
            <translation>Heizung aus</translation>
        </message>
        <message>
            <source>calibration with %1 (%2 ms flash)</source>
            <translation>Kalibrierung mit %1 (%2 ms Blitz)</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CalibrationWizard</name>
        <message>
            <source>Calibrate the flash delay</source>
            <translation>Blitzverzögerung kalibrieren</translation>
        </message>
        <message>
            <source>Calibration not saved</source>
            <translation>Kalibrierung nicht gespeichert</translation>
        </message>
        <message>
            <source>The profile could not be written: %1
The result is still shown; free the disk or fix the permission and press Apply again.</source>
            <translation>Das Profil konnte nicht geschrieben werden: %1
Das Ergebnis wird weiter angezeigt; schaffen Sie Platz auf dem Datenträger oder korrigieren Sie die Berechtigung und drücken Sie erneut Übernehmen.</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CameraSettingsPanel</name>
        <message>
            <source> µs</source>
            <translation> µs</translation>
        </message>
        <message>
            <source> fps</source>
            <translation> fps</translation>
        </message>
        <message>
            <source>Mirror horizontally (hflip)</source>
            <translation>Horizontal spiegeln (hflip)</translation>
        </message>
        <message>
            <source>Flip vertically (vflip)</source>
            <translation>Vertikal spiegeln (vflip)</translation>
        </message>
        <message>
            <source>Shutter (0 = auto)</source>
            <translation>Belichtungszeit (0 = automatisch)</translation>
        </message>
        <message>
            <source>Analogue gain (0 = auto)</source>
            <translation>Analoge Verstärkung (0 = automatisch)</translation>
        </message>
        <message>
            <source>White balance</source>
            <translation>Weißabgleich</translation>
        </message>
        <message>
            <source>Red gain (0 = auto)</source>
            <translation>Rotverstärkung (0 = automatisch)</translation>
        </message>
        <message>
            <source>Blue gain (0 = auto)</source>
            <translation>Blauverstärkung (0 = automatisch)</translation>
        </message>
        <message>
            <source>Denoise</source>
            <translation>Rauschunterdrückung</translation>
        </message>
        <message>
            <source>Frame rate (0 = camera's)</source>
            <translation>Bildrate (0 = die der Kamera)</translation>
        </message>
        <message>
            <source>Load…</source>
            <translation>Laden…</translation>
        </message>
        <message>
            <source>Save…</source>
            <translation>Speichern…</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>Übernehmen</translation>
        </message>
        <message>
            <source>Reopen the camera with these settings</source>
            <translation>Kamera mit diesen Einstellungen neu öffnen</translation>
        </message>
        <message>
            <source>Problems in the loaded file:</source>
            <translation>Probleme in der geladenen Datei:</translation>
        </message>
        <message>
            <source>Load camera config</source>
            <translation>Kamerakonfiguration laden</translation>
        </message>
        <message>
            <source>rpicam-apps config (*.txt *.conf *.cfg);;All files (*)</source>
            <translation>rpicam-apps-Konfiguration (*.txt *.conf *.cfg);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Save camera config</source>
            <translation>Kamerakonfiguration speichern</translation>
        </message>
        <message>
            <source>rpicam-apps config (*.txt)</source>
            <translation>rpicam-apps-Konfiguration (*.txt)</translation>
        </message>
        <message>
            <source>error</source>
            <translation>Fehler</translation>
        </message>
        <message>
            <source>warning</source>
            <translation>Warnung</translation>
        </message>
        <message>
            <source>file</source>
            <translation>Datei</translation>
        </message>
        <message>
            <source>%1: no problems</source>
            <translation>%1: keine Probleme</translation>
        </message>
        <message>
            <source>%1 could not be written: %2</source>
            <translation>%1 konnte nicht geschrieben werden: %2</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>%1 gespeichert</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::DoctorDialog</name>
        <message>
            <source>Rig doctor</source>
            <translation>Aufbau-Diagnose</translation>
        </message>
        <message>
            <source>Checks this machine against the rig: camera, sensor trigger mode, kernel command line, GPIO, groups, real-time scheduling and free disk. Nothing is changed: each problem shows the command or file edit that fixes it.</source>
            <translation>Prüft diesen Rechner für den Aufbau: Kamera, Trigger-Modus des Sensors, Kernel-Kommandozeile, GPIO, Gruppen, Echtzeit-Scheduling und freier Speicherplatz. Es wird nichts verändert: Zu jedem Problem steht der Befehl oder die Dateiänderung, die es behebt.</translation>
        </message>
        <message>
            <source>Check again</source>
            <translation>Erneut prüfen</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Schließen</translation>
        </message>
        <message>
            <source>Rig: %1</source>
            <translation>Aufbau: %1</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Warnung</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>Problem</translation>
        </message>
        <message>
            <source>Skipped</source>
            <translation>Übersprungen</translation>
        </message>
        <message>
            <source>The rig doctor is not available here; run 'scopesync doctor' in a terminal.</source>
            <translation>Die Aufbau-Diagnose ist hier nicht verfügbar; führen Sie 'scopesync doctor' in einem Terminal aus.</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>Wird geprüft…</translation>
        </message>
        <message>
            <source>The checks could not run: %1</source>
            <translation>Die Prüfungen konnten nicht ausgeführt werden: %1</translation>
        </message>
        <message>
            <source>the doctor stopped with an error</source>
            <translation>die Diagnose wurde mit einem Fehler abgebrochen</translation>
        </message>
        <message>
            <source>Problems: %1, warnings: %2. Each problem shows its fix.</source>
            <translation>Probleme: %1, Warnungen: %2. Zu jedem Problem steht die Behebung.</translation>
        </message>
        <message>
            <source>No problems; warnings: %1.</source>
            <translation>Keine Probleme; Warnungen: %1.</translation>
        </message>
        <message>
            <source>No problems found.</source>
            <translation>Keine Probleme gefunden.</translation>
        </message>
        <message>
            <source>Fix:</source>
            <translation>Behebung:</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Kopieren</translation>
        </message>
        <message>
            <source>Copied</source>
            <translation>Kopiert</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::FiringErrorPlot</name>
        <message>
            <source>Firing error per follower</source>
            <translation>Auslösefehler je Folger</translation>
        </message>
        <message>
            <source>No capture yet: the firing error of each follower (its measured trigger edge − T) appears here.</source>
            <translation>Noch keine Aufnahme: Hier erscheint der Auslösefehler jedes Folgers (seine gemessene Trigger-Flanke − T).</translation>
        </message>
        <message>
            <source>%1 followers · p50 %2 µs · p99 %3 µs · max |error| %4 µs · spread %5 µs</source>
            <translation>%1 Folger · p50 %2 µs · p99 %3 µs · max. |Fehler| %4 µs · Streuung %5 µs</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::FirstRunDialog</name>
        <message>
            <source>Choose a rig</source>
            <translation>Aufbau wählen</translation>
        </message>
        <message>
            <source>No rig is configured yet.

Start with the simulated rig to try ScopeSync: it behaves like the reference HQ-camera microscope, banding and all.

To use real hardware, describe it in a rig file (see resources/rigs/) and check the wiring, camera driver and permissions with:
    scopesync doctor</source>
            <translation>Es ist noch kein Aufbau eingerichtet.

Beginnen Sie mit dem simulierten Aufbau, um ScopeSync auszuprobieren: er verhält sich wie das Referenzmikroskop mit HQ-Kamera, einschließlich Streifenbildung.

Um echte Hardware zu verwenden, beschreiben Sie sie in einer Aufbaudatei (siehe resources/rigs/) und prüfen Sie Verkabelung, Kameratreiber und Berechtigungen mit:
    scopesync doctor</translation>
        </message>
        <message>
            <source>Cameras on this machine:</source>
            <translation>Kameras an diesem Rechner:</translation>
        </message>
        <message>
            <source>Looking for cameras…</source>
            <translation>Suche nach Kameras…</translation>
        </message>
        <message>
            <source>Use the simulated rig</source>
            <translation>Simulierten Aufbau verwenden</translation>
        </message>
        <message>
            <source>Open a rig file…</source>
            <translation>Aufbaudatei öffnen…</translation>
        </message>
        <message>
            <source>Check this machine (rig doctor)…</source>
            <translation>Diesen Rechner prüfen (Aufbau-Diagnose)…</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Beenden</translation>
        </message>
        <message>
            <source>Rig file</source>
            <translation>Aufbaudatei</translation>
        </message>
        <message>
            <source>Rig files (*.json);;All files (*)</source>
            <translation>Aufbaudateien (*.json);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>The cameras could not be listed: %1</source>
            <translation>Die Kameras konnten nicht aufgelistet werden: %1</translation>
        </message>
        <message>
            <source>No camera found: neither libcamera nor Qt Multimedia sees one.</source>
            <translation>Keine Kamera gefunden: weder libcamera noch Qt Multimedia sieht eine.</translation>
        </message>
        <message>
            <source>Select a camera to see the rig-file entry that uses it.</source>
            <translation>Wählen Sie eine Kamera, um den Eintrag für die Aufbaudatei zu sehen, der sie verwendet.</translation>
        </message>
        <message>
            <source>ScopeSync cannot use this camera: %1</source>
            <translation>ScopeSync kann diese Kamera nicht verwenden: %1</translation>
        </message>
        <message>
            <source>In a rig file (examples in resources/rigs/): %1</source>
            <translation>In einer Aufbaudatei (Beispiele in resources/rigs/): %1</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::FleetPanel</name>
        <message>
            <source>A file whose first line is the leader's broker password</source>
            <translation>Eine Datei, deren erste Zeile das Broker-Passwort des Leiters ist</translation>
        </message>
        <message>
            <source>For mqtts:// only: the CA certificate that signed the broker's</source>
            <translation>Nur für mqtts://: das CA-Zertifikat, das das Zertifikat des Brokers signiert hat</translation>
        </message>
        <message>
            <source>Broker</source>
            <translation>Broker</translation>
        </message>
        <message>
            <source>Fleet</source>
            <translation>Flotte</translation>
        </message>
        <message>
            <source>Account</source>
            <translation>Konto</translation>
        </message>
        <message>
            <source>Password file</source>
            <translation>Passwortdatei</translation>
        </message>
        <message>
            <source>CA (TLS)</source>
            <translation>CA (TLS)</translation>
        </message>
        <message>
            <source>CA certificate</source>
            <translation>CA-Zertifikat</translation>
        </message>
        <message>
            <source>Connect</source>
            <translation>Verbinden</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Aktualisieren</translation>
        </message>
        <message>
            <source>Read the followers' status again</source>
            <translation>Den Status der Folger erneut lesen</translation>
        </message>
        <message>
            <source>Follower</source>
            <translation>Folger</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>Clock</source>
            <translation>Uhr</translation>
        </message>
        <message>
            <source>Error bound µs</source>
            <translation>Fehlergrenze µs</translation>
        </message>
        <message>
            <source>Rig</source>
            <translation>Aufbau</translation>
        </message>
        <message>
            <source>Followers</source>
            <translation>Folger</translation>
        </message>
        <message>
            <source>Error µs</source>
            <translation>Fehler µs</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Bilder</translation>
        </message>
        <message>
            <source>Firing error</source>
            <translation>Auslösefehler</translation>
        </message>
        <message>
            <source>No flash</source>
            <translation>Kein Blitz</translation>
        </message>
        <message>
            <source>Flash duration on each follower, from its rig's flash delay</source>
            <translation>Blitzdauer auf jedem Folger, ab der Blitzverzögerung seines Aufbaus</translation>
        </message>
        <message>
            <source>Capture at now + lead</source>
            <translation>Aufnahme bei jetzt + Vorlauf</translation>
        </message>
        <message>
            <source>Every online follower fires its camera trigger at T = now + lead; the lead comes from round trips measured through the broker</source>
            <translation>Jeder erreichbare Folger löst seine Kamera bei T = jetzt + Vorlauf aus; der Vorlauf ergibt sich aus über den Broker gemessenen Umlaufzeiten</translation>
        </message>
        <message>
            <source>Could not connect: %1</source>
            <translation>Keine Verbindung: %1</translation>
        </message>
        <message>
            <source>Could not subscribe: %1</source>
            <translation>Abonnieren fehlgeschlagen: %1</translation>
        </message>
        <message>
            <source>%1 of %2 follower(s) online.</source>
            <translation>%1 von %2 Folger(n) erreichbar.</translation>
        </message>
        <message>
            <source>Capturing on %1 follower(s) at now + %2 ms…</source>
            <translation>Aufnahme auf %1 Folger(n) bei jetzt + %2 ms…</translation>
        </message>
        <message>
            <source>No follower is online: start 'scopesync follow' on the rigs, then Refresh.</source>
            <translation>Kein Folger erreichbar: 'scopesync follow' auf den Aufbauten starten, dann Aktualisieren.</translation>
        </message>
        <message>
            <source>Not sent: %1</source>
            <translation>Nicht gesendet: %1</translation>
        </message>
        <message>
            <source>This build cannot reach a fleet (no MQTT support).</source>
            <translation>Diese Version kann keine Flotte erreichen (keine MQTT-Unterstützung).</translation>
        </message>
        <message>
            <source>Give the broker, the fleet's name and the leader's account, then Connect. The followers run 'scopesync follow' (docs/fleet.md).</source>
            <translation>Broker, Namen der Flotte und Konto des Leiters angeben, dann Verbinden. Auf den Folgern läuft 'scopesync follow' (docs/fleet.md).</translation>
        </message>
        <message>
            <source>Broker: give its address, e.g. mqtt://broker.lab:1883 (mqtts:// for TLS).</source>
            <translation>Broker: seine Adresse angeben, z. B. mqtt://broker.lab:1883 (mqtts:// für TLS).</translation>
        </message>
        <message>
            <source>Fleet: %1</source>
            <translation>Flotte: %1</translation>
        </message>
        <message>
            <source>Connecting to %1…</source>
            <translation>Verbinde mit %1…</translation>
        </message>
        <message>
            <source>Connected to %1 as %2; fleet %3: %4 of %5 follower(s) online.</source>
            <translation>Verbunden mit %1 als %2; Flotte %3: %4 von %5 Folger(n) erreichbar.</translation>
        </message>
        <message>
            <source>(no account)</source>
            <translation>(ohne Konto)</translation>
        </message>
        <message>
            <source>Reading the followers' status…</source>
            <translation>Lese den Status der Folger…</translation>
        </message>
        <message>
            <source>online</source>
            <translation>erreichbar</translation>
        </message>
        <message>
            <source>offline</source>
            <translation>getrennt</translation>
        </message>
        <message>
            <source>Measuring round trips through the broker…</source>
            <translation>Messe Umlaufzeiten über den Broker…</translation>
        </message>
        <message>
            <source>lead %1 ms (p99 round trip %2 ms over %3 samples%4)</source>
            <translation>Vorlauf %1 ms (p99-Umlaufzeit %2 ms aus %3 Messungen%4)</translation>
        </message>
        <message>
            <source>, the floor</source>
            <translation>, das Minimum</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>fehlgeschlagen</translation>
        </message>
        <message>
            <source>%1 in %2</source>
            <translation>%1 in %2</translation>
        </message>
        <message>
            <source>refused</source>
            <translation>abgelehnt</translation>
        </message>
        <message>
            <source>no reply</source>
            <translation>keine Antwort</translation>
        </message>
        <message>
            <source>%1: %2 of %3 follower(s) captured; firing error p50 %4 µs, p99 %5 µs, max |error| %6 µs, spread %7 µs.</source>
            <translation>%1: %2 von %3 Folger(n) haben aufgenommen; Auslösefehler p50 %4 µs, p99 %5 µs, max. |Fehler| %6 µs, Streuung %7 µs.</translation>
        </message>
        <message>
            <source>%1 did not: see the table.</source>
            <translation>%1 nicht: siehe Tabelle.</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::InstrumentControls</name>
        <message>
            <source>Filter</source>
            <translation>Filter</translation>
        </message>
        <message numerus="yes">
            <source>Move the focus %n step(s)</source>
            <translation>
                <numerusform>Fokus um einen Schritt bewegen</numerusform>
                <numerusform>Fokus um %n Schritte bewegen</numerusform>
            </translation>
        </message>
        <message>
            <source>Focus</source>
            <translation>Fokus</translation>
        </message>
        <message>
            <source> °C</source>
            <translation> °C</translation>
        </message>
        <message>
            <source>Set point</source>
            <translation>Sollwert</translation>
        </message>
        <message>
            <source>Heat</source>
            <translation>Heizen</translation>
        </message>
        <message>
            <source>Slide</source>
            <translation>Objektträger</translation>
        </message>
        <message>
            <source>this rig has no filter wheel</source>
            <translation>dieser Aufbau hat kein Filterrad</translation>
        </message>
        <message>
            <source>this rig has no focus drive</source>
            <translation>dieser Aufbau hat keinen Fokusantrieb</translation>
        </message>
        <message>
            <source>this rig has no heater</source>
            <translation>dieser Aufbau hat keine Heizung</translation>
        </message>
        <message>
            <source>moving…</source>
            <translation>fährt…</translation>
        </message>
        <message>
            <source>in place: %1</source>
            <translation>in Position: %1</translation>
        </message>
        <message>
            <source>at %1 steps</source>
            <translation>bei %1 Schritten</translation>
        </message>
        <message>
            <source>heater off: %1</source>
            <translation>Heizung aus: %1</translation>
        </message>
        <message>
            <source>no reading</source>
            <translation>kein Messwert</translation>
        </message>
        <message>
            <source>%1 °C → %2 °C, heater %3 %</source>
            <translation>%1 °C → %2 °C, Heizung %3 %</translation>
        </message>
        <message>
            <source>%1 °C, heater off</source>
            <translation>%1 °C, Heizung aus</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::InstrumentSetupSession</name>
        <message>
            <source>no rig is open</source>
            <translation>kein Aufbau geöffnet</translation>
        </message>
        <message>
            <source>the rig has no heater with a thermometer</source>
            <translation>der Aufbau hat keine Heizung mit Thermometer</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>abgebrochen</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::InstrumentSetupWizard</name>
        <message>
            <source>Instrument set-up</source>
            <translation>Instrument einrichten</translation>
        </message>
        <message>
            <source>cannot create the folder %1; check its permissions</source>
            <translation>der Ordner %1 kann nicht angelegt werden; prüfen Sie seine Berechtigungen</translation>
        </message>
        <message>
            <source>cannot write %1: %2; free the disk or fix the permission and press Save again</source>
            <translation>%1 kann nicht geschrieben werden: %2; schaffen Sie Platz auf dem Datenträger oder korrigieren Sie die Berechtigung und drücken Sie erneut Speichern</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::MainWindow</name>
        <message>
            <source>ScopeSync</source>
            <translation>ScopeSync</translation>
        </message>
        <message>
            <source>Protocol</source>
            <translation>Protokoll</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>Lauf</translation>
        </message>
        <message>
            <source>Manual</source>
            <translation>Manuell</translation>
        </message>
        <message>
            <source>Instrument</source>
            <translation>Instrument</translation>
        </message>
        <message>
            <source>Camera</source>
            <translation>Kamera</translation>
        </message>
        <message>
            <source>Timing</source>
            <translation>Timing</translation>
        </message>
        <message>
            <source>The rig could not be opened</source>
            <translation>Der Aufbau konnte nicht geöffnet werden</translation>
        </message>
        <message>
            <source>The image is flagged</source>
            <translation>Das Bild ist markiert</translation>
        </message>
        <message>
            <source>Every take of this image measured a different light from the one planned:
%1

The last take is saved as %2 and flagged in the folder's manifest.jsonl; look at the rig's load and the timing view, then capture again.</source>
            <translation>Jede Aufnahme dieses Bildes hat ein anderes Licht gemessen als geplant:
%1

Die letzte Aufnahme ist als %2 gespeichert und in der manifest.jsonl des Ordners markiert; prüfen Sie die Auslastung des Aufbaus und die Timing-Ansicht und nehmen Sie dann erneut auf.</translation>
        </message>
        <message>
            <source>Primary actions</source>
            <translation>Hauptaktionen</translation>
        </message>
        <message>
            <source>Live</source>
            <translation>Live</translation>
        </message>
        <message>
            <source>Live preview on/off (F5)</source>
            <translation>Live-Vorschau ein/aus (F5)</translation>
        </message>
        <message>
            <source>Capture</source>
            <translation>Aufnehmen</translation>
        </message>
        <message>
            <source>Save one image with the LED chosen in Manual (F6)</source>
            <translation>Ein Bild mit der unter Manuell gewählten LED speichern (F6)</translation>
        </message>
        <message>
            <source>Start run</source>
            <translation>Lauf starten</translation>
        </message>
        <message>
            <source>Run the protocol (Ctrl+R)</source>
            <translation>Protokoll ausführen (Strg+R)</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Stopp</translation>
        </message>
        <message>
            <source>Stop the run; every image saved so far is kept (Ctrl+.)</source>
            <translation>Lauf stoppen; alle bisher gespeicherten Bilder bleiben erhalten (Strg+.)</translation>
        </message>
        <message>
            <source>Open…</source>
            <translation>Öffnen…</translation>
        </message>
        <message>
            <source>Open a protocol, native or .454sp.json (Ctrl+O)</source>
            <translation>Ein Protokoll öffnen, eigenes Format oder .454sp.json (Strg+O)</translation>
        </message>
        <message>
            <source>Open protocol</source>
            <translation>Protokoll öffnen</translation>
        </message>
        <message>
            <source>Protocols (*.json);;All files (*)</source>
            <translation>Protokolle (*.json);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Calibrate…</source>
            <translation>Kalibrieren…</translation>
        </message>
        <message>
            <source>Find the rig's flash delay window (calibration wizard)</source>
            <translation>Das Blitzverzögerungsfenster des Aufbaus finden (Kalibrierassistent)</translation>
        </message>
        <message>
            <source>Rig doctor…</source>
            <translation>Aufbau-Diagnose…</translation>
        </message>
        <message>
            <source>Check this machine for the rig: camera, trigger mode, GPIO, permissions; shows each fix</source>
            <translation>Diesen Rechner für den Aufbau prüfen: Kamera, Trigger-Modus, GPIO, Berechtigungen; zeigt jede Behebung</translation>
        </message>
        <message>
            <source>The rig doctor is not available here; run 'scopesync doctor' in a terminal.</source>
            <translation>Die Aufbau-Diagnose ist hier nicht verfügbar; führen Sie 'scopesync doctor' in einem Terminal aus.</translation>
        </message>
        <message>
            <source>Panels</source>
            <translation>Bereiche</translation>
        </message>
        <message>
            <source>Fleet…</source>
            <translation>Flotte…</translation>
        </message>
        <message>
            <source>Lead a fleet of rigs: capture on every follower at the same instant, see each one's firing error</source>
            <translation>Eine Flotte von Aufbauten leiten: auf jedem Folger im selben Moment aufnehmen, den Auslösefehler jedes einzelnen sehen</translation>
        </message>
        <message>
            <source>Fleets are not available in this build.</source>
            <translation>Flotten sind in dieser Version nicht verfügbar.</translation>
        </message>
        <message>
            <source>Set up instrument…</source>
            <translation>Instrument einrichten…</translation>
        </message>
        <message>
            <source>Centre the filters, focus each filter and tune the heater; saved into the rig file</source>
            <translation>Filter zentrieren, jeden Filter fokussieren und die Heizung abstimmen; wird in der Aufbaudatei gespeichert</translation>
        </message>
        <message>
            <source>Dark theme</source>
            <translation>Dunkles Design</translation>
        </message>
        <message>
            <source>Dim colours for a darkened fluorescence room</source>
            <translation>Gedämpfte Farben für einen abgedunkelten Fluoreszenzraum</translation>
        </message>
        <message>
            <source>Full screen</source>
            <translation>Vollbild</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Beenden</translation>
        </message>
        <message>
            <source>A run is in progress</source>
            <translation>Ein Lauf ist im Gange</translation>
        </message>
        <message>
            <source>Stop the run and quit? Every image saved so far is kept.</source>
            <translation>Lauf stoppen und beenden? Alle bisher gespeicherten Bilder bleiben erhalten.</translation>
        </message>
        <message>
            <source>Open a protocol first (Open…).</source>
            <translation>Öffnen Sie zuerst ein Protokoll (Öffnen…).</translation>
        </message>
        <message>
            <source>The protocol has errors; fix them first:
%1</source>
            <translation>Das Protokoll hat Fehler; beheben Sie sie zuerst:
%1</translation>
        </message>
        <message>
            <source>The run was not started</source>
            <translation>Der Lauf wurde nicht gestartet</translation>
        </message>
        <message>
            <source>API %1</source>
            <translation>API %1</translation>
        </message>
        <message>
            <source>Scripts can drive this rig through %1 (bearer token required)</source>
            <translation>Skripte können diesen Aufbau über %1 steuern (Bearer-Token erforderlich)</translation>
        </message>
        <message>
            <source>API: %1 (%2)</source>
            <translation>API: %1 (%2)</translation>
        </message>
        <message>
            <source>Remote client: %1</source>
            <translation>Entfernter Client: %1</translation>
        </message>
        <message>
            <source>Nothing was saved: no run folder was created.</source>
            <translation>Nichts wurde gespeichert: es wurde kein Laufordner angelegt.</translation>
        </message>
        <message>
            <source>%1 of %2 images were saved in %3; each is complete and listed in manifest.jsonl.</source>
            <translation>%1 von %2 Bildern wurden in %3 gespeichert; jedes ist vollständig und in manifest.jsonl aufgeführt.</translation>
        </message>
        <message>
            <source>All LEDs are off.</source>
            <translation>Alle LEDs sind aus.</translation>
        </message>
        <message>
            <source>WARNING: an LED may still be on.</source>
            <translation>WARNUNG: eine LED ist möglicherweise noch an.</translation>
        </message>
        <message>
            <source>The run stopped</source>
            <translation>Der Lauf wurde gestoppt</translation>
        </message>
        <message>
            <source>What happened: %1

What was kept: %2

%3</source>
            <translation>Was geschah: %1

Was erhalten blieb: %2

%3</translation>
        </message>
        <message>
            <source>Calibration</source>
            <translation>Kalibrierung</translation>
        </message>
        <message>
            <source>A run is in progress; calibrate when it has finished.</source>
            <translation>Ein Lauf ist im Gange; kalibrieren Sie, wenn er beendet ist.</translation>
        </message>
        <message>
            <source>Flash delay %1 ms saved to %2</source>
            <translation>Blitzverzögerung %1 ms gespeichert in %2</translation>
        </message>
        <message>
            <source>Instrument set-up</source>
            <translation>Instrument einrichten</translation>
        </message>
        <message>
            <source>A run is in progress; set the instrument up when it has finished.</source>
            <translation>Ein Lauf ist im Gange; richten Sie das Instrument ein, wenn er beendet ist.</translation>
        </message>
        <message>
            <source>This rig has no filter wheel, focus drive or heater to set up. Describe them in the rig file (or import a 454 hardware configuration with 'scopesync rig import') and open it again.</source>
            <translation>Dieser Aufbau hat weder Filterrad noch Fokusantrieb noch Heizung zum Einrichten. Beschreiben Sie sie in der Aufbaudatei (oder importieren Sie eine 454-Hardwarekonfiguration mit 'scopesync rig import') und öffnen Sie sie erneut.</translation>
        </message>
        <message>
            <source>Instrument set-up saved to %1</source>
            <translation>Instrument-Einrichtung gespeichert in %1</translation>
        </message>
        <message>
            <source>Fleet</source>
            <translation>Flotte</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::ManualControls</name>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>LED</source>
            <translation>LED</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>Dauer</translation>
        </message>
        <message>
            <source>Flash</source>
            <translation>Blitzen</translation>
        </message>
        <message>
            <source>Capture image</source>
            <translation>Bild aufnehmen</translation>
        </message>
        <message>
            <source>Strobe live preview</source>
            <translation>Live-Vorschau blitzen</translation>
        </message>
        <message>
            <source>This rig has no LEDs: captures are dark frames.</source>
            <translation>Dieser Aufbau hat keine LEDs: Aufnahmen sind Dunkelbilder.</translation>
        </message>
        <message>
            <source>Up to %1 ms for %2 (the rig's safety limit). Strobed captures flash %3 ms after the frame trigger.</source>
            <translation>Bis zu %1 ms für %2 (Sicherheitsgrenze des Aufbaus). Geblitzte Aufnahmen blitzen %3 ms nach dem Bildtrigger.</translation>
        </message>
        <message>
            <source>Saved %1 in %2</source>
            <translation>%1 in %2 gespeichert</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::PreviewPanel</name>
        <message>
            <source>Tap the image for a pixel value</source>
            <translation>Tippen Sie auf das Bild für einen Pixelwert</translation>
        </message>
        <message>
            <source>B </source>
            <translation>S </translation>
        </message>
        <message>
            <source>Black level (12-bit)</source>
            <translation>Schwarzwert (12 Bit)</translation>
        </message>
        <message>
            <source>W </source>
            <translation>W </translation>
        </message>
        <message>
            <source>White level (12-bit)</source>
            <translation>Weißwert (12 Bit)</translation>
        </message>
        <message>
            <source>Auto</source>
            <translation>Automatisch</translation>
        </message>
        <message>
            <source>Set black and white from the histogram (0.1 % and 99.9 %)</source>
            <translation>Schwarz und Weiß aus dem Histogramm setzen (0,1 % und 99,9 %)</translation>
        </message>
        <message>
            <source>Colour</source>
            <translation>Farbe</translation>
        </message>
        <message>
            <source>False-colour palette</source>
            <translation>Falschfarbenpalette</translation>
        </message>
        <message>
            <source>Clip</source>
            <translation>Clipping</translation>
        </message>
        <message>
            <source>Mark overexposed pixels in red</source>
            <translation>Überbelichtete Pixel rot markieren</translation>
        </message>
        <message>
            <source>Fit</source>
            <translation>Einpassen</translation>
        </message>
        <message>
            <source>Zoom to fit (double-tap the image to zoom in)</source>
            <translation>Einpassen (Bild doppelt antippen zum Vergrößern)</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::PreviewWidget</name>
        <message>
            <source>x %1  y %2  value %3</source>
            <translation>x %1  y %2  Wert %3</translation>
        </message>
        <message>
            <source>No preview yet. Press Live to start the camera.</source>
            <translation>Noch keine Vorschau. Live drücken, um die Kamera zu starten.</translation>
        </message>
        <message>
            <source>ISP preview (processed); zoom in for raw pixels</source>
            <translation>ISP-Vorschau (verarbeitet); für Rohpixel hineinzoomen</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::ProtocolEditor</name>
        <message>
            <source>Add…</source>
            <translation>Hinzufügen…</translation>
        </message>
        <message>
            <source>Duplicate</source>
            <translation>Duplizieren</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Up</source>
            <translation>Nach oben</translation>
        </message>
        <message>
            <source>Down</source>
            <translation>Nach unten</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>Rückgängig</translation>
        </message>
        <message>
            <source>Redo</source>
            <translation>Wiederholen</translation>
        </message>
        <message>
            <source>Open…</source>
            <translation>Öffnen…</translation>
        </message>
        <message>
            <source>Import 454…</source>
            <translation>454 importieren…</translation>
        </message>
        <message>
            <source>Save…</source>
            <translation>Speichern…</translation>
        </message>
        <message>
            <source>Remove step</source>
            <translation>Schritt entfernen</translation>
        </message>
        <message>
            <source>Could not open %1; the problems are listed above.</source>
            <translation>%1 konnte nicht geöffnet werden; die Probleme sind oben aufgeführt.</translation>
        </message>
        <message>
            <source>Opened %1 with errors: the parts that could not be read are left out.</source>
            <translation>%1 mit Fehlern geöffnet: die nicht lesbaren Teile sind weggelassen.</translation>
        </message>
        <message>
            <source>Opened %1.</source>
            <translation>%1 geöffnet.</translation>
        </message>
        <message>
            <source>Not saved: ScopeSync saves its own format; choose a name ending in .json without .454sp, so the file is not mistaken for a 454 protocol.</source>
            <translation>Nicht gespeichert: ScopeSync speichert im eigenen Format; wählen Sie einen Namen auf .json ohne .454sp, damit die Datei nicht für ein 454-Protokoll gehalten wird.</translation>
        </message>
        <message>
            <source>Not saved: %1</source>
            <translation>Nicht gespeichert: %1</translation>
        </message>
        <message>
            <source>Saved %1.</source>
            <translation>%1 gespeichert.</translation>
        </message>
        <message>
            <source>454 Bio protocols (*.454sp.json)</source>
            <translation>454-Bio-Protokolle (*.454sp.json)</translation>
        </message>
        <message>
            <source>Protocols (*.json)</source>
            <translation>Protokolle (*.json)</translation>
        </message>
        <message>
            <source>Import a 454 protocol</source>
            <translation>Ein 454-Protokoll importieren</translation>
        </message>
        <message>
            <source>Open a protocol</source>
            <translation>Protokoll öffnen</translation>
        </message>
        <message>
            <source>Save the protocol</source>
            <translation>Protokoll speichern</translation>
        </message>
        <message>
            <source>Add %1</source>
            <translation>%1 hinzufügen</translation>
        </message>
        <message>
            <source>Duplicate step</source>
            <translation>Schritt duplizieren</translation>
        </message>
        <message>
            <source>Move step</source>
            <translation>Schritt verschieben</translation>
        </message>
        <message>
            <source>Edit %1</source>
            <translation>%1 bearbeiten</translation>
        </message>
        <message>
            <source>%1 (in the file): %2</source>
            <translation>%1 (in der Datei): %2</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>No problems found.</source>
            <translation>Keine Probleme gefunden.</translation>
        </message>
        <message>
            <source>%1 images · about %2</source>
            <translation>%1 Bilder · etwa %2</translation>
        </message>
        <message>
            <source> plus heating time</source>
            <translation> plus Heizzeit</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::ProtocolTreeModel</name>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 min %2 s</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>%1 %2</source>
            <translation>%1 %2</translation>
        </message>
        <message>
            <source> at %1 ‰</source>
            <translation> mit %1 ‰</translation>
        </message>
        <message>
            <source>no light</source>
            <translation>kein Licht</translation>
        </message>
        <message>
            <source>Group</source>
            <translation>Gruppe</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>Bild</translation>
        </message>
        <message>
            <source>Wait</source>
            <translation>Warten</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>Temperatur</translation>
        </message>
        <message>
            <source>Illuminate</source>
            <translation>Beleuchten</translation>
        </message>
        <message>
            <source>× %1</source>
            <translation>× %1</translation>
        </message>
        <message>
            <source>%1 through %2</source>
            <translation>%1 durch %2</translation>
        </message>
        <message>
            <source>%1 K (%2 °C)</source>
            <translation>%1 K (%2 °C)</translation>
        </message>
        <message>
            <source>%1 for %2</source>
            <translation>%1 für %2</translation>
        </message>
        <message>
            <source>, an image every %1</source>
            <translation>, ein Bild alle %1</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>Step</source>
            <translation>Schritt</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Details</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::RigCalibrationSession</name>
        <message>
            <source>no rig is open</source>
            <translation>kein Aufbau geöffnet</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>abgebrochen</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::RigController</name>
        <message>
            <source>%1 (strobed each frame)</source>
            <translation>%1 (bei jedem Bild geblitzt)</translation>
        </message>
        <message>
            <source>Flash</source>
            <translation>Blitzen</translation>
        </message>
        <message>
            <source>No rig is open.</source>
            <translation>Kein Aufbau ist geöffnet.</translation>
        </message>
        <message>
            <source>Flash refused</source>
            <translation>Blitz abgelehnt</translation>
        </message>
        <message>
            <source>%1 (flash)</source>
            <translation>%1 (Blitz)</translation>
        </message>
        <message>
            <source>Capture failed</source>
            <translation>Aufnahme fehlgeschlagen</translation>
        </message>
        <message>
            <source>The rig has no LED '%1'.</source>
            <translation>Der Aufbau hat keine LED '%1'.</translation>
        </message>
        <message>
            <source>A %1 ms flash is outside 1–%2 ms, the rig's safety limit for %3.</source>
            <translation>Ein Blitz von %1 ms liegt außerhalb von 1–%2 ms, der Sicherheitsgrenze des Aufbaus für %3.</translation>
        </message>
        <message>
            <source>Live preview</source>
            <translation>Live-Vorschau</translation>
        </message>
        <message>
            <source>no rig is open</source>
            <translation>kein Aufbau geöffnet</translation>
        </message>
        <message>
            <source>Live preview stopped</source>
            <translation>Live-Vorschau angehalten</translation>
        </message>
        <message>
            <source>Filter</source>
            <translation>Filter</translation>
        </message>
        <message>
            <source>This rig has no filter wheel.</source>
            <translation>Dieser Aufbau hat kein Filterrad.</translation>
        </message>
        <message>
            <source>Focus</source>
            <translation>Fokus</translation>
        </message>
        <message>
            <source>This rig has no focus drive.</source>
            <translation>Dieser Aufbau hat keinen Fokusantrieb.</translation>
        </message>
        <message>
            <source>Heater</source>
            <translation>Heizung</translation>
        </message>
        <message>
            <source>This rig has no heater.</source>
            <translation>Dieser Aufbau hat keine Heizung.</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::RowProfilePlot</name>
        <message>
            <source>row 0</source>
            <translation>Zeile 0</translation>
        </message>
        <message>
            <source>last row</source>
            <translation>letzte Zeile</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::RunPanel</name>
        <message>
            <source>Start</source>
            <translation>Start</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>Hold the run before its next step; press again to continue</source>
            <translation>Den Lauf vor dem nächsten Schritt anhalten; erneut drücken, um fortzufahren</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Stopp</translation>
        </message>
        <message>
            <source>Not started</source>
            <translation>Nicht gestartet</translation>
        </message>
        <message>
            <source>No protocol loaded</source>
            <translation>Kein Protokoll geladen</translation>
        </message>
        <message>
            <source>Protocol: %1</source>
            <translation>Protokoll: %1</translation>
        </message>
        <message>
            <source>%v / %m images</source>
            <translation>%v / %m Bilder</translation>
        </message>
        <message>
            <source>Saving into %1</source>
            <translation>Speichere in %1</translation>
        </message>
        <message>
            <source>Elapsed %1 · about %2 left</source>
            <translation>Vergangen %1 · noch etwa %2</translation>
        </message>
        <message>
            <source>%1: %2 (%3)</source>
            <translation>%1: %2 (%3)</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>Fortsetzen</translation>
        </message>
        <message>
            <source>Paused before: %1</source>
            <translation>Angehalten vor: %1</translation>
        </message>
        <message>
            <source>Completed: %1 images in %2</source>
            <translation>Abgeschlossen: %1 Bilder in %2</translation>
        </message>
        <message>
            <source>Stopped: %1. Kept %2 of %3 images in %4.</source>
            <translation>Gestoppt: %1. %2 von %3 Bildern in %4 behalten.</translation>
        </message>
        <message>
            <source>(no folder was created)</source>
            <translation>(es wurde kein Ordner angelegt)</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::ScoreCurvePlot</name>
        <message>
            <source>delay (ms)</source>
            <translation>Verzögerung (ms)</translation>
        </message>
        <message>
            <source>%1 ms: uniformity %2, %3 % of rows lit, dark edge %4</source>
            <translation>%1 ms: Gleichmäßigkeit %2, %3 % der Zeilen beleuchtet, dunkler Rand %4</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::StatusStrip</name>
        <message>
            <source>No rig open</source>
            <translation>Kein Aufbau geöffnet</translation>
        </message>
        <message>
            <source>simulated</source>
            <translation>simuliert</translation>
        </message>
        <message>
            <source>LEDs off</source>
            <translation>LEDs aus</translation>
        </message>
        <message>
            <source>LED on: %1</source>
            <translation>LED an: %1</translation>
        </message>
        <message>
            <source>run</source>
            <translation>Lauf</translation>
        </message>
        <message>
            <source>running</source>
            <translation>läuft</translation>
        </message>
        <message>
            <source>live</source>
            <translation>live</translation>
        </message>
        <message>
            <source>idle</source>
            <translation>bereit</translation>
        </message>
        <message>
            <source>%1 rig · %2 · %3 · %4 · %5 fps · missed %6, rejected %7 · preview dropped %8 of %9 · %10</source>
            <translation>Aufbau %1 · %2 · %3 · %4 · %5 fps · verpasst %6, verworfen %7 · Vorschau verwarf %8 von %9 · %10</translation>
        </message>
        <message>
            <source> · filter %1</source>
            <translation> · Filter %1</translation>
        </message>
        <message>
            <source>moving</source>
            <translation>in Bewegung</translation>
        </message>
        <message>
            <source> · focus %1</source>
            <translation> · Fokus %1</translation>
        </message>
        <message>
            <source> · heater OFF: %1</source>
            <translation> · Heizung AUS: %1</translation>
        </message>
        <message>
            <source> · %1 °C → %2 °C, heater %3 %</source>
            <translation> · %1 °C → %2 °C, Heizung %3 %</translation>
        </message>
        <message>
            <source> · %1 °C</source>
            <translation> · %1 °C</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::StepForm</name>
        <message>
            <source>Kind</source>
            <translation>Art</translation>
        </message>
        <message>
            <source>e.g. 645 or Before incorporation</source>
            <translation>z. B. 645 oder Vor dem Einbau</translation>
        </message>
        <message>
            <source>Label</source>
            <translation>Bezeichnung</translation>
        </message>
        <message>
            <source> times</source>
            <translation> Mal</translation>
        </message>
        <message>
            <source>Repeat</source>
            <translation>Wiederholen</translation>
        </message>
        <message>
            <source>Emission filter</source>
            <translation>Emissionsfilter</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>Dauer</translation>
        </message>
        <message>
            <source> K</source>
            <translation> K</translation>
        </message>
        <message>
            <source>Temperature</source>
            <translation>Temperatur</translation>
        </message>
        <message>
            <source>= %1 °C</source>
            <translation>= %1 °C</translation>
        </message>
        <message>
            <source>Capture every</source>
            <translation>Aufnahme alle</translation>
        </message>
        <message>
            <source>While lit</source>
            <translation>Während der Beleuchtung</translation>
        </message>
        <message>
            <source>LED</source>
            <translation>LED</translation>
        </message>
        <message>
            <source>Duration (ms)</source>
            <translation>Dauer (ms)</translation>
        </message>
        <message>
            <source>Intensity (‰)</source>
            <translation>Intensität (‰)</translation>
        </message>
        <message>
            <source>Flashes</source>
            <translation>Blitze</translation>
        </message>
        <message>
            <source>Add flash</source>
            <translation>Blitz hinzufügen</translation>
        </message>
        <message>
            <source>Remove flash</source>
            <translation>Blitz entfernen</translation>
        </message>
        <message>
            <source>Select a step in the tree</source>
            <translation>Wählen Sie einen Schritt im Baum</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(keine)</translation>
        </message>
        <message>
            <source>%1 (not on this rig)</source>
            <translation>%1 (nicht an diesem Aufbau)</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::TemperaturePlot</name>
        <message>
            <source>Temperature plot</source>
            <translation>Temperaturverlauf</translation>
        </message>
        <message>
            <source>no temperature yet</source>
            <translation>noch keine Temperatur</translation>
        </message>
        <message>
            <source>last %1 min</source>
            <translation>letzte %1 min</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::TimingView</name>
        <message>
            <source>Tap or point at the plot for times, rows and pulses.</source>
            <translation>Tippen oder zeigen Sie auf das Diagramm für Zeiten, Zeilen und Pulse.</translation>
        </message>
        <message>
            <source>trigger</source>
            <translation>Trigger</translation>
        </message>
        <message>
            <source>%1 µs</source>
            <translation>%1 µs</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>rows
0–%1</source>
            <translation>Zeilen
0–%1</translation>
        </message>
        <message>
            <source>rows</source>
            <translation>Zeilen</translation>
        </message>
        <message>
            <source>t = %1 after the trigger</source>
            <translation>t = %1 nach dem Trigger</translation>
        </message>
        <message>
            <source> · row %1 exposes %2 – %3 (%4)</source>
            <translation> · Zeile %1 belichtet %2 – %3 (%4)</translation>
        </message>
        <message>
            <source>exposing now</source>
            <translation>belichtet gerade</translation>
        </message>
        <message>
            <source>not exposing now</source>
            <translation>belichtet gerade nicht</translation>
        </message>
        <message>
            <source>%1 %2 %</source>
            <translation>%1 %2 %</translation>
        </message>
        <message>
            <source>This row receives: %1</source>
            <translation>Diese Zeile erhält: %1</translation>
        </message>
        <message>
            <source> · trigger edge at 0; row 0 starts exposing %1 later</source>
            <translation> · Triggerflanke bei 0; Zeile 0 beginnt %1 später zu belichten</translation>
        </message>
        <message>
            <source>planned %1 – %2</source>
            <translation>geplant %1 – %2</translation>
        </message>
        <message>
            <source>valid starts %1 – %2</source>
            <translation>gültige Starts %1 – %2</translation>
        </message>
        <message>
            <source>no start lights every row: needs a shutter ≥ %1</source>
            <translation>kein Startzeitpunkt beleuchtet alle Zeilen: Belichtungszeit ≥ %1 nötig</translation>
        </message>
        <message>
            <source>measured %1 at %2 (%3 from intended)</source>
            <translation>gemessen %1 bei %2 (%3 vom Sollwert)</translation>
        </message>
        <message>
            <source>on</source>
            <translation>an</translation>
        </message>
        <message>
            <source>off</source>
            <translation>aus</translation>
        </message>
        <message>
            <source> · %1</source>
            <translation> · %1</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::XyPlot</name>
        <message>
            <source>no measurement yet</source>
            <translation>noch keine Messung</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CalibrationChecksPage</name>
        <message>
            <source>Before calibrating</source>
            <translation>Vor dem Kalibrieren</translation>
        </message>
        <message>
            <source>Rig: %1 backend, %2 %3×%4, trigger %5, LEDs %6</source>
            <translation>Aufbau: Backend %1, %2 %3×%4, Trigger %5, LEDs %6</translation>
        </message>
        <message>
            <source>Rolling shutter: the flash must land while every row exposes.</source>
            <translation>Rolling Shutter: der Blitz muss fallen, während alle Zeilen belichten.</translation>
        </message>
        <message>
            <source>Global shutter: every row exposes together; the window starts at the trigger.</source>
            <translation>Global Shutter: alle Zeilen belichten gleichzeitig; das Fenster beginnt beim Trigger.</translation>
        </message>
        <message>
            <source>✔ Camera settings are fixed (shutter %1 ms, gain %2).</source>
            <translation>✔ Die Kameraeinstellungen sind festgelegt (Belichtungszeit %1 ms, Verstärkung %2).</translation>
        </message>
        <message>
            <source>⚠ Camera settings are not fully fixed: %1. Scores compare frames, so fix them first for a trustworthy result.</source>
            <translation>⚠ Die Kameraeinstellungen sind nicht vollständig festgelegt: %1. Die Bewertung vergleicht Bilder, legen Sie sie daher zuerst fest, um ein verlässliches Ergebnis zu erhalten.</translation>
        </message>
        <message>
            <source>ℹ No trigger wire (free-run): the flashes follow frame starts predicted from the camera's timestamps, so the window found is only as precise as those timestamps.</source>
            <translation>ℹ Kein Trigger-Kabel (Freilauf): Die Blitze folgen Bildanfängen, die aus den Zeitstempeln der Kamera vorhergesagt werden; das gefundene Fenster ist daher nur so genau wie diese Zeitstempel.</translation>
        </message>
        <message>
            <source>A slide is in place, focused, and will not move during calibration</source>
            <translation>Ein Objektträger liegt auf, ist fokussiert und bewegt sich während der Kalibrierung nicht</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CalibrationResultPage</name>
        <message>
            <source>Result</source>
            <translation>Ergebnis</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>Übernehmen</translation>
        </message>
        <message>
            <source>&lt;b&gt;Recommended delay: %1 ms&lt;/b&gt; (%2)&lt;br&gt;Valid window: %3 – %4 ms after the trigger (%5 ms wide)&lt;br&gt;The model predicted %6 – %7 ms: this rig's trigger offset is %8 ms.&lt;br&gt;%9 frames, %10.&lt;br&gt;&lt;br&gt;Apply saves this as the rig's calibration profile at&lt;br&gt;&lt;tt&gt;%11&lt;/tt&gt;&lt;br&gt;Runs use its delay by default and warn when the sensor mode, shutter or flash differ.</source>
            <translation>&lt;b&gt;Empfohlene Verzögerung: %1 ms&lt;/b&gt; (%2)&lt;br&gt;Gültiges Fenster: %3 – %4 ms nach dem Trigger (%5 ms breit)&lt;br&gt;Das Modell sagte %6 – %7 ms voraus: der Trigger-Versatz dieses Aufbaus beträgt %8 ms.&lt;br&gt;%9 Bilder, %10.&lt;br&gt;&lt;br&gt;Übernehmen speichert dies als Kalibrierprofil des Aufbaus unter&lt;br&gt;&lt;tt&gt;%11&lt;/tt&gt;&lt;br&gt;Läufe verwenden standardmäßig diese Verzögerung und warnen, wenn Sensormodus, Belichtung oder Blitz abweichen.</translation>
        </message>
        <message>
            <source>earliest + %1 ms</source>
            <translation>frühestens + %1 ms</translation>
        </message>
        <message>
            <source>centre</source>
            <translation>Mitte</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CalibrationRunPage</name>
        <message>
            <source>Searching</source>
            <translation>Suche</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>Frame %1 (%2) at %3 ms: uniformity %4, dark edge: %5.&lt;br&gt;Window so far: %6 – %7 ms</source>
            <translation>Bild %1 (%2) bei %3 ms: Gleichmäßigkeit %4, dunkler Rand: %5.&lt;br&gt;Bisheriges Fenster: %6 – %7 ms</translation>
        </message>
        <message>
            <source>Done in %1 frames: window %2 – %3 ms.</source>
            <translation>Fertig nach %1 Bildern: Fenster %2 – %3 ms.</translation>
        </message>
        <message>
            <source>⚠ Calibration stopped: %1&lt;br&gt;Nothing was saved; every LED is off. Go back to change the settings.</source>
            <translation>⚠ Kalibrierung gestoppt: %1&lt;br&gt;Nichts wurde gespeichert; alle LEDs sind aus. Gehen Sie zurück, um die Einstellungen zu ändern.</translation>
        </message>
        <message>
            <source>Starting the rig…</source>
            <translation>Aufbau wird gestartet…</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::CalibrationSetupPage</name>
        <message>
            <source>Light and target</source>
            <translation>Licht und Ziel</translation>
        </message>
        <message>
            <source>LED</source>
            <translation>LED</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>Flash</source>
            <translation>Blitzen</translation>
        </message>
        <message>
            <source>Centre of the window (most tolerant)</source>
            <translation>Mitte des Fensters (am tolerantesten)</translation>
        </message>
        <message>
            <source>Earliest, with a margin of</source>
            <translation>Frühestens, mit einem Abstand von</translation>
        </message>
        <message>
            <source>Recommend</source>
            <translation>Empfehlung</translation>
        </message>
        <message>
            <source>Plain sweep instead (every step, slower; shows the whole curve)</source>
            <translation>Stattdessen einfacher Durchlauf (jeder Schritt, langsamer; zeigt die ganze Kurve)</translation>
        </message>
        <message>
            <source>step</source>
            <translation>Schritt</translation>
        </message>
        <message>
            <source>Sweep</source>
            <translation>Durchlauf</translation>
        </message>
        <message>
            <source>The sensor model predicts a window of %1 – %2 ms after the trigger; the rig's own trigger offset moves it, which is what the calibration measures.</source>
            <translation>Das Sensormodell sagt ein Fenster von %1 – %2 ms nach dem Trigger voraus; der eigene Trigger-Versatz des Aufbaus verschiebt es, und genau das misst die Kalibrierung.</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::HeaterSetupPage</name>
        <message>
            <source>Tune the heater</source>
            <translation>Heizung abstimmen</translation>
        </message>
        <message>
            <source> ‰</source>
            <translation> ‰</translation>
        </message>
        <message>
            <source>Step duty</source>
            <translation>Tastgrad des Sprungs</translation>
        </message>
        <message>
            <source> °C</source>
            <translation> °C</translation>
        </message>
        <message>
            <source>Predict at</source>
            <translation>Vorhersage bei</translation>
        </message>
        <message>
            <source>Start step test</source>
            <translation>Sprungtest starten</translation>
        </message>
        <message>
            <source>Save P and I</source>
            <translation>P und I speichern</translation>
        </message>
        <message>
            <source>The step test turns the heater on at the step's duty from cold and records the temperature until it levels off (minutes). The heater is off at its end, on Cancel and on any sensor fault.</source>
            <translation>Der Sprungtest schaltet die Heizung aus dem kalten Zustand mit dem Tastgrad des Sprungs ein und zeichnet die Temperatur auf, bis sie sich einpendelt (Minuten). An seinem Ende, bei Abbrechen und bei jedem Sensorfehler ist die Heizung aus.</translation>
        </message>
        <message>
            <source>s</source>
            <translation>s</translation>
        </message>
        <message>
            <source>°C: step response, fitted model</source>
            <translation>°C: Sprungantwort, angepasstes Modell</translation>
        </message>
        <message>
            <source>°C predicted: proposed, rig's now</source>
            <translation>°C vorhergesagt: Vorschlag, aktuell im Aufbau</translation>
        </message>
        <message>
            <source>Step test: %1 s, %2 °C; the heater is on at %3 ‰. Cancel turns it off.</source>
            <translation>Sprungtest: %1 s, %2 °C; die Heizung läuft mit %3 ‰. Abbrechen schaltet sie aus.</translation>
        </message>
        <message>
            <source>⚠ Step test stopped, heater off: %1</source>
            <translation>⚠ Sprungtest gestoppt, Heizung aus: %1</translation>
        </message>
        <message>
            <source>Cancel (heater off)</source>
            <translation>Abbrechen (Heizung aus)</translation>
        </message>
        <message>
            <source>⚠ No model fits this step response: %1</source>
            <translation>⚠ Kein Modell passt zu dieser Sprungantwort: %1</translation>
        </message>
        <message>
            <source>fit</source>
            <translation>Modell</translation>
        </message>
        <message>
            <source>proposed</source>
            <translation>Vorschlag</translation>
        </message>
        <message>
            <source>now</source>
            <translation>aktuell</translation>
        </message>
        <message>
            <source>does not settle within %1 s</source>
            <translation>in %1 s nicht eingeschwungen</translation>
        </message>
        <message>
            <source>settles in %1 s</source>
            <translation>in %1 s eingeschwungen</translation>
        </message>
        <message>
            <source>settled</source>
            <translation>eingeschwungen</translation>
        </message>
        <message>
            <source>Model: %1 K per 100 ‰, time constant %2 s, dead time %3 s (fit rms %4 K).
Proposed P %5 ‰/K, I %6 ‰/(K·s): to %7 °C %8, overshoot %9 K.
The rig's P %10, I %11: %12, overshoot %13 K.</source>
            <translation>Modell: %1 K pro 100 ‰, Zeitkonstante %2 s, Totzeit %3 s (RMS der Anpassung %4 K).
Vorschlag P %5 ‰/K, I %6 ‰/(K·s): auf %7 °C %8, Überschwingen %9 K.
Aktuell im Aufbau P %10, I %11: %12, Überschwingen %13 K.</translation>
        </message>
        <message>
            <source>✔ Saved P %1 ‰/K and I %2 ‰/(K·s) into %3</source>
            <translation>✔ P %1 ‰/K und I %2 ‰/(K·s) in %3 gespeichert</translation>
        </message>
        <message>
            <source>⚠ Not saved: %1</source>
            <translation>⚠ Nicht gespeichert: %1</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::PositionSetupPage</name>
        <message>
            <source>Centre each filter</source>
            <translation>Jeden Filter zentrieren</translation>
        </message>
        <message>
            <source>Focus each filter</source>
            <translation>Jeden Filter fokussieren</translation>
        </message>
        <message>
            <source>no frame yet</source>
            <translation>noch kein Bild</translation>
        </message>
        <message>
            <source>Filter, LED</source>
            <translation>Filter, LED</translation>
        </message>
        <message>
            <source> steps</source>
            <translation> Schritte</translation>
        </message>
        <message>
            <source> µs</source>
            <translation> µs</translation>
        </message>
        <message>
            <source>Wheel at</source>
            <translation>Radposition</translation>
        </message>
        <message>
            <source>Focus at</source>
            <translation>Fokusposition</translation>
        </message>
        <message>
            <source>Scan</source>
            <translation>Scannen</translation>
        </message>
        <message>
            <source>Measure the light either side of this position and find its centre</source>
            <translation>Das Licht zu beiden Seiten dieser Position messen und die Mitte finden</translation>
        </message>
        <message>
            <source>Measure the sharpness over a range around this position</source>
            <translation>Die Schärfe über einen Bereich um diese Position messen</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <source>steps</source>
            <translation>Schritte</translation>
        </message>
        <message>
            <source>µs</source>
            <translation>µs</translation>
        </message>
        <message>
            <source>light (of full scale)</source>
            <translation>Licht (Anteil der Vollaussteuerung)</translation>
        </message>
        <message>
            <source>sharpness</source>
            <translation>Schärfe</translation>
        </message>
        <message>
            <source>At %1: %2 % of full scale through the filter</source>
            <translation>Bei %1: %2 % der Vollaussteuerung durch den Filter</translation>
        </message>
        <message>
            <source>At %1 steps: sharpness %2</source>
            <translation>Bei %1 Schritten: Schärfe %2</translation>
        </message>
        <message>
            <source>Scanning: %1 of %2 positions</source>
            <translation>Scan: %1 von %2 Positionen</translation>
        </message>
        <message>
            <source>Best at %1 (contrast %2 %); the wheel moves there. Save keeps it.</source>
            <translation>Am besten bei %1 (Kontrast %2 %); das Rad fährt dorthin. Speichern übernimmt den Wert.</translation>
        </message>
        <message>
            <source>⚠ %1</source>
            <translation>⚠ %1</translation>
        </message>
        <message>
            <source>Cancel scan</source>
            <translation>Scan abbrechen</translation>
        </message>
        <message>
            <source>Save for %1</source>
            <translation>Für %1 speichern</translation>
        </message>
        <message>
            <source>✔ Saved %1 for %2 into %3</source>
            <translation>✔ %1 für %2 in %3 gespeichert</translation>
        </message>
        <message>
            <source>⚠ Not saved: %1</source>
            <translation>⚠ Nicht gespeichert: %1</translation>
        </message>
    </context>
    <context>
        <name>scopesync::ui::SetupIntroPage</name>
        <message>
            <source>Set the instrument up</source>
            <translation>Instrument einrichten</translation>
        </message>
        <message>
            <source>Filter wheel (%1): centre each filter in the beam.</source>
            <translation>Filterrad (%1): jeden Filter im Strahlengang zentrieren.</translation>
        </message>
        <message>
            <source>No filter wheel in this rig.</source>
            <translation>Kein Filterrad in diesem Aufbau.</translation>
        </message>
        <message>
            <source>Focus (%1): find each filter's sharpest position.</source>
            <translation>Fokus (%1): für jeden Filter die schärfste Position finden.</translation>
        </message>
        <message>
            <source>No focus drive in this rig.</source>
            <translation>Kein Fokusantrieb in diesem Aufbau.</translation>
        </message>
        <message>
            <source>Heater (%1): a step test proposes P and I and predicts the settling.</source>
            <translation>Heizung (%1): ein Sprungtest schlägt P und I vor und sagt das Einschwingen voraus.</translation>
        </message>
        <message>
            <source>No heater in this rig.</source>
            <translation>Keine Heizung in diesem Aufbau.</translation>
        </message>
        <message>
            <source>The built-in simulated rig has no file: the first Save writes it to %1 (start with --rig %1 to use it).</source>
            <translation>Der eingebaute simulierte Aufbau hat keine Datei: das erste Speichern schreibt ihn nach %1 (mit --rig %1 starten, um ihn zu verwenden).</translation>
        </message>
        <message>
            <source>Each Save writes one value into %1, keeping every other field.</source>
            <translation>Jedes Speichern schreibt einen Wert in %1 und lässt alle anderen Felder unverändert.</translation>
        </message>
        <message>
            <source>Nothing is saved until you press a page's Save button; Cancel keeps what was saved.</source>
            <translation>Nichts wird gespeichert, bevor Sie auf einer Seite Speichern drücken; Abbrechen behält, was bereits gespeichert wurde.</translation>
        </message>
    </context>
</TS>
