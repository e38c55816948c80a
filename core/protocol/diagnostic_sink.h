// DiagnosticSink: collects protocol problems up to a cap, so a hostile file cannot exhaust memory.
#pragma once

#include "core/common/diagnostics.h"

namespace scopesync::core::protocol {

// A 16 MB file could otherwise yield millions of identical complaints; nobody reads past the first
// few hundred, so the rest are counted and summarised in one closing line.
class DiagnosticSink {
public:
    static constexpr int kMaxListed = 1000;

    explicit DiagnosticSink(Diagnostics &out) : m_out(out) { }
    ~DiagnosticSink();
    DiagnosticSink(const DiagnosticSink &) = delete;
    DiagnosticSink &operator=(const DiagnosticSink &) = delete;

    void error(const QString &path, const QString &message);
    void warning(const QString &path, const QString &message);
    [[nodiscard]] int errorCount() const { return m_errors; }

private:
    bool admit();

    Diagnostics &m_out;
    int m_listed = 0;
    int m_dropped = 0;
    int m_droppedErrors = 0;
    int m_errors = 0;
};

}  // namespace scopesync::core::protocol
