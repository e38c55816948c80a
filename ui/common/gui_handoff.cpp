// queueOnThreadOf: a posted event carrying the work, delivered by one courier object per receiving thread.
#include "ui/common/gui_handoff.h"

#include <QCoreApplication>
#include <QEvent>
#include <QMetaObject>
#include <QPointer>
#include <QThread>

#if defined(__SANITIZE_THREAD__)
#define SCOPESYNC_TSAN_ANNOTATE 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SCOPESYNC_TSAN_ANNOTATE 1
#endif
#endif

#ifdef SCOPESYNC_TSAN_ANNOTATE
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
#endif

namespace scopesync::ui {

namespace {

class WorkEvent : public QEvent {
public:
    static QEvent::Type type()
    {
        static const auto registered = QEvent::Type(QEvent::registerEventType());
        return registered;
    }
    WorkEvent(QObject *context, std::function<void()> fn)
        : QEvent(type()), context(context), fn(std::move(fn))
    {
    }
    QPointer<QObject> context;
    std::function<void()> fn;
};

// Lives in the application's main thread and runs the work posted to it.
class Courier : public QObject {
public:
    bool event(QEvent *e) override
    {
        if (e->type() != WorkEvent::type())
            return QObject::event(e);
        auto *work = static_cast<WorkEvent *>(e);
#ifdef SCOPESYNC_TSAN_ANNOTATE
        __tsan_acquire(work);
#endif
        if (work->context && work->fn)
            work->fn();
        return true;
    }
};

Courier *mainThreadCourier()
{
    // Created on first use from whichever thread, then handed to the main thread; never deleted, so a late
    // hand-off during shutdown finds it (its events are simply not delivered once the loop has ended).
    static Courier *courier = [] {
        auto *c = new Courier;
        c->moveToThread(QCoreApplication::instance()->thread());
        return c;
    }();
    return courier;
}

}  // namespace

void queueOnThreadOf(QObject *context, std::function<void()> fn)
{
    if (!context || !fn)
        return;
    if (!QCoreApplication::instance() || context->thread() != QCoreApplication::instance()->thread()) {
        // Not a main-thread receiver: Qt's own queued call (not annotated for TSan).
        QMetaObject::invokeMethod(context, std::move(fn), Qt::QueuedConnection);
        return;
    }
    auto *work = new WorkEvent(context, std::move(fn));
#ifdef SCOPESYNC_TSAN_ANNOTATE
    __tsan_release(work);
#endif
    QCoreApplication::postEvent(mainThreadCourier(), work);
}

}  // namespace scopesync::ui
