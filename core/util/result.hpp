// Result type for everything that parses, imports or validates: either a value
// or an Error naming what failed and where (file, line, column; 1-based, 0 = n/a).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace planner::core {

struct Error {
    std::string message;   // what went wrong and what was expected, one sentence
    std::string file{};    // input name as the user knows it ("" if none)
    int line = 0;
    int column = 0;

    // "file:line:column: message" with the parts that are known.
    std::string toString() const {
        std::string out;
        if (!file.empty()) out += file + ":";
        if (line > 0) out += std::to_string(line) + ":";
        if (column > 0) out += std::to_string(column) + ":";
        if (!out.empty()) out += " ";
        return out + message;
    }
};

template <typename T>
class Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(m_v); }
    const T& value() const { return std::get<0>(m_v); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

struct Ok {};
using Status = Result<Ok>;
inline Status okStatus() { return Ok{}; }

}  // namespace planner::core
