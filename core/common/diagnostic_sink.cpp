// DiagnosticSink: collects problems found in an input up to a cap, so a hostile file cannot exhaust memory.
#include "core/common/diagnostic_sink.h"

namespace scopesync::core {

DiagnosticSink::~DiagnosticSink()
{
    if (m_dropped == 0)
        return;
    const QString message = QStringLiteral(
        "%1 more problems (%2 of them errors) were found and not listed; fix the ones above and "
        "check the file again")
                                .arg(m_dropped)
                                .arg(m_droppedErrors);
    if (m_droppedErrors > 0)
        m_out.error(QStringLiteral("$"), message);
    else
        m_out.warning(QStringLiteral("$"), message);
}

bool DiagnosticSink::admit()
{
    if (m_listed >= m_maxListed) {
        ++m_dropped;
        return false;
    }
    ++m_listed;
    return true;
}

void DiagnosticSink::error(const QString &path, const QString &message)
{
    ++m_errors;
    if (!m_firstError)
        m_firstError = Error {message, path};
    if (admit())
        m_out.error(path, message);
    else
        ++m_droppedErrors;
}

void DiagnosticSink::warning(const QString &path, const QString &message)
{
    if (admit())
        m_out.warning(path, message);
}

}  // namespace scopesync::core
