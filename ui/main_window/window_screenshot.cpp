// screenshotWhenPreviewed: polls the preview's frame count, then grabs and saves the window.
#include "ui/main_window/window_screenshot.h"

#include "ui/main_window/main_window.h"
#include "ui/preview/preview_panel.h"
#include "ui/preview/preview_widget.h"

#include <QGuiApplication>
#include <QPixmap>
#include <QScreen>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace scopesync::ui {

void screenshotWhenPreviewed(MainWindow &window, const QString &path, int frames,
    std::chrono::milliseconds timeout, std::function<void(bool saved, const QString &message)> done)
{
    frames = std::max(1, frames);
    auto finished = std::make_shared<bool>(false);
    auto report = [finished, done = std::move(done)](bool saved, const QString &message) {
        if (*finished)
            return;
        *finished = true;
        done(saved, message);
    };
    auto *poll = new QTimer(&window);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, poll, path, frames, report] {
        if (window.previewPanel()->preview()->framesShown() < frames)
            return;
        poll->stop();
        QPixmap pixmap;
        if (QGuiApplication::platformName() == QLatin1String("xcb") && window.screen())
            pixmap = window.screen()->grabWindow(window.winId());
        if (pixmap.isNull())
            pixmap = window.grab();
        if (!pixmap.save(path, "PNG")) {
            report(false, QStringLiteral("could not write %1").arg(path));
            return;
        }
        report(true,
            QStringLiteral("screenshot: %1 (%2x%3)").arg(path).arg(pixmap.width()).arg(pixmap.height()));
    });
    poll->start(100);
    QTimer::singleShot(timeout, &window, [poll, timeout, report] {
        poll->stop();
        report(false,
            QStringLiteral("no preview frame within %1 s; no screenshot written")
                .arg(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
    });
}

}  // namespace scopesync::ui
