// Error values for failures a user can cause (bad files, bad rules, bad input).
// Exceptions are reserved for programming errors and fatal setup problems caught in main().
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace grundscan {

// A user-facing error: what went wrong and where (file and 1-based line, when known).
struct Error {
    std::string message;
    std::string file;
    int line = 0;

    Error(std::string message_, std::string file_ = {},
          int line_ = 0)  // NOLINT(google-explicit-constructor)
        : message(std::move(message_)), file(std::move(file_)), line(line_) {}

    // "file:line: message", "file: message" or "message".
    std::string describe() const {
        if (file.empty()) return message;
        if (line > 0) return file + ":" + std::to_string(line) + ": " + message;
        return file + ": " + message;
    }
};

// Either a value or an Error (a small stand-in for C++23 std::expected).
template <class T>
class Expected {
  public:
    Expected(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Expected(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, Error> v_;
};

// Status for operations without a value.
struct Ok {};
using Status = Expected<Ok>;

}  // namespace grundscan
