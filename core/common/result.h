// Result<T>: a value or a human-readable error with its context, returned across core and hal.
#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace scopesync::core {

// An error a user can act on: `message` says what is wrong and what to change; `where` names
// the place (a file, "line 12", a JSON path such as "$.steps[2].duration_ms").
struct Error {
    QString message;
    QString where;

    [[nodiscard]] QString toString() const
    {
        return where.isEmpty() ? message : where + QStringLiteral(": ") + message;
    }
};

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) { }  // NOLINT(google-explicit-constructor)
    Result(Error error) : m_state(std::move(error)) { }  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] const T &value() const & { return std::get<T>(m_state); }
    [[nodiscard]] T &value() & { return std::get<T>(m_state); }
    [[nodiscard]] T &&value() && { return std::get<T>(std::move(m_state)); }
    [[nodiscard]] const Error &error() const { return std::get<Error>(m_state); }

    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    const T &operator*() const & { return value(); }

private:
    std::variant<T, Error> m_state;
};

// For operations that produce nothing but may fail.
struct Ok { };
using Status = Result<Ok>;

}  // namespace scopesync::core
