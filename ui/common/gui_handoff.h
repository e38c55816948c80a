// queueOnThreadOf and startOnPool: the one way work is handed from one thread to another in the GUI.
#pragma once

#include <QObject>
#include <QThreadPool>

#include <functional>

namespace scopesync::ui {

// From any thread: runs `fn` later on the thread `context` lives in (the GUI thread), or never if `context`
// is deleted first. Everything `fn` captured is handed over whole: the poster must not touch it afterwards.
//
// It is a posted event that the receiving thread deletes itself, so the poster never frees what the receiver
// read (QMetaObject::invokeMethod may), and under ThreadSanitizer the hand-off is annotated as a release and
// an acquire: Qt's event queue is guarded by futexes TSan cannot see, and without the annotation every
// hand-off would be reported as a race, hiding the real ones.
void queueOnThreadOf(QObject *context, std::function<void()> fn);

// From any thread: runs `fn` on one of `pool`'s threads, the hand-off annotated for TSan as above
// (QThreadPool's queue is guarded by futexes it cannot see).
void startOnPool(QThreadPool &pool, std::function<void()> fn);

}  // namespace scopesync::ui
