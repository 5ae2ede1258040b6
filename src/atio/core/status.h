// Errors as values: Status and Result<T>.
//
// Every function that can fail at a module boundary returns a Status or a
// Result<T>. An OK Status holds no allocation. Errors carry a code, a message
// a user can act on, and context added on the way up (a step id, a JSON
// pointer, a file name) with with_context(); context is never replaced by a
// vaguer message.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace atio {

enum class Code {
  kOk = 0,
  kInvalidArgument,   // bad input from a user: 400/422
  kNotFound,          // 404
  kAlreadyExists,     // 409
  kConflict,          // 409 (state does not allow the operation)
  kUnauthenticated,   // 401
  kPermissionDenied,  // 403
  kResourceExhausted, // 429 (queue full, limits)
  kPayloadTooLarge,   // 413
  kTimeout,           // step or call timed out
  kAborted,           // cancelled by a user or shutdown
  kUnavailable,       // an outside system could not be reached
  kFailed,            // a step ran and failed (non-2xx, script error, ...)
  kIo,                // file or database error
  kInternal,          // broken invariant
};

// Short stable name of a code, e.g. "invalid_argument".
std::string_view code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message);

  static Status ok() { return Status(); }

  bool is_ok() const { return rep_ == nullptr; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  // The message without context; empty when OK.
  const std::string& message() const;
  // "context: context: message" as shown to users.
  std::string to_string() const;

  // Prefixes context ("step action--1", "/workflow/x") to the message.
  Status with_context(std::string_view context) &&;
  Status with_context(std::string_view context) const&;

 private:
  struct Rep {
    Code code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;
};

// Result<T> holds either a value or an error Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status error) : v_(std::move(error)) {}  // NOLINT: implicit by design
  Result(Code code, std::string message) : v_(Status(code, std::move(message))) {}

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }

  // REQUIRES: is_ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The error; an OK Status when is_ok().
  Status status() const {
    if (is_ok()) return Status();
    return std::get<Status>(v_);
  }

 private:
  std::variant<T, Status> v_;
};

}  // namespace atio

// Returns early from the enclosing function when `expr` yields an error.
#define ATIO_RETURN_IF_ERROR(expr)            \
  do {                                        \
    ::atio::Status atio_status_ = (expr);     \
    if (!atio_status_.is_ok()) return atio_status_; \
  } while (0)

#define ATIO_CONCAT_INNER(a, b) a##b
#define ATIO_CONCAT(a, b) ATIO_CONCAT_INNER(a, b)
// Declares `lhs` from a Result, returning the error early.
#define ATIO_ASSIGN_OR_RETURN(lhs, expr)                                  \
  auto ATIO_CONCAT(atio_result_, __LINE__) = (expr);                      \
  if (!ATIO_CONCAT(atio_result_, __LINE__).is_ok())                       \
    return ATIO_CONCAT(atio_result_, __LINE__).status();                  \
  lhs = std::move(ATIO_CONCAT(atio_result_, __LINE__)).value()
