// queueOnThreadOf and startOnPool: a posted event delivered by one courier object in the main thread, and a
// pool task that owns its parcel; both hand-offs annotated for ThreadSanitizer.
#include "ui/common/gui_handoff.h"

#include "core/common/sanitizer_build.h"

#include <QCoreApplication>
#include <QEvent>
#include <QMetaObject>
#include <QPointer>
#include <QThread>

#ifdef SCOPESYNC_UNDER_TSAN
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
#endif

namespace scopesync::ui {

namespace {

// What one thread publishes before a hand-off Qt synchronises out of TSan's sight (release), and what the
// receiving thread takes on first (acquire). Nothing without ThreadSanitizer.
void publish([[maybe_unused]] void *handOff)
{
#ifdef SCOPESYNC_UNDER_TSAN
    __tsan_release(handOff);
#endif
}
void receive([[maybe_unused]] void *handOff)
{
#ifdef SCOPESYNC_UNDER_TSAN
    __tsan_acquire(handOff);
#endif
}

class WorkEvent : public QEvent {
public:
    static QEvent::Type type()
    {
        static const auto registered = QEvent::Type(QEvent::registerEventType());
        return registered;
    }
    WorkEvent(QObject *receiver, std::function<void()> work)
        : QEvent(type()), context(receiver), fn(std::move(work))
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
        receive(e);  // before reading anything of the event, its type included
        if (e->type() != WorkEvent::type())
            return QObject::event(e);
        auto *work = static_cast<WorkEvent *>(e);
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
    publish(work);
    QCoreApplication::postEvent(mainThreadCourier(), work);
}

void startOnPool(QThreadPool &pool, std::function<void()> fn)
{
    // A raw pointer, so that the task QThreadPool copies is trivially copyable and lives inside its
    // std::function: the only memory both threads touch is the parcel. The task owns it.
    auto *parcel = new std::function<void()>(std::move(fn));
    publish(parcel);
    pool.start([parcel] {
        receive(parcel);
        const std::function<void()> work = std::move(*parcel);
        delete parcel;
        if (work)
            work();
    });
}

}  // namespace scopesync::ui
