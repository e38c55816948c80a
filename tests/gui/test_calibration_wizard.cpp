// GUI test: the calibration wizard on the simulated rig, page by page, through the rig controller's worker.
#include "core/calibration/calibration_profile.h"
#include "hal/rig_factory.h"
#include "ui/calibration/calibration_wizard.h"
#include "ui/calibration/rig_calibration_session.h"
#include "ui/common/rig_controller.h"
#include "ui/common/touch_spin_box.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace scopesync;

class TestCalibrationWizard : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyPageFitsTheTouchscreen()
    {
        // The instrument's 800×480 display: the wizard, with its Back/Next/Cancel row, must fit on every
        // page (pages that cannot be reached without a run are shown through the same layout).
        auto rig = core::acquisition::RigDescription::referenceSim();
        const auto settings = core::camera::CameraSettings::referenceRig();
        ui::RigController controller(
            [](const core::acquisition::RigDescription &r, const core::camera::CameraSettings &s) {
                return hal::createRig(r, s, hal::RigFactoryOptions {false, true, true});
            });
        ui::RigCalibrationSession session(controller);
        // The main window's touch style (every control at least 48 px tall), which the wizard inherits.
        QFile qss(QStringLiteral(SCOPESYNC_RESOURCES_DIR "/styles/touch.qss"));
        QVERIFY(qss.open(QIODevice::ReadOnly));
        QWidget parent;
        parent.setStyleSheet(QString::fromUtf8(qss.readAll()));
        ui::CalibrationWizard wizard(session, rig, settings, QString(), &parent);
        const QSize screen(800, 480);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        // QWizard grows its window to a page's size hint when the page is shown: every page's hint, with
        // the wizard's own title, margins and button row around it, must fit the screen.
        const int chrome = wizard.height() - wizard.currentPage()->height();
        for (int id : wizard.pageIds()) {
            const QSize hint = wizard.page(id)->sizeHint();
            qInfo("page %d asks for %dx%d (+%d px of wizard around it)", id, hint.width(), hint.height(),
                chrome);
            QVERIFY2(hint.height() + chrome <= screen.height() && hint.width() <= screen.width(),
                qPrintable(QStringLiteral("page %1 would make the wizard %2x%3")
                               .arg(id)
                               .arg(hint.width())
                               .arg(hint.height() + chrome)));
        }
        wizard.resize(screen);
        QCoreApplication::processEvents();
        for (auto b : {QWizard::BackButton, QWizard::NextButton, QWizard::CancelButton}) {
            QAbstractButton *button = wizard.button(b);
            const QRect r(button->mapTo(&wizard, QPoint(0, 0)), button->size());
            QVERIFY2(r.bottom() < screen.height() && r.right() < screen.width(),
                qPrintable(QStringLiteral("%1 at %2,%3").arg(button->text()).arg(r.x()).arg(r.y())));
        }
    }

    void findsTheWindowAndSavesTheProfile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto rig = core::acquisition::RigDescription::referenceSim();
        rig.modeWidth = 2028;  // 23.04 ms readout: frames render fast, the window is wide
        rig.modeHeight = 1520;
        const auto settings = core::camera::CameraSettings::referenceRig();
        ui::RigController controller(
            [](const core::acquisition::RigDescription &r, const core::camera::CameraSettings &s) {
                return hal::createRig(r, s, hal::RigFactoryOptions {false, true, true});
            });
        QSignalSpy opened(&controller, &ui::RigController::rigOpened);
        controller.openRig(rig, settings);
        QVERIFY(opened.wait(20000));

        ui::RigCalibrationSession session(controller);
        const QString rigFile = dir.filePath(QStringLiteral("lab.json"));
        ui::CalibrationWizard wizard(session, rig, settings, rigFile);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));

        // Checks: no Next until the slide is confirmed.
        QCOMPARE(wizard.currentId(), int(ui::CalibrationWizard::ChecksPage));
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
        auto boxes = wizard.currentPage()->findChildren<QCheckBox *>();
        QCOMPARE(boxes.size(), qsizetype(1));
        boxes.first()->setChecked(true);
        QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
        wizard.next();

        // Setup: an impossible flash blocks Next and says why; a possible one shows the predicted window.
        QCOMPARE(wizard.currentId(), int(ui::CalibrationWizard::SetupPage));
        auto spins = wizard.currentPage()->findChildren<ui::TouchSpinBox *>();
        QVERIFY(!spins.isEmpty());
        ui::TouchSpinBox *flash = spins.first();
        flash->setValue(240);  // 250 ms shutter < 23 ms readout + 240 ms flash
        QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
        QString text;
        for (auto *l : wizard.currentPage()->findChildren<QLabel *>())
            text += l->text();
        QVERIFY2(text.contains(QStringLiteral("shutter")), qPrintable(text));
        flash->setValue(150);
        QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
        wizard.next();

        // Run: the search on the rig, live.
        QCOMPARE(wizard.currentId(), int(ui::CalibrationWizard::RunPage));
        QTRY_VERIFY_WITH_TIMEOUT(wizard.currentPage()->isComplete(), 90000);
        QVERIFY(wizard.result().has_value());
        const auto &r = *wizard.result();
        const double startMs = r.windowStart.count() / 1000.0, endMs = r.windowEnd.count() / 1000.0;
        // The model: (1520 − 1) × 15.167 µs = 23.04 ms; 250 − 150 = 100 ms; the sim has no trigger offset.
        QVERIFY2(std::abs(startMs - 23.04) <= 0.5, qPrintable(QString::number(startMs)));
        QVERIFY2(std::abs(endMs - 100.0) <= 0.5, qPrintable(QString::number(endMs)));
        QVERIFY2(r.framesUsed <= 12, qPrintable(QString::number(r.framesUsed)));
        wizard.next();

        // Result: Apply saves the profile next to the rig file.
        QCOMPARE(wizard.currentId(), int(ui::CalibrationWizard::ResultPage));
        wizard.accept();
        const QString profilePath = dir.filePath(QStringLiteral("lab.calibration.json"));
        QCOMPARE(wizard.savedProfile(), profilePath);
        auto profile = core::calibration::CalibrationProfile::load(profilePath);
        QVERIFY(profile.ok());
        QVERIFY(std::abs(profile->recommended.count() / 1000.0 - (startMs + endMs) / 2) < 0.01);
        QCOMPARE(profile->led, wizard.choice().led);
    }
};

QTEST_MAIN(TestCalibrationWizard)
#include "test_calibration_wizard.moc"
