// GUI test: the instrument set-up wizard on the simulated rig through the rig controller's worker — the
// red filter centred by a scan and saved, red's focus found by a sweep and saved, the heater's step test
// run (on a plant sped up 400×) and the proposed gains saved; every page fits the 800×480 touchscreen with
// its Back/Next/Cancel row on screen. Screenshots of each page are written beside the test for review.
#include "core/acquisition/rig_description.h"
#include "core/acquisition/rig_file_editor.h"
#include "hal/rig_factory.h"
#include "hal/sim/emission_filter.h"
#include "ui/calibration/instrument_setup_session.h"
#include "ui/calibration/instrument_setup_wizard.h"
#include "ui/calibration/xy_plot.h"
#include "ui/common/rig_controller.h"
#include "ui/common/touch_spin_box.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "support/verify_ok.h"

using namespace scopesync;
using namespace std::chrono_literals;
using core::acquisition::RigDescription;

namespace {

RigDescription testRig()
{
    auto rig = RigDescription::referenceSim();
    rig.modeWidth = 1332;
    rig.modeHeight = 990;
    rig.heater->simSpeedup = 400.0;  // the step test's minutes of plant time in a second or two
    return rig;
}

core::camera::CameraSettings testSettings()
{
    auto s = core::camera::CameraSettings::referenceRig();
    s.shutter = 20'000us;
    s.analogueGain = 8.0;
    return s;
}

ui::RigFactory simFactory()
{
    return [](const RigDescription &r, const core::camera::CameraSettings &s) {
        return hal::createRig(r, s, hal::RigFactoryOptions {false, true, true});
    };
}

template <typename T> T *child(QWidget *page, const char *name)
{
    return page->findChild<T *>(QString::fromLatin1(name));
}

QString statusOf(QWidget *page)
{
    auto *l = page->findChild<QLabel *>(QStringLiteral("setupStatus"));
    if (!l)
        l = page->findChild<QLabel *>(QStringLiteral("heaterStatus"));
    return l ? l->text() : QString();
}

void shoot(QWidget &w, const QString &name)
{
    const QString dir = QStringLiteral(SCOPESYNC_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

}  // namespace

class TestInstrumentSetupWizard : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        // The built-in rig's file goes under the test's own config folder, never the user's.
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    }

    void everyPageFitsTheTouchscreen()
    {
        ui::RigController controller(simFactory());
        ui::InstrumentSetupSession session(controller);
        QFile qss(QStringLiteral(SCOPESYNC_RESOURCES_DIR "/styles/touch.qss"));
        QVERIFY(qss.open(QIODevice::ReadOnly));
        QWidget parent;
        parent.setStyleSheet(QString::fromUtf8(qss.readAll()));
        ui::InstrumentSetupWizard wizard(session, testRig(), QString(), &parent);
        QCOMPARE(wizard.pageIds(),
            (QList<int> {ui::InstrumentSetupWizard::IntroPage, ui::InstrumentSetupWizard::FilterPage,
                ui::InstrumentSetupWizard::FocusPage, ui::InstrumentSetupWizard::HeaterPage}));
        const QSize screen(800, 480);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        const int chrome = wizard.height() - wizard.currentPage()->height();
        for (int id : wizard.pageIds()) {
            const QSize hint = wizard.page(id)->sizeHint();
            const QSize least = wizard.page(id)->minimumSizeHint();
            qInfo("page %d asks for %dx%d (at least %dx%d) +%d px of wizard around it", id, hint.width(),
                hint.height(), least.width(), least.height(), chrome);
            QVERIFY2(least.height() + chrome <= screen.height() && least.width() <= screen.width(),
                qPrintable(QStringLiteral("page %1 needs a wizard of %2x%3")
                               .arg(id)
                               .arg(least.width())
                               .arg(least.height() + chrome)));
        }
        wizard.resize(screen);
        for (int id : wizard.pageIds()) {
            if (wizard.currentId() != id)
                wizard.next();
            QCOMPARE(wizard.currentId(), id);
            QCoreApplication::processEvents();
            QCOMPARE(wizard.size(), screen);
            // Every button of the page and of the wizard's row lies wholly on the screen.
            QList<QAbstractButton *> buttons = wizard.currentPage()->findChildren<QAbstractButton *>();
            for (auto b :
                {QWizard::BackButton, QWizard::NextButton, QWizard::FinishButton, QWizard::CancelButton})
                buttons << wizard.button(b);
            for (QAbstractButton *button : buttons) {
                if (!button->isVisible())
                    continue;
                const QRect r(button->mapTo(&wizard, QPoint(0, 0)), button->size());
                QVERIFY2(QRect(QPoint(0, 0), screen).contains(r),
                    qPrintable(QStringLiteral("page %1: '%2' at %3,%4 %5x%6")
                                   .arg(id)
                                   .arg(button->text())
                                   .arg(r.x())
                                   .arg(r.y())
                                   .arg(r.width())
                                   .arg(r.height())));
            }
            shoot(wizard, QStringLiteral("setup-page-%1-800x480").arg(id));
        }
        session.cancel();
    }

    void centresFocusesAndTunesTheSimulatedRig()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const RigDescription rig = testRig();
        const QString rigFile = dir.filePath(QStringLiteral("lab.json"));
        {
            QFile f(rigFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(rig.toJson()).toJson());
        }
        ui::RigController controller(simFactory());
        QSignalSpy opened(&controller, &ui::RigController::rigOpened);
        controller.openRig(rig, testSettings());
        QVERIFY(opened.wait(20000));
        ui::InstrumentSetupSession session(controller);
        ui::InstrumentSetupWizard wizard(session, rig, rigFile);
        wizard.resize(800, 480);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QSignalSpy failed(&session, &ui::InstrumentSetupSession::failed);
        QSignalSpy scanned(&session, &ui::InstrumentSetupSession::scanFinished);

        // The filter wheel: red, scanned around its configured 1250 µs; the centre found is where the
        // simulated wheel really holds red (1262 µs), and Save writes it into the rig file.
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::InstrumentSetupWizard::FilterPage));
        QWidget *page = wizard.currentPage();
        child<QComboBox>(page, "setupFilter")->setCurrentText(QStringLiteral("red"));
        QCOMPARE(child<QComboBox>(page, "setupLed")->currentText(), QStringLiteral("red"));
        QTRY_VERIFY_WITH_TIMEOUT(!session.busy(), 20000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            !child<QLabel>(page, "setupFrame")->pixmap().isNull(), qPrintable(statusOf(page)), 5000);
        QTest::mouseClick(child<QPushButton>(page, "setupScan"), Qt::LeftButton);
        QVERIFY2(scanned.wait(60000), qPrintable(statusOf(page)));
        const auto centre = scanned.last().at(0).value<core::analysis::FocusSweepResult>();
        const int truthCentre = hal::sim::simFilterCentre(QStringLiteral("red"), 1);
        qInfo("red centred at %d µs (configured 1250, simulated wheel %d)", centre.bestSteps, truthCentre);
        QVERIFY(std::abs(centre.bestSteps - truthCentre) <= 5);
        QCOMPARE(child<ui::XyPlot>(page, "setupPlot")->pointCount(0), 11);
        QTRY_VERIFY_WITH_TIMEOUT(!session.busy(), 20000);  // the frame at the centre found
        QCOMPARE(int(child<ui::TouchSpinBox>(page, "setupPosition")->value()), centre.bestSteps);
        shoot(wizard, QStringLiteral("setup-filter-scanned"));
        QTest::mouseClick(child<QPushButton>(page, "setupSave"), Qt::LeftButton);
        QVERIFY2(statusOf(page).contains(QStringLiteral("Saved")), qPrintable(statusOf(page)));

        // The focus: red's sweep around its configured 0 steps finds the simulated objective's 20.
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::InstrumentSetupWizard::FocusPage));
        page = wizard.currentPage();
        child<QComboBox>(page, "setupFilter")->setCurrentText(QStringLiteral("red"));
        QTRY_VERIFY_WITH_TIMEOUT(!session.busy(), 20000);
        QTest::mouseClick(child<QPushButton>(page, "setupScan"), Qt::LeftButton);
        QVERIFY2(scanned.wait(60000), qPrintable(statusOf(page)));
        const auto focus = scanned.last().at(0).value<core::analysis::FocusSweepResult>();
        const int truthFocus = hal::sim::simBestFocusSteps(QStringLiteral("red"));
        qInfo("red's focus found at %d steps (simulated objective %d)", focus.bestSteps, truthFocus);
        QVERIFY(std::abs(focus.bestSteps - truthFocus) <= 10);
        QTRY_VERIFY_WITH_TIMEOUT(!session.busy(), 20000);
        shoot(wizard, QStringLiteral("setup-focus-scanned"));
        QTest::mouseClick(child<QPushButton>(page, "setupSave"), Qt::LeftButton);
        QVERIFY2(statusOf(page).contains(QStringLiteral("Saved")), qPrintable(statusOf(page)));

        // The heater: a step test, a fitted model, proposed gains and their predicted settling; saved.
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::InstrumentSetupWizard::HeaterPage));
        page = wizard.currentPage();
        QSignalSpy stepped(&session, &ui::InstrumentSetupSession::stepTestFinished);
        auto *save = child<QPushButton>(page, "heaterSave");
        QVERIFY(!save->isEnabled());
        QTest::mouseClick(child<QPushButton>(page, "heaterStart"), Qt::LeftButton);
        QVERIFY2(stepped.wait(120000), qPrintable(statusOf(page)));
        QTRY_VERIFY2_WITH_TIMEOUT(save->isEnabled(), qPrintable(statusOf(page)), 5000);
        qInfo("%s", qPrintable(statusOf(page)));
        QVERIFY2(statusOf(page).contains(QStringLiteral("settles in")), qPrintable(statusOf(page)));
        QVERIFY(child<ui::XyPlot>(page, "heaterStepPlot")->pointCount(0) > 100);
        QVERIFY(child<ui::XyPlot>(page, "heaterPredictPlot")->pointCount(1) > 100);
        shoot(wizard, QStringLiteral("setup-heater-tuned"));
        QTest::mouseClick(save, Qt::LeftButton);
        QVERIFY2(statusOf(page).contains(QStringLiteral("Saved")), qPrintable(statusOf(page)));
        QCOMPARE(failed.count(), 0);

        // The rig file now holds the three results and reads back as a valid rig; the heater is off.
        const auto back = core::acquisition::RigReader::readFile(rigFile);
        QVERIFY(back.rig);
        QCOMPARE(back.rig->filterWheel->positions.value(QStringLiteral("red")), centre.bestSteps);
        QCOMPARE(back.rig->filterWheel->positions.value(QStringLiteral("green")), 1750);
        QCOMPARE(back.rig->focus->perFilter.value(QStringLiteral("red")), focus.bestSteps);
        QCOMPARE(back.rig->heater->pPerMillePerKelvin, wizard.rig().heater->pPerMillePerKelvin);
        QVERIFY(std::abs(back.rig->heater->pPerMillePerKelvin - rig.heater->pPerMillePerKelvin) > 1.0);
        QCOMPARE(wizard.savedTo(), rigFile);
        std::atomic<double> duty {-1.0};
        controller.withRig([&](core::acquisition::Rig *open) {
            duty = open && open->heater() ? open->heater()->duty() : -2.0;
        });
        QTRY_VERIFY_WITH_TIMEOUT(duty.load() >= -1.5 && duty.load() != -1.0, 5000);
        QCOMPARE(duty.load(), 0.0);
        wizard.accept();
    }

    void theBuiltInRigIsWrittenToAFileOnFirstSave()
    {
        ui::RigController controller(simFactory());
        ui::InstrumentSetupSession session(controller);
        ui::InstrumentSetupWizard wizard(session, testRig(), QString());
        const auto st = wizard.save(
            [](const QString &path) {
                return core::acquisition::RigFileEditor::setFocusForFilter(
                    path, QStringLiteral("blue"), -1870);
            },
            [](RigDescription &r) { r.focus->perFilter.insert(QStringLiteral("blue"), -1870); });
        SCOPESYNC_VERIFY_OK(st);
        QCOMPARE(wizard.savedTo(), m_config.filePath(QStringLiteral("scopesync/rigs/sim.json")));
        const auto back = core::acquisition::RigReader::readFile(wizard.savedTo());
        QVERIFY(back.rig);
        QCOMPARE(back.rig->focus->perFilter.value(QStringLiteral("blue")), -1870);
        QCOMPARE(back.rig->focus->perFilter.value(QStringLiteral("green")), -1525);
    }

private:
    QTemporaryDir m_config;
};

QTEST_MAIN(TestInstrumentSetupWizard)
#include "test_instrument_setup_wizard.moc"
