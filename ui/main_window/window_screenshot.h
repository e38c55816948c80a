// screenshotWhenPreviewed: a PNG of the main window once its live preview has shown some frames
// (`scopesync gui --screenshot`: documentation images and checks of what a user sees).
#pragma once

#include <QString>

#include <chrono>
#include <functional>

namespace scopesync::ui {

class MainWindow;

// Waits (in the event loop) until the window's preview has shown `frames` frames, then saves the window
// as a PNG at `path`: from the X server when there is one (what a user sees), else the widget's own
// rendering. `done` is called once, on the GUI thread: saved, with a line naming the file and its size;
// or not, with the reason (no frame within `timeout`, the file could not be written).
void screenshotWhenPreviewed(MainWindow &window, const QString &path, int frames,
    std::chrono::milliseconds timeout, std::function<void(bool saved, const QString &message)> done);

}  // namespace scopesync::ui
