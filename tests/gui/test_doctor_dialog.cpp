// The rig doctor dialog (offscreen, real widgets): checking off the GUI thread, every finding shown with
// its status in words and colour, Copy, Check again, the 800×480 touchscreen; opened from the main
// window's Rig doctor… and from the first-run dialog.
#include "core/acquisition/rig_check.h"
#include "core/acquisition/rig_description.h"
#include "hal/doctor/rig_doctor.h"
#include "ui/doctor/doctor_dialog.h"
#include "ui/main_window/first_run_dialog.h"
#include "ui/main_window/main_window.h"

#include <QAction>
#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScroller>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QToolBar>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

using namespace scopesync;
using core::acquisition::CheckStatus;
using core::acquisition::RigCheck;

namespace {

const QString kRealtimeFix = QStringLiteral(
    "echo '@gpio - rtprio 95' | sudo tee /etc/security/limits.d/scopesync.conf; echo '@gpio - memlock "
    "unlimited' | sudo tee -a /etc/security/limits.d/scopesync.conf; then log in again");

// One of each kind the dialog must tell apart, with the doctor's real (long) wording.
QList<RigCheck> knownChecks()
{
    return {
        {QStringLiteral("camera"), QStringLiteral("camera present"), CheckStatus::Ok,
            QStringLiteral("imx477 (/base/soc/i2c0mux/i2c@1/imx477@1a)"), {}},
        {QStringLiteral("realtime"), QStringLiteral("real-time scheduling allowed"), CheckStatus::Problem,
            QStringLiteral(
                "RLIMIT_RTPRIO is 0; the strobe thread asks for SCHED_FIFO 80 and falls back to normal "
                "scheduling (LED edges jitter by milliseconds)"),
            kRealtimeFix},
        {QStringLiteral("lines"), QStringLiteral("GPIO lines free"), CheckStatus::Skipped,
            QStringLiteral("the GPIO chip is not accessible (see above)"), {}},
    };
}

// A doctor that counts its calls and notes the thread it ran on.
struct CountingDoctor {
    std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<QThread *>> thread = std::make_shared<std::atomic<QThread *>>(nullptr);
    std::chrono::milliseconds delay {0};

    ui::DoctorFn fn() const
    {
        return [calls = calls, thread = thread, delay = delay] {
            thread->store(QThread::currentThread());
            std::this_thread::sleep_for(delay);
            ++*calls;
            return knownChecks();
        };
    }
};

template <typename T> T *part(QWidget *row, const char *name)
{
    return row ? row->findChild<T *>(QLatin1String(name)) : nullptr;
}

QRect rectIn(QWidget *w, QWidget *ancestor)
{
    return QRect(w->mapTo(ancestor, QPoint(0, 0)), w->size());
}

// The badge's background, away from its word and rounded corners.
QColor badgeColour(QLabel *badge)
{
    const QImage image = badge->grab().toImage();
    return image.pixelColor(3, image.height() / 2);
}

bool waitChecked(ui::DoctorDialog &dialog)
{
    return QTest::qWaitFor([&] { return !dialog.isChecking(); }, 10000);
}

}  // namespace

class TestDoctorDialog : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("ScopeSyncTest"));
        QSettings::setPath(
            QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QSettings().clear();
    }

    void checksOffTheGuiThreadThenListsEveryFinding()
    {
        CountingDoctor doctor;
        doctor.delay = std::chrono::milliseconds(300);
        ui::DoctorDialog dialog(doctor.fn());
        QSignalSpy finished(&dialog, &ui::DoctorDialog::checksFinished);
        dialog.show();
        // The constructor returned while the doctor sleeps: the GUI thread is not the one checking.
        QVERIFY(dialog.isChecking());
        QCOMPARE(dialog.stateLabel()->text(), QStringLiteral("Checking…"));
        QVERIFY(dialog.stateLabel()->isVisible());
        QVERIFY(dialog.findChild<QProgressBar *>()->isVisible());
        QVERIFY(!dialog.checkAgainButton()->isEnabled());
        QVERIFY(!dialog.row(QStringLiteral("camera")));

        QVERIFY(waitChecked(dialog));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(doctor.calls->load(), 1);
        QVERIFY(doctor.thread->load() != nullptr);
        QVERIFY(doctor.thread->load() != QThread::currentThread());
        QVERIFY(!dialog.findChild<QProgressBar *>()->isVisible());
        QVERIFY(dialog.checkAgainButton()->isEnabled());
        QCOMPARE(dialog.stateLabel()->text(),
            QStringLiteral("Problems: 1, warnings: 0. Each problem shows its fix."));

        for (const RigCheck &c : knownChecks()) {
            QWidget *row = dialog.row(c.id);
            QVERIFY2(row, qPrintable(c.id));
            QVERIFY(row->isVisible());
            QCOMPARE(part<QLabel>(row, "status")->text(), ui::DoctorDialog::statusText(c.status));
            QCOMPARE(part<QLabel>(row, "title")->text(), c.title);
            QCOMPARE(part<QLabel>(row, "detail")->text(), c.detail);
            // A fix (and its Copy button) exactly when there is something to fix.
            QCOMPARE(part<QLabel>(row, "fix") != nullptr, !c.fix.isEmpty());
            QCOMPARE(part<QPushButton>(row, "copy") != nullptr, !c.fix.isEmpty());
        }
        QCOMPARE(part<QLabel>(dialog.row(QStringLiteral("camera")), "status")->text(), QStringLiteral("OK"));
        QWidget *problem = dialog.row(QStringLiteral("realtime"));
        QCOMPARE(part<QLabel>(problem, "status")->text(), QStringLiteral("Problem"));
        QCOMPARE(
            part<QLabel>(dialog.row(QStringLiteral("lines")), "status")->text(), QStringLiteral("Skipped"));
        QLabel *fix = part<QLabel>(problem, "fix");
        QCOMPARE(fix->text(), kRealtimeFix);
        QVERIFY(fix->textInteractionFlags().testFlag(Qt::TextSelectableByMouse));
        // The fix is shown in the platform's fixed-width font: the font asked for, not whichever font the
        // machine's fontconfig resolves it to (which depends on the fonts installed).
        const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        QCOMPARE(fix->font().family(), fixed.family());
        QCOMPARE(fix->font().styleHint(), fixed.styleHint());

        // The colour repeats the word: green for OK, red for a problem, grey when skipped.
        const QColor ok = badgeColour(part<QLabel>(dialog.row(QStringLiteral("camera")), "status"));
        const QColor bad = badgeColour(part<QLabel>(problem, "status"));
        const QColor skipped = badgeColour(part<QLabel>(dialog.row(QStringLiteral("lines")), "status"));
        QVERIFY2(ok.green() > ok.red() + 40, qPrintable(ok.name()));
        QVERIFY2(bad.red() > bad.green() + 80, qPrintable(bad.name()));
        QVERIFY2(qAbs(skipped.red() - skipped.green()) < 16 && skipped != ok, qPrintable(skipped.name()));
    }

    void copyPutsTheFixOnTheClipboard()
    {
        CountingDoctor doctor;
        ui::DoctorDialog dialog(doctor.fn());
        dialog.show();
        QVERIFY(waitChecked(dialog));
        QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
        auto *copy = part<QPushButton>(dialog.row(QStringLiteral("realtime")), "copy");
        QVERIFY(copy);
        QVERIFY(copy->isVisible());
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), kRealtimeFix);
        QCOMPARE(copy->text(), QStringLiteral("Copied"));
        QTRY_COMPARE_WITH_TIMEOUT(copy->text(), QStringLiteral("Copy"), 5000);
    }

    void checkAgainRunsTheDoctorAgain()
    {
        CountingDoctor doctor;
        ui::DoctorDialog dialog(doctor.fn());
        dialog.show();
        QVERIFY(waitChecked(dialog));
        QCOMPARE(doctor.calls->load(), 1);
        QTest::mouseClick(dialog.checkAgainButton(), Qt::LeftButton);
        QVERIFY(dialog.isChecking());
        QVERIFY(waitChecked(dialog));
        QCOMPARE(doctor.calls->load(), 2);
        // The second run's rows replace the first's.
        int rows = 0;
        for (QWidget *w : dialog.findChildren<QWidget *>())
            rows += w->objectName().startsWith(QLatin1String("check_")) ? 1 : 0;
        QCOMPARE(rows, 3);
        // Close closes, and changes nothing.
        QTest::mouseClick(dialog.closeButton(), Qt::LeftButton);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(doctor.calls->load(), 2);
    }

    void aFailingDoctorIsReported()
    {
        ui::DoctorDialog dialog([]() -> QList<RigCheck> { throw std::runtime_error("probe crashed"); });
        QVERIFY(waitChecked(dialog));
        QVERIFY2(dialog.stateLabel()->text().contains(QStringLiteral("probe crashed")),
            qPrintable(dialog.stateLabel()->text()));
        QVERIFY(dialog.checks().isEmpty());
        QVERIFY(dialog.checkAgainButton()->isEnabled());
    }

    void withoutADoctorItSaysWhy()
    {
        ui::DoctorDialog dialog({});
        QVERIFY(!dialog.isChecking());
        QVERIFY(dialog.stateLabel()->text().contains(QStringLiteral("scopesync doctor")));
        QVERIFY(!dialog.checkAgainButton()->isEnabled());
    }

    void fitsTheTouchscreenAndADesktop()
    {
        // The doctor's longest findings, as many as a Pi with every problem has.
        QList<RigCheck> many = knownChecks();
        for (int i = 0; i < 8; ++i)
            many << RigCheck {QStringLiteral("more%1").arg(i), QStringLiteral("GPIO line for uv"),
                CheckStatus::Problem, QStringLiteral("line 18 is held by 'pwm-gpio'"),
                QStringLiteral(
                    "stop the program holding it ('gpioinfo gpiochip0' shows it; a dtoverlay in "
                    "/boot/firmware/config.txt may claim it) or set \"lines\": {\"leds\": {\"uv\": …}} "
                    "in the rig file to a free line")};
        ui::DoctorDialog dialog([many] { return many; });
        QVERIFY(waitChecked(dialog));
        const QSize screen(800, 480);
        QVERIFY2(dialog.sizeHint().width() <= screen.width() && dialog.sizeHint().height() <= screen.height(),
            qPrintable(QStringLiteral("sizeHint %1x%2")
                           .arg(dialog.sizeHint().width())
                           .arg(dialog.sizeHint().height())));
        QVERIFY2(dialog.minimumSizeHint().width() <= screen.width()
                && dialog.minimumSizeHint().height() <= screen.height(),
            qPrintable(QStringLiteral("minimumSizeHint %1x%2")
                           .arg(dialog.minimumSizeHint().width())
                           .arg(dialog.minimumSizeHint().height())));

        auto *area = dialog.findChild<QScrollArea *>(QStringLiteral("doctorScroll"));
        QVERIFY(area);
        QVERIFY(QScroller::hasScroller(area->viewport()));
        for (const QSize size : {QSize(800, 480), QSize(1280, 800)}) {
            dialog.resize(size);
            dialog.show();
            QCoreApplication::processEvents();
            QTest::qWait(50);
            const QString where = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
            QCOMPARE(dialog.size(), size);
            // Buttons: inside the dialog and big enough for a finger.
            for (auto *b : {dialog.checkAgainButton(), dialog.closeButton()}) {
                QVERIFY2(b->isVisible(), qPrintable(where));
                QVERIFY2(dialog.rect().contains(rectIn(b, &dialog)), qPrintable(where + u' ' + b->text()));
                QVERIFY2(b->height() >= 48, qPrintable(where + u' ' + b->text()));
            }
            // Rows: nothing beside the viewport (it never scrolls sideways), Copy buttons finger-sized.
            const int width = area->viewport()->width();
            for (const RigCheck &c : many) {
                QWidget *row = dialog.row(c.id);
                QVERIFY(row);
                for (QWidget *w : row->findChildren<QWidget *>()) {
                    const QRect r = rectIn(w, area->widget());
                    QVERIFY2(r.left() >= 0 && r.right() < width,
                        qPrintable(QStringLiteral("%1: %2 %3 spans %4..%5 of %6")
                                       .arg(where, c.id, w->objectName())
                                       .arg(r.left())
                                       .arg(r.right())
                                       .arg(width)));
                }
                if (auto *copy = part<QPushButton>(row, "copy"))
                    QVERIFY2(copy->height() >= 48 && copy->width() >= 48, qPrintable(where));
                // A wrapped label shows all its lines: it is as tall as its text needs at its width.
                auto *fix = part<QLabel>(row, "fix");
                if (fix)
                    QVERIFY2(fix->height() >= fix->heightForWidth(fix->width()),
                        qPrintable(QStringLiteral("%1: fix %2 px tall, needs %3")
                                       .arg(where)
                                       .arg(fix->height())
                                       .arg(fix->heightForWidth(fix->width()))));
            }
            QVERIFY2(area->widget()->height() > area->viewport()->height(), qPrintable(where));  // it scrolls
        }
    }

    void mainWindowOpensTheDoctorForItsRig()
    {
        // The real doctor on an empty tree, wired as the gui command wires it.
        QTemporaryDir tree;
        QVERIFY(tree.isValid());
        hal::doctor::DoctorPaths paths;
        paths.sys = tree.filePath(QStringLiteral("sys"));
        paths.proc = tree.filePath(QStringLiteral("proc"));
        paths.dev = tree.filePath(QStringLiteral("dev"));
        paths.boot = tree.filePath(QStringLiteral("boot"));
        paths.dataDir = tree.path();
        paths.probeCamera = false;
        ui::MainWindowOptions options;
        options.startLive = false;
        options.runsDirectory = m_dir.filePath(QStringLiteral("runs"));
        options.doctor = [rig = options.rig, paths] { return hal::doctor::RigDoctor(rig, paths).run(); };
        // No rig is needed to check the machine: the factory refuses.
        const ui::RigFactory noRig
            = [](const core::acquisition::RigDescription &, const core::camera::CameraSettings &)
            -> core::Result<std::unique_ptr<core::acquisition::Rig>> {
            return core::Error {QStringLiteral("no rig in this test"), {}};
        };
        ui::MainWindow window(noRig, options);
        window.show();
        auto *action = window.findChild<QAction *>(QStringLiteral("rigDoctorAction"));
        QVERIFY(action);
        QVERIFY(action->isEnabled());
        QCOMPARE(action->text(), QStringLiteral("Rig doctor…"));
        QVERIFY(window.primaryBar()->actions().contains(action));
        action->trigger();
        ui::DoctorDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<ui::DoctorDialog *>()) != nullptr);
        QVERIFY(dialog->isVisible());
        QVERIFY(waitChecked(*dialog));
        QWidget *trigger = dialog->row(QStringLiteral("trigger_mode"));
        QVERIFY(trigger);
        QCOMPARE(part<QLabel>(trigger, "status")->text(), QStringLiteral("Problem"));
        QCOMPARE(part<QLabel>(trigger, "fix")->text(),
            QStringLiteral("add 'dtoverlay=imx477' to /boot/firmware/config.txt and reboot"));
        QCOMPARE(dialog->checks().size(), 10);
        QVERIFY(dialog->row(QStringLiteral("other_cameras")));  // Qt Multimedia's cameras, beside libcamera's
        auto *rig = dialog->findChild<QLabel *>(QStringLiteral("rig"));
        QVERIFY(rig && rig->isVisible());
        QVERIFY2(
            rig->text().contains(QStringLiteral("imx477, xvs-sink, gpiochip0")), qPrintable(rig->text()));
        dialog->close();
        QTRY_VERIFY(!window.findChild<ui::DoctorDialog *>());  // deleted on close
    }

    void mainWindowWithoutADoctorDisablesTheAction()
    {
        ui::MainWindowOptions options;
        options.startLive = false;
        options.runsDirectory = m_dir.filePath(QStringLiteral("runs"));
        const ui::RigFactory noRig
            = [](const core::acquisition::RigDescription &, const core::camera::CameraSettings &)
            -> core::Result<std::unique_ptr<core::acquisition::Rig>> {
            return core::Error {QStringLiteral("no rig in this test"), {}};
        };
        ui::MainWindow window(noRig, options);
        auto *action = window.findChild<QAction *>(QStringLiteral("rigDoctorAction"));
        QVERIFY(action);
        QVERIFY(!action->isEnabled());
        // The reason is not only a tooltip: the status bar and What's This say it too.
        QVERIFY(action->statusTip().contains(QStringLiteral("scopesync doctor")));
        QVERIFY(action->whatsThis().contains(QStringLiteral("scopesync doctor")));
        action->trigger();
        QCoreApplication::processEvents();
        QVERIFY(!window.findChild<ui::DoctorDialog *>());
    }

    void firstRunOffersTheChecklist()
    {
        CountingDoctor doctor;
        ui::FirstRunDialog first(doctor.fn());
        first.show();
        auto *check = first.findChild<QPushButton *>(QStringLiteral("firstRunDoctor"));
        QVERIFY(check);
        QVERIFY(check->isVisible());
        QVERIFY(check->height() >= 48);
        QTest::mouseClick(check, Qt::LeftButton);
        ui::DoctorDialog *dialog = first.findChild<ui::DoctorDialog *>();
        QVERIFY(dialog);
        QVERIFY(waitChecked(*dialog));
        QCOMPARE(doctor.calls->load(), 1);
        QVERIFY(dialog->row(QStringLiteral("realtime")));
        dialog->close();
        // The checklist leaves the choice open.
        QVERIFY(first.isVisible());
        QCOMPARE(first.choice(), ui::FirstRunDialog::Choice::Quit);

        ui::FirstRunDialog without;
        without.show();
        QVERIFY(!without.findChild<QPushButton *>(QStringLiteral("firstRunDoctor"))->isVisible());
        QVERIFY(!without.findChild<QListWidget *>(QStringLiteral("firstRunCameras")));
    }

    void firstRunListsTheCamerasWithTheirRigFileEntries()
    {
        using core::acquisition::CameraOffer;
        const QList<CameraOffer> offers {
            {QStringLiteral("libcamera"), QStringLiteral("imx477"), QStringLiteral("/base/imx477@1a"),
                QStringLiteral("\"sensor\": \"imx477\"")},
            {QStringLiteral("Qt Multimedia"), QStringLiteral("HD USB Camera"),
                QStringLiteral("up to 1280x720 at 30 fps"),
                QStringLiteral(
                    R"("camera": {"backend":"qt","device":"HD USB Camera","fps":30,"mode":"1280x720"})")},
            {QStringLiteral("Qt Multimedia"), QStringLiteral("unicam"),
                QStringLiteral("offers no pixel format ScopeSync reads"), {}}};
        ui::FirstRunDialog first({}, [offers] { return offers; });
        first.show();
        auto *list = first.findChild<QListWidget *>(QStringLiteral("firstRunCameras"));
        auto *entry = first.findChild<QLabel *>(QStringLiteral("firstRunCameraEntry"));
        QVERIFY(list && entry);
        QTRY_COMPARE(list->count(), 3);
        QVERIFY(list->item(0)->text().contains(QStringLiteral("imx477 (libcamera)")));
        QVERIFY(list->item(1)->text().contains(QStringLiteral("HD USB Camera (Qt Multimedia)")));
        list->setCurrentRow(1);
        QVERIFY2(entry->text().contains(offers.at(1).rigFileEntry), qPrintable(entry->text()));
        list->setCurrentRow(2);
        QVERIFY2(entry->text().contains(QStringLiteral("no pixel format")), qPrintable(entry->text()));
        QVERIFY(!entry->text().contains(QStringLiteral("\"camera\"")));
        QCOMPARE(first.choice(), ui::FirstRunDialog::Choice::Quit);

        // Nothing found, or the listing failed: said in the list, not left at "Looking…".
        ui::FirstRunDialog none({}, [] { return QList<CameraOffer> {}; });
        auto *noneList = none.findChild<QListWidget *>(QStringLiteral("firstRunCameras"));
        QTRY_VERIFY(noneList->item(0)->text() != ui::FirstRunDialog::tr("Looking for cameras…"));
        QCOMPARE(noneList->count(), 1);
        ui::FirstRunDialog failing(
            {}, []() -> QList<CameraOffer> { throw std::runtime_error("probe died"); });
        auto *failingList = failing.findChild<QListWidget *>(QStringLiteral("firstRunCameras"));
        QTRY_VERIFY(failingList->item(0)->text().contains(QStringLiteral("probe died")));
    }
};

QTEST_MAIN(TestDoctorDialog)
#include "test_doctor_dialog.moc"
