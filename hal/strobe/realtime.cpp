// Real-time scheduling for the strobe thread: SCHED_FIFO and locked memory, where the system permits.
#include "hal/strobe/realtime.h"

#include <QStringList>

#include <cerrno>
#include <cstring>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>

namespace scopesync::hal::strobe {

RealtimeStatus enterRealtime(int priority)
{
    RealtimeStatus st;
    QStringList notes;
    sched_param param {};
    param.sched_priority = priority;
    const int err = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
    if (err == 0) {
        st.fifo = true;
    } else {
        rlimit rl {};
        getrlimit(RLIMIT_RTPRIO, &rl);
        notes << QStringLiteral(
            "SCHED_FIFO refused (%1; RLIMIT_RTPRIO %2): LED timing will be less precise; allow it "
            "with a file /etc/security/limits.d/scopesync.conf containing '@gpio - rtprio %3'")
                     .arg(QString::fromLocal8Bit(std::strerror(err)))
                     .arg(rl.rlim_cur == RLIM_INFINITY ? QStringLiteral("unlimited")
                                                       : QString::number(rl.rlim_cur))
                     .arg(priority);
    }
    // Current pages only: MCL_FUTURE would make every later image allocation fail once RLIMIT_MEMLOCK
    // is reached, which is worse than a rare page fault.
    if (mlockall(MCL_CURRENT) == 0) {
        st.memoryLocked = true;
    } else {
        notes << QStringLiteral(
            "mlockall refused (%1): raise 'memlock' in /etc/security/limits.d/scopesync.conf")
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
    }
    st.note = notes.join(QStringLiteral("; "));
    return st;
}

}  // namespace scopesync::hal::strobe
