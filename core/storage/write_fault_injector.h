// WriteFaultInjector: a test seam that makes file writes fail (ENOSPC, EIO…) after a byte budget.
#pragma once

#include <QtGlobal>

#include <cerrno>

namespace scopesync::core::storage {

// Every byte the storage classes write passes through allow(), so a test can make the N-th image fail
// part-way through its pixels, or its manifest line, exactly as a full disk would: the bytes up to the
// budget reach the file, then write() reports the error. Not thread-safe: one writer thread owns it.
class WriteFaultInjector {
public:
    // After `bytesAllowed` more bytes, every write fails with `errnoValue`.
    void arm(qint64 bytesAllowed, int errnoValue = ENOSPC)
    {
        m_budget = bytesAllowed;
        m_errno = errnoValue;
    }
    void disarm() { m_budget = -1; }
    [[nodiscard]] bool armed() const { return m_budget >= 0; }

    // How many of `requested` bytes may be written now; 0 means fail with errnoValue().
    qint64 allow(qint64 requested)
    {
        if (m_budget < 0)
            return requested;
        const qint64 n = requested < m_budget ? requested : m_budget;
        m_budget -= n;
        return n;
    }
    [[nodiscard]] int errnoValue() const { return m_errno; }

private:
    qint64 m_budget = -1;  // bytes left before the fault; -1 = disarmed
    int m_errno = ENOSPC;
};

}  // namespace scopesync::core::storage
