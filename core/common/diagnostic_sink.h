// DiagnosticSink: collects problems found in an input up to a cap, so a hostile file cannot exhaust memory.
#pragma once

#include "core/common/diagnostics.h"
#include "core/common/result.h"

#include <optional>

namespace scopesync::core {

// A 16 MB file could otherwise yield millions of identical complaints; nobody reads past the first
// few hundred, so the rest are counted and summarised in one closing line.
class DiagnosticSink {
public:
    static constexpr int kMaxListed = 1000;

    // `maxListed` 1 keeps only the first problem, for a reader that answers with one error.
    explicit DiagnosticSink(Diagnostics &out, int maxListed = kMaxListed) : m_out(out), m_maxListed(maxListed)
    {
    }
    ~DiagnosticSink();
    DiagnosticSink(const DiagnosticSink &) = delete;
    DiagnosticSink &operator=(const DiagnosticSink &) = delete;

    void error(const QString &path, const QString &message);
    void warning(const QString &path, const QString &message);
    [[nodiscard]] int errorCount() const { return m_errors; }
    // The first error reported, listed or not.
    [[nodiscard]] const std::optional<Error> &firstError() const { return m_firstError; }

private:
    bool admit();

    Diagnostics &m_out;
    int m_maxListed;
    int m_listed = 0;
    int m_dropped = 0;
    int m_droppedErrors = 0;
    int m_errors = 0;
    std::optional<Error> m_firstError;
};

}  // namespace scopesync::core
