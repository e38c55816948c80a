// The GUI over VNC: tools/remote-gui serves the app, vncsnapshot sees it, xdotool input changes its state.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Ran {
    int exitCode = -1;
    QString out;
};

Ran runTool(
    const QString &program, const QStringList &args, const QProcessEnvironment &env, int timeoutMs = 30000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.closeWriteChannel();  // a client that asks for a password reads end-of-file, not a hang
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-1, QString::fromLocal8Bit(p.readAll())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromLocal8Bit(p.readAll())};
}

int countImages(const QString &dir)
{
    int n = 0;
    QDirIterator it(dir, {QStringLiteral("*.ome.tif")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

// A display number nobody uses (no socket, no lock file).
int freeDisplay()
{
    for (int n = 120 + int(QCoreApplication::applicationPid() % 60); n < 400; ++n)
        if (!QFile::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(n))
            && !QFile::exists(QStringLiteral("/tmp/.X%1-lock").arg(n)))
            return n;
    return -1;
}

}  // namespace

class TestRemoteGui : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void vncClientSeesTheAppAndInputChangesIt()
    {
        for (const char *tool : {"Xvfb", "x11vnc", "vncsnapshot", "xdotool"})
            if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1 is missing: install the Debian packages xvfb, x11vnc, "
                                                "vncsnapshot and xdotool (packaging/debian-packages-test.txt)")
                                     .arg(QString::fromLatin1(tool))));
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const int display = freeDisplay();
        QVERIFY(display > 0);
        const int port = 5900 + display;
        const QString runs = home.filePath(QStringLiteral("runs"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));

        QProcess launcher;
        launcher.setProcessEnvironment(env);
        launcher.setProcessChannelMode(QProcess::MergedChannels);
        launcher.start(QStringLiteral("bash"),
            {QStringLiteral(SCOPESYNC_REMOTE_GUI), QStringLiteral("--display"),
                QStringLiteral(":%1").arg(display), QStringLiteral("--port"), QString::number(port),
                QStringLiteral("--size"), QStringLiteral("1280x800"), QStringLiteral("--bin"),
                QStringLiteral(SCOPESYNC_EXE), QStringLiteral("--"), QStringLiteral("--rig"),
                QStringLiteral("sim"), QStringLiteral("--runs-dir"), runs});
        QVERIFY(launcher.waitForStarted());
        QString log;
        const auto cleanup = qScopeGuard([&] {
            if (launcher.state() != QProcess::NotRunning) {
                launcher.terminate();  // the launcher's trap stops the app, x11vnc and Xvfb
                if (!launcher.waitForFinished(20000))
                    launcher.kill();
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(
            (log += QString::fromLocal8Bit(launcher.readAll())).contains(QStringLiteral("VNC on localhost")),
            60000);
        QVERIFY2(log.contains(QStringLiteral("new VNC password")), qPrintable(log));
        const QString passwd = home.filePath(QStringLiteral("config/scopesync/vnc.passwd"));
        QVERIFY2(QFile::exists(passwd), qPrintable(log));
        QCOMPARE(int(QFile::permissions(passwd) & (QFile::ReadGroup | QFile::ReadOther)), 0);

        QProcessEnvironment x = env;
        x.insert(QStringLiteral("DISPLAY"), QStringLiteral(":%1").arg(display));
        QString window;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(window = runTool(QStringLiteral("xdotool"),
                  {QStringLiteral("search"), QStringLiteral("--name"), QStringLiteral("^ScopeSync")}, x)
                           .out.split(u'\n', Qt::SkipEmptyParts)
                           .value(0))
                 .isEmpty(),
            60000);
        // Let the preview show a few frames of the simulated rig.
        QTest::qWait(3000);

        // The server is bound to localhost only, and refuses a client without the password.
        const Ran listening = runTool(QStringLiteral("ss"), {QStringLiteral("-ltnH")}, env);
        if (listening.exitCode == 0) {
            const QString portText = QStringLiteral(":%1 ").arg(port);
            for (const QString &line : listening.out.split(u'\n'))
                if (line.contains(portText))
                    QVERIFY2(
                        line.contains(QStringLiteral("127.0.0.1")) || line.contains(QStringLiteral("[::1]")),
                        qPrintable(line));
        }
        QDir().mkpath(QStringLiteral(SCOPESYNC_SNAPSHOT_DIR));
        const QString refused = home.filePath(QStringLiteral("refused.jpg"));
        const Ran noPassword = runTool(
            QStringLiteral("vncsnapshot"), {QStringLiteral("localhost:%1").arg(display), refused}, env);
        QVERIFY2(!QFile::exists(refused), qPrintable(noPassword.out));

        const QString shot = QStringLiteral(SCOPESYNC_SNAPSHOT_DIR "/vnc-1280x800.jpg");
        QFile::remove(shot);
        const Ran snap = runTool(QStringLiteral("vncsnapshot"),
            {QStringLiteral("-passwd"), passwd, QStringLiteral("localhost:%1").arg(display), shot}, env);
        QVERIFY2(snap.exitCode == 0, qPrintable(snap.out));
        const QImage image(shot);
        QVERIFY2(!image.isNull(), qPrintable(snap.out));
        QCOMPARE(image.size(), QSize(1280, 800));
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4)
            for (int xx = 0; xx < image.width(); xx += 4)
                colours.insert(image.pixel(xx, y));
        QVERIFY2(colours.size() > 100, "the VNC snapshot looks blank");
        qInfo("VNC snapshot saved: %s", qPrintable(shot));

        // A key press through the X server (XTEST): F6 captures one image into the runs folder.
        QCOMPARE(countImages(runs), 0);
        QCOMPARE(runTool(QStringLiteral("xdotool"),
                     {QStringLiteral("windowfocus"), QStringLiteral("--sync"), window}, x)
                     .exitCode,
            0);
        QCOMPARE(
            runTool(QStringLiteral("xdotool"), {QStringLiteral("key"), QStringLiteral("F6")}, x).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(countImages(runs), 1, 30000);
        // Ctrl+Q quits the app, which ends the launcher (and its VNC server) cleanly.
        QCOMPARE(
            runTool(QStringLiteral("xdotool"), {QStringLiteral("key"), QStringLiteral("ctrl+q")}, x).exitCode,
            0);
        QVERIFY2(
            launcher.waitForFinished(30000), qPrintable(log + QString::fromLocal8Bit(launcher.readAll())));
        QCOMPARE(launcher.exitCode(), 0);
        // …and the launcher's trap took the virtual display down with it.
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(display)), 10000);
    }
};

QTEST_GUILESS_MAIN(TestRemoteGui)
#include "test_remote_gui.moc"
