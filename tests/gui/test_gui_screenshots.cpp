// Screenshots of the real app in a real X window (Xvfb) at the touchscreen's and a desktop's size.
#include <QDir>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestGuiScreenshots : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void screenshot_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QString>("lang");
        QTest::newRow("touch-800x480-en") << QSize(800, 480) << QStringLiteral("en");
        QTest::newRow("touch-800x480-de") << QSize(800, 480) << QStringLiteral("de");
        QTest::newRow("desktop-1280x800-en") << QSize(1280, 800) << QStringLiteral("en");
        QTest::newRow("desktop-1920x1080-en") << QSize(1920, 1080) << QStringLiteral("en");
        QTest::newRow("desktop-1920x1080-de") << QSize(1920, 1080) << QStringLiteral("de");
    }

    void screenshot()
    {
        QFETCH(QSize, size);
        QFETCH(QString, lang);
        const QString xvfbRun = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
        if (xvfbRun.isEmpty())
            QSKIP("xvfb-run is missing: install the Debian package xvfb (listed in "
                  "packaging/debian-packages.txt)");
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QDir().mkpath(QStringLiteral(SCOPESYNC_SCREENSHOT_DIR));
        const QString png = QStringLiteral(SCOPESYNC_SCREENSHOT_DIR "/main-window-%1x%2-%3.png")
                                .arg(size.width())
                                .arg(size.height())
                                .arg(lang);
        QFile::remove(png);

        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));  // a real X window, not offscreen
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
        app.setProcessEnvironment(env);
        app.setProcessChannelMode(QProcess::MergedChannels);
        app.start(xvfbRun,
            {QStringLiteral("-a"), QStringLiteral("-s"),
                QStringLiteral("-screen 0 %1x%2x24").arg(size.width()).arg(size.height()),
                QStringLiteral(SCOPESYNC_EXE), QStringLiteral("gui"), QStringLiteral("--rig"),
                QStringLiteral("sim"), QStringLiteral("--runs-dir"), home.filePath(QStringLiteral("runs")),
                QStringLiteral("--frames"), QStringLiteral("2"), QStringLiteral("--size"),
                QStringLiteral("%1x%2").arg(size.width()).arg(size.height()), QStringLiteral("--lang"), lang,
                QStringLiteral("--screenshot"), png});
        QVERIFY(app.waitForFinished(180'000));
        const QString output = QString::fromLocal8Bit(app.readAll());
        QVERIFY2(app.exitStatus() == QProcess::NormalExit && app.exitCode() == 0, qPrintable(output));

        QImage image(png);
        QVERIFY2(!image.isNull(), qPrintable(png));
        // The window must fit the screen exactly: larger would mean controls cut off at the edge.
        QCOMPARE(image.size(), size);
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 100, "the screenshot looks blank");
        qInfo("screenshot saved: %s", qPrintable(png));
    }
};

QTEST_GUILESS_MAIN(TestGuiScreenshots)
#include "test_gui_screenshots.moc"
