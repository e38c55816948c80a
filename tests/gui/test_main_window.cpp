// The main window on the simulated rig, driven through its real widgets (offscreen).
#include "core/acquisition/rig_description.h"
#include "core/storage/manifest_reader.h"
#include "core/storage/tiff_reader.h"
#include "hal/rig_factory.h"
#include "ui/calibration/instrument_setup_wizard.h"
#include "ui/common/frame_mailbox.h"
#include "ui/common/touch_spin_box.h"
#include "ui/controls/instrument_controls.h"
#include "ui/controls/manual_controls.h"
#include "ui/controls/temperature_plot.h"
#include "ui/main_window/main_window.h"
#include "ui/main_window/status_strip.h"
#include "ui/preview/level_lut.h"
#include "ui/preview/preview_panel.h"
#include "ui/preview/preview_widget.h"
#include "ui/run/run_panel.h"
#include "ui/timing_view/timing_view.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

#include <cerrno>
#include <cstring>
#include <memory>
#include <sys/mount.h>
#include <thread>

using namespace scopesync;
using namespace std::chrono_literals;

namespace {

// The reference rig in its 2028×1520 mode: the same physics at a quarter of the rendering cost.
ui::MainWindowOptions simOptions(const QString &runsDir)
{
    ui::MainWindowOptions o;
    o.rig = core::acquisition::RigDescription::referenceSim();
    o.rig.modeWidth = 2028;
    o.rig.modeHeight = 1520;
    o.runsDirectory = runsDir;
    return o;
}

ui::RigFactory simFactory()
{
    return [](const core::acquisition::RigDescription &rig, const core::camera::CameraSettings &s) {
        return hal::createRig(rig, s, hal::RigFactoryOptions {false, false, true});
    };
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ui::MainWindow> m_window;

    ui::MainWindow &window()
    {
        if (!m_window) {
            m_window = std::make_unique<ui::MainWindow>(
                simFactory(), simOptions(m_dir.filePath(QStringLiteral("runs"))));
            m_window->show();
        }
        return *m_window;
    }
    ui::PreviewWidget &preview() { return *window().previewPanel()->preview(); }
    // Stops live preview and lets the last frame settle, so renderings compare like for like.
    void freeze()
    {
        window().controller()->setLive(false);
        QTest::qWait(600);
        QCoreApplication::processEvents();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("ScopeSyncTest"));
        QSettings::setPath(
            QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QSettings().clear();
    }

    void cleanupTestCase() { m_window.reset(); }

    void mailboxKeepsNewestAndCountsDrops()
    {
        ui::FrameMailbox box;
        auto a = std::make_shared<ui::PreviewFrame>();
        a->sequence = 1;
        auto b = std::make_shared<ui::PreviewFrame>();
        b->sequence = 2;
        QVERIFY(box.put(a));  // empty: the reader needs a wake-up
        QVERIFY(!box.put(b));  // replaced unread: dropped, no second wake-up
        QCOMPARE(box.dropped(), 1);
        auto got = box.take();
        QVERIFY(got);
        QCOMPARE(got->sequence, 2);
        QVERIFY(!box.take());
    }

    void previewReceivesFrames()
    {
        auto &w = window();
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->isOpen(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(preview().framesShown() >= 3, 30000);
        const auto &frame = preview().frame();
        QVERIFY(frame);
        QCOMPARE(frame->full->width, 2028);
        // Binned for the screen: whole bins of the frame, a display pixel no wider than kMaxUpscale screen
        // pixels.
        QVERIFY(frame->display.width * frame->bin <= 2028);
        QVERIFY(frame->display.width * frame->bin > 2028 - frame->bin);
        QVERIFY(frame->display.width <= ui::RigController::kPreviewMaxSide);
        const QSize shown = preview().view().devicePixels;
        const double fit = std::min(shown.width() / 2028.0, shown.height() / 1520.0);
        QVERIFY2(frame->display.width * ui::PreviewFrame::kMaxUpscale >= 2028 * fit,
            qPrintable(QStringLiteral("display %1 px wide for %2 px on screen")
                           .arg(frame->display.width)
                           .arg(2028 * fit)));
        // At fit the rendering is at the screen's pixels: it fills the view in one direction (the frame's
        // aspect ratio) and is painted without scaling.
        const QSize rendered = preview().rendered().size() * preview().rendered().devicePixelRatio();
        QVERIFY2((std::abs(rendered.width() - shown.width()) <= 1 && rendered.height() <= shown.height())
                || (std::abs(rendered.height() - shown.height()) <= 1 && rendered.width() <= shown.width()),
            qPrintable(QStringLiteral("rendered %1x%2 in a view of %3x%4")
                           .arg(rendered.width())
                           .arg(rendered.height())
                           .arg(shown.width())
                           .arg(shown.height())));
        QVERIFY(std::abs(rendered.width() * 1520.0 / 2028.0 - rendered.height()) <= 1.0);
        QTRY_VERIFY_WITH_TIMEOUT(w.statusStrip()->status().framesPerSecond > 1.0, 10000);
        QVERIFY(w.statusStrip()->text().contains(QStringLiteral("imx477")));
    }

    void guiBlockedCameraKeepsGoing()
    {
        auto &w = window();
        w.controller()->setLive(true);
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->workerFrames() > 0, 10000);
        const qint64 droppedBefore = w.controller()->mailbox().dropped();
        const qint64 workerBefore = w.controller()->workerFrames();
        // The GUI thread does nothing for 2 s (no events): the worker must keep taking frames.
        std::this_thread::sleep_for(2000ms);
        const qint64 workerAfter = w.controller()->workerFrames();
        QVERIFY2(workerAfter - workerBefore >= 3,
            qPrintable(QStringLiteral("worker took %1 frames while the GUI was blocked")
                           .arg(workerAfter - workerBefore)));
        QVERIFY(w.controller()->mailbox().dropped() > droppedBefore);
        const qint64 shown = preview().framesShown();
        QTRY_VERIFY_WITH_TIMEOUT(preview().framesShown() > shown, 5000);
    }

    void levelsFalseColourAndZoomChangeTheRendering()
    {
        auto &w = window();
        QTRY_VERIFY_WITH_TIMEOUT(preview().framesShown() >= 1, 20000);
        freeze();
        auto *panel = w.previewPanel();
        panel->setLevels(0, 4095);
        const QImage wide = preview().rendered();
        panel->whiteBox()->setValue(600);  // as a user types or presses +/−
        QCOMPARE(preview().lut().white(), 600);
        const QImage narrow = preview().rendered();
        QVERIFY(wide != narrow);
        // A narrower window brightens: the mean grey rises.
        const auto meanGrey = [](const QImage &img) {
            double sum = 0;
            for (int y = 0; y < img.height(); y += 8)
                for (int x = 0; x < img.width(); x += 8)
                    sum += qGray(img.pixel(x, y));
            return sum;
        };
        QVERIFY(meanGrey(narrow) > meanGrey(wide));

        QTest::mouseClick(panel->falseColourButton(), Qt::LeftButton);
        QVERIFY(preview().lut().falseColour());
        const QImage colour = preview().rendered();
        bool anyColoured = false;
        for (int y = 0; y < colour.height() && !anyColoured; y += 8)
            for (int x = 0; x < colour.width() && !anyColoured; x += 8) {
                const QRgb c = colour.pixel(x, y);
                anyColoured
                    = c != ui::LevelLut::kOverexposed && (qRed(c) != qGreen(c) || qGreen(c) != qBlue(c));
            }
        QVERIFY(anyColoured);
        QTest::mouseClick(panel->falseColourButton(), Qt::LeftButton);

        const QImage before = preview().grab().toImage();
        const int binAtFit = preview().frame()->bin;
        QVERIFY2(binAtFit > 1, "the small offscreen preview bins the frame");
        preview().setZoom(4.0);
        QCOMPARE(preview().zoom(), 4.0);
        // The still frame is binned again for the zoomed view: finer, the same frame.
        const qint64 sequence = preview().frame()->sequence;
        QTRY_VERIFY_WITH_TIMEOUT(preview().frame()->bin < binAtFit, 5000);
        QCOMPARE(preview().frame()->sequence, sequence);
        const QImage after = preview().grab().toImage();
        QVERIFY(before != after);
        QTest::mouseClick(panel->fitButton(), Qt::LeftButton);
        QCOMPARE(preview().zoom(), 1.0);

        // A tap reports the sensor value under the finger.
        const QPoint centre = preview().rect().center();
        QTest::mousePress(&preview(), Qt::LeftButton, {}, centre);
        QTest::mouseRelease(&preview(), Qt::LeftButton, {}, centre);
        const auto r = preview().readoutAt(centre);
        QVERIFY(r);
        QCOMPARE(r->value, int(preview().frame()->full->at(r->x, r->y)));
        QVERIFY(panel->readoutLabel()->text().contains(QString::number(r->value)));
    }

    void manualCaptureWritesOmeTiff()
    {
        auto &w = window();
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->isOpen(), 20000);
        auto *manual = w.manualControls();
        manual->ledBox()->setCurrentText(QStringLiteral("green"));
        manual->durationBox()->setValue(150);
        QCOMPARE(manual->durationBox()->maximum(),
            double(w.controller()->description().maxOnFor(QStringLiteral("green")).count()));
        QSignalSpy saved(w.controller(), &ui::RigController::manualCaptured);
        QSignalSpy errors(w.controller(), &ui::RigController::errorOccurred);
        w.dock(QStringLiteral("manualDock"))->raise();  // as a finger taps its tab
        QTRY_VERIFY(manual->captureButton()->isVisible());
        QTest::mouseClick(manual->captureButton(), Qt::LeftButton);
        QVERIFY2(saved.wait(30000),
            errors.isEmpty() ? "no file, no error" : qPrintable(errors.first().at(1).toString()));
        const QString file = saved.first().first().toString();
        auto tiff = core::storage::TiffReader::read(file);
        QVERIFY2(tiff.ok(), qPrintable(file));
        QCOMPARE(tiff->image.width, 2028);
        QVERIFY(tiff->description.contains("OME"));
        QVERIFY(file.contains(QStringLiteral("manual-")));
        auto manifest = core::storage::ManifestReader::read(w.controller()->manualFolder());
        QVERIFY(manifest.ok());
        // A take whose light differs from the plan is kept, flagged and taken again (at most twice); the file
        // reported is the last take, and it is a good one.
        const auto &entries = manifest->entries;
        QVERIFY(!entries.isEmpty() && entries.size() <= 1 + ui::RigController::kManualRetakes);
        for (qsizetype i = 0; i < entries.size(); ++i) {
            QCOMPARE(entries[i].retake, int(i));
            QCOMPARE(entries[i].led, QStringLiteral("green"));
            if (i + 1 < entries.size())
                QVERIFY2(!entries[i].doseProblems.isEmpty(), "a good take was taken again");
        }
        QVERIFY2(entries.last().doseProblems.isEmpty(), qPrintable(entries.last().doseProblems.join(u'\n')));
        QVERIFY(file.endsWith(entries.last().file));
    }

    void flashBeyondTheSafetyLimitIsRefused()
    {
        auto &w = window();
        QSignalSpy errors(w.controller(), &ui::RigController::errorOccurred);
        w.controller()->flash(QStringLiteral("red"), 5000ms);
        QVERIFY(errors.wait(10000));
        QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("led_max_on_ms")));
        QTRY_VERIFY_WITH_TIMEOUT(w.statusStrip()->status().ledsOff, 5000);
        // The dialog says it without blocking anything; close it.
        for (auto *box : w.findChildren<QWidget *>(QStringLiteral("errorDialog")))
            box->close();
    }

    void instrumentPanelMovesTheWheelAndHoldsASetPoint()
    {
        auto &w = window();
        ui::InstrumentControls *panel = w.instrumentControls();
        QCOMPARE(panel->filterBox()->count(), 5);  // the reference rig's wheel
        const int green = panel->filterBox()->findText(QStringLiteral("green"));
        QVERIFY(green >= 0);
        panel->filterBox()->setCurrentIndex(green);
        Q_EMIT panel->filterBox()->activated(green);
        // The wheel turns (no filter while it moves), then green is in place and the focus at green's
        // position.
        QTRY_COMPARE_WITH_TIMEOUT(w.statusStrip()->status().filterInPlace, QStringLiteral("green"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(w.statusStrip()->status().focusSteps, std::optional<int>(-1525), 10000);
        QVERIFY(w.statusStrip()->text().contains(QStringLiteral("filter green")));

        panel->setPointBox()->setValue(58.0);
        panel->heaterButton()->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(w.statusStrip()->status().setPointKelvin.has_value(), 5000);
        QCOMPARE(*w.statusStrip()->status().setPointKelvin, 273.15 + 58.0);
        // Far below the set point the regulator drives the heater at its limit.
        QTRY_VERIFY_WITH_TIMEOUT(w.statusStrip()->status().heaterDutyPerMille > 500.0, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->plot()->sampleCount() >= 2, 5000);
        panel->heaterButton()->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(!w.statusStrip()->status().setPointKelvin.has_value(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(w.statusStrip()->status().heaterDutyPerMille, 0.0, 5000);
    }

    void instrumentSetupOpensFromThePanelsMenu()
    {
        auto &w = window();
        auto *setup = w.findChild<QAction *>(QStringLiteral("setupInstrumentAction"));
        QVERIFY(setup);
        QVERIFY(setup->isEnabled());
        QList<int> pages;
        QTimer::singleShot(300, &w, [&pages] {
            auto *wizard = qobject_cast<ui::InstrumentSetupWizard *>(QApplication::activeModalWidget());
            if (!wizard)
                return;
            pages = wizard->pageIds();
            wizard->reject();
        });
        setup->trigger();  // returns when the wizard is closed
        QCOMPARE(pages.size(), 4);  // the reference rig: intro, filter wheel, focus, heater
    }

    void darkThemeIsRemembered()
    {
        auto &w = window();
        QVERIFY(!w.darkTheme());
        auto *dark = w.findChild<QAction *>(QStringLiteral("darkThemeAction"));
        QVERIFY(dark);
        dark->setChecked(true);
        QVERIFY(w.darkTheme());
        QVERIFY(w.styleSheet().contains(QStringLiteral("#121212")));
        QVERIFY(w.styleSheet().contains(QStringLiteral("min-height: 48px")));  // still touch-sized
        QCOMPARE(QSettings().value(QStringLiteral("view/dark")).toBool(), true);
        dark->setChecked(false);
        QVERIFY(!w.styleSheet().contains(QStringLiteral("#121212")));
    }

    void shortRunCompletesFromTheRunPanel()
    {
        auto &w = window();
        QVERIFY(w.loadProtocol(QStringLiteral(SCOPESYNC_RESOURCES_DIR "/protocols/quick_demo.json")));
        QSignalSpy finished(w.controller(), &ui::RigController::runFinished);
        QSignalSpy steps(w.runPanel(), &ui::RunPanel::stepChanged);
        w.dock(QStringLiteral("runDock"))->raise();
        QTRY_VERIFY(w.runPanel()->startButton()->isVisible());
        QTest::mouseClick(w.runPanel()->startButton(), Qt::LeftButton);
        QVERIFY(w.controller()->isRunning());
        QVERIFY(!w.runPanel()->startButton()->isEnabled());
        QVERIFY(finished.wait(180000));
        const auto outcome = finished.first().first().value<core::acquisition::RunOutcome>();
        QVERIFY2(outcome.completed, qPrintable(outcome.stopReason));
        QCOMPARE(outcome.imagesSaved, outcome.framesPlanned);
        QVERIFY(outcome.imagesSaved >= 5);
        QVERIFY(outcome.ledsOffAtEnd);
        QVERIFY(w.runPanel()->progressUpdates() >= outcome.framesPlanned);
        QCOMPARE(w.runPanel()->progressBar()->maximum(), int(outcome.framesPlanned));
        QVERIFY(steps.count() >= 3);
        QVERIFY(steps.first().first().toString().startsWith(u'$'));
        // One thumbnail per channel: red, orange, green, blue and red+green.
        QTRY_COMPARE_WITH_TIMEOUT(w.runPanel()->thumbnails().size(), 5, 20000);
        for (auto *label : w.runPanel()->thumbnails())
            QVERIFY(!label->pixmap().isNull());
        QVERIFY(w.runPanel()->startButton()->isEnabled());
        // The timing view shows the LED edges the strobe thread measured: an on and an off edge per LED
        // of every image (the red+green image has two LEDs).
        QTRY_VERIFY_WITH_TIMEOUT(
            w.timingView()->measuredEdgeCount() >= std::size_t(2 * (outcome.imagesSaved + 1)), 5000);
    }

    // A run whose images cannot fit is refused before its folder exists, as on the command line: nothing
    // is left behind on the full disk, and the refusal names the space needed and the way out.
    void aRunThatCannotFitLeavesNothingBehind()
    {
        auto &w = window();
        QTemporaryDir tmp;
        const QString mnt = tmp.filePath(QStringLiteral("tmpfs"));
        QVERIFY(QDir().mkpath(mnt));
        if (::mount("tmpfs", QFile::encodeName(mnt).constData(), "tmpfs", 0, "size=2m") != 0)
            QSKIP(qPrintable(QStringLiteral("cannot mount a 2 MB tmpfs (%1); needs root or CAP_SYS_ADMIN")
                                 .arg(QString::fromLocal8Bit(std::strerror(errno)))));
        auto unmount = qScopeGuard([&] { ::umount2(QFile::encodeName(mnt).constData(), MNT_DETACH); });
        const QString runsBefore = w.runsDirectory();
        auto restore = qScopeGuard([&] { w.setRunsDirectory(runsBefore); });
        w.setRunsDirectory(mnt);
        QVERIFY(w.loadProtocol(QStringLiteral(SCOPESYNC_RESOURCES_DIR "/protocols/quick_demo.json")));
        QTRY_VERIFY_WITH_TIMEOUT(w.controller()->isOpen(), 20000);
        QSignalSpy finished(w.controller(), &ui::RigController::runFinished);
        QTest::mouseClick(w.runPanel()->startButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        const auto outcome = finished.first().first().value<core::acquisition::RunOutcome>();
        QVERIFY(!outcome.completed);
        QVERIFY2(outcome.stopReason.contains(QStringLiteral("Not enough disk space"))
                && outcome.stopReason.contains(QStringLiteral("--runs-dir")),
            qPrintable(outcome.stopReason));
        QCOMPARE(outcome.imagesSaved, 0);
        QVERIFY2(QDir(mnt).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty(),
            qPrintable(QDir(mnt).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).join(u' ')));
        QTRY_VERIFY(w.runPanel()->startButton()->isEnabled());
        // The user is told, in the error dialog.
        QWidget *dialog = nullptr;
        QTRY_VERIFY((dialog = w.findChild<QWidget *>(QStringLiteral("errorDialog"))) != nullptr);
        QVERIFY2(dialog->property("text").toString().contains(QStringLiteral("Not enough disk space")),
            qPrintable(dialog->property("text").toString()));
        dialog->close();
        QTRY_VERIFY(!w.findChild<QWidget *>(QStringLiteral("errorDialog")));
    }

    void pauseHoldsTheRunAndContinues()
    {
        auto &w = window();
        QSignalSpy finished(w.controller(), &ui::RigController::runFinished);
        QSignalSpy progress(w.controller(), &ui::RigController::runProgress);
        QSignalSpy paused(w.controller(), &ui::RigController::runPausedChanged);
        QTest::mouseClick(w.runPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2, 60000);
        QVERIFY(w.runPanel()->pauseButton()->isEnabled());
        QTest::mouseClick(w.runPanel()->pauseButton(), Qt::LeftButton);
        // The run holds before its next step: the button says how to go on, the step line says where.
        QTRY_VERIFY_WITH_TIMEOUT(!paused.isEmpty() && paused.last().first().toBool(), 30000);
        QCOMPARE(w.runPanel()->pauseButton()->text(), QStringLiteral("Continue"));
        QVERIFY(w.controller()->isRunning());
        QVERIFY(finished.isEmpty());
        // Held for ten frame periods of the simulated rig (0.25 s each): no image may be taken.
        const int heldAt = int(progress.count());
        QTest::qWait(2500);
        QCOMPARE(int(progress.count()), heldAt);
        QVERIFY(finished.isEmpty());
        QTest::mouseClick(w.runPanel()->pauseButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!paused.last().first().toBool(), 30000);
        QCOMPARE(w.runPanel()->pauseButton()->text(), QStringLiteral("Pause"));
        QVERIFY(finished.wait(180000));
        const auto outcome = finished.first().first().value<core::acquisition::RunOutcome>();
        QVERIFY2(outcome.completed, qPrintable(outcome.stopReason));
        QCOMPARE(outcome.imagesSaved, outcome.framesPlanned);
        QVERIFY(outcome.ledsOffAtEnd);
        QVERIFY(!w.runPanel()->pauseButton()->isEnabled());
    }

    void stopKeepsWhatWasSaved()
    {
        auto &w = window();
        QSignalSpy finished(w.controller(), &ui::RigController::runFinished);
        QSignalSpy progress(w.controller(), &ui::RigController::runProgress);
        QTest::mouseClick(w.runPanel()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 3, 60000);
        QTest::mouseClick(w.runPanel()->stopButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        const auto outcome = finished.first().first().value<core::acquisition::RunOutcome>();
        QVERIFY(!outcome.completed);
        QVERIFY(outcome.ledsOffAtEnd);
        const QString folder = finished.first().at(1).toString();
        auto manifest = core::storage::ManifestReader::read(folder);
        QVERIFY(manifest.ok());
        QCOMPARE(manifest->firstTakes().size(), outcome.imagesSaved);
        // The dialog says what happened and what was kept.
        QWidget *dialog = nullptr;
        QTRY_VERIFY((dialog = w.findChild<QWidget *>(QStringLiteral("errorDialog"))) != nullptr);
        const QString text = dialog->property("text").toString();
        QVERIFY2(
            text.contains(folder) && text.contains(QString::number(outcome.imagesSaved)), qPrintable(text));
        dialog->close();
    }

    void fitsTheTouchscreen()
    {
        auto &w = window();
        w.applyLayout(true);
        w.resize(800, 480);
        QCoreApplication::processEvents();
        QTest::qWait(100);
        QStringList hints;  // which part refuses to shrink, when one does
        const auto hint = [&](const QString &name, QWidget *widget) {
            hints << QStringLiteral("%1 %2x%3")
                         .arg(name)
                         .arg(widget->minimumSizeHint().width())
                         .arg(widget->minimumSizeHint().height());
        };
        hint(QStringLiteral("central"), w.centralWidget());
        hint(QStringLiteral("toolbar"), w.primaryBar());
        for (auto *d : w.docks())
            hint(d->objectName(), d);
        QVERIFY2(w.size() == QSize(800, 480),
            qPrintable(QStringLiteral("%1x%2; %3")
                           .arg(w.width())
                           .arg(w.height())
                           .arg(hints.join(QStringLiteral(", ")))));
        const QRect inside = w.rect();
        // Primary actions: on the bar, visible, inside the window, at least 48 px for a finger.
        for (auto *a : {w.liveAction(), w.captureAction(), w.runAction(), w.stopAction(), w.openAction()}) {
            QWidget *b = w.primaryBar()->widgetForAction(a);
            QVERIFY(b);
            QVERIFY2(b->isVisible(), qPrintable(a->text()));
            const QRect r(b->mapTo(&w, QPoint(0, 0)), b->size());
            QVERIFY2(inside.contains(r),
                qPrintable(QStringLiteral("%1 at %2,%3 %4x%5")
                               .arg(a->text())
                               .arg(r.x())
                               .arg(r.y())
                               .arg(r.width())
                               .arg(r.height())));
            QVERIFY2(r.height() >= 48, qPrintable(a->text()));
        }
        // Run controls without scrolling: the run dock is the raised tab.
        for (auto *b :
            {w.runPanel()->startButton(), w.runPanel()->pauseButton(), w.runPanel()->stopButton()}) {
            QVERIFY(b->isVisible());
            QVERIFY(b->height() >= 48);
            const QRect r(b->mapTo(&w, QPoint(0, 0)), b->size());
            QVERIFY2(inside.contains(r), qPrintable(b->text()));
        }
        const QRect previewRect(preview().mapTo(&w, QPoint(0, 0)), preview().size());
        QVERIFY(inside.contains(previewRect));
        QVERIFY(previewRect.width() >= 300);
    }

    // On a desktop the protocol panel is narrower than tree + form side by side: the form goes below the
    // tree instead of off to the side behind a horizontal scroll bar.
    void protocolPanelNeverScrollsSideways()
    {
        auto &w = window();
        w.applyLayout(false);
        for (const QSize size : {QSize(1280, 800), QSize(1920, 1080)}) {
            w.resize(size);
            // The width the panel had on a 1280×800 X display: room for the tree's two button rows.
            w.resizeDocks({w.dock(QStringLiteral("protocolDock"))}, {450}, Qt::Horizontal);
            QCoreApplication::processEvents();
            QTest::qWait(100);
            auto *area = qobject_cast<QScrollArea *>(w.dock(QStringLiteral("protocolDock"))->widget());
            QVERIFY(area);
            QVERIFY2(!area->horizontalScrollBar()->isVisible(),
                qPrintable(QStringLiteral("%1x%2: content %3 px in a %4 px panel")
                               .arg(size.width())
                               .arg(size.height())
                               .arg(area->widget()->width())
                               .arg(area->viewport()->width())));
            auto *editor = w.protocolEditor();
            QVERIFY(editor);
            QVERIFY(area->viewport()->rect().contains(
                QRect(editor->mapTo(area->viewport(), QPoint(0, 0)), QSize(editor->width(), 1))));
        }
    }

    void settingsPersist()
    {
        {
            auto &w = window();
            w.applyLayout(false);
            w.resize(1280, 800);
            w.previewPanel()->falseColourButton()->setChecked(true);
            w.dock(QStringLiteral("cameraDock"))->hide();
            w.close();
            m_window.reset();
        }
        auto &w = window();
        QVERIFY(w.previewPanel()->falseColourButton()->isChecked());
        QVERIFY2(w.dock(QStringLiteral("cameraDock"))->isHidden(),
            qPrintable(QSettings().allKeys().join(u' ') + QStringLiteral(" compact=%1").arg(w.isCompact())));
        QVERIFY(!w.dock(QStringLiteral("runDock"))->isHidden());
        QCOMPARE(QSettings().value(QStringLiteral("runs/directory")).toString(),
            m_dir.filePath(QStringLiteral("runs")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
