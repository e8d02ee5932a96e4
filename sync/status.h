// Status and Result<T>: errors as values, used by every layer (docs/design.md).
// A Status is cheap to copy; Ok() carries no message. Thread-compatible value types.
// Exceptions from Poco or yaml-cpp are caught at the edge and turned into a Status.
#ifndef ROSTERSYNC_SYNC_STATUS_H_
#define ROSTERSYNC_SYNC_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace rostersync {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,        // 404: no such user / route
    kConflict,        // 409, or a 400 uniqueness error (username_exists, email_exists)
    kUnauthorized,    // 401: no or bad token
    kForbidden,       // 403: token lacks a permission
    kRateLimited,     // 429 after retries were exhausted
    kTransient,       // 5xx, reset, timeout: safe to retry if the request was idempotent
    kInvalid,         // 400 or bad input (config, roster row, JSON)
    kNotImplemented,  // 501 (e.g. demote an existing guest, no license)
    kOutcomeUnknown,  // a non-idempotent request may have reached the server: look it up
    kIoError,         // local file / database failure
    kInternal,        // a bug or an unexpected state
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
  static Status Unauthorized(std::string msg) { return Status(Code::kUnauthorized, std::move(msg)); }
  static Status Forbidden(std::string msg) { return Status(Code::kForbidden, std::move(msg)); }
  static Status RateLimited(std::string msg) { return Status(Code::kRateLimited, std::move(msg)); }
  static Status Transient(std::string msg) { return Status(Code::kTransient, std::move(msg)); }
  static Status Invalid(std::string msg) { return Status(Code::kInvalid, std::move(msg)); }
  static Status NotImplemented(std::string msg) { return Status(Code::kNotImplemented, std::move(msg)); }
  static Status OutcomeUnknown(std::string msg) { return Status(Code::kOutcomeUnknown, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // True for failures where repeating an idempotent request may succeed.
  bool IsTransient() const { return code_ == Code::kTransient || code_ == Code::kRateLimited; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsConflict() const { return code_ == Code::kConflict; }
  bool IsUnauthorized() const { return code_ == Code::kUnauthorized; }
  bool IsOutcomeUnknown() const { return code_ == Code::kOutcomeUnknown; }

  // HTTP details, kept for the audit trail. 0 / empty when not from an HTTP answer.
  int http_status() const { return http_status_; }
  const std::string& request_id() const { return request_id_; }
  const std::string& error_id() const { return error_id_; }  // AppError id
  Status& WithHttp(int http_status, std::string request_id, std::string error_id) {
    http_status_ = http_status;
    request_id_ = std::move(request_id);
    error_id_ = std::move(error_id);
    return *this;
  }

  // "Conflict: username taken (HTTP 400 app.user.save.username_exists.app_error)".
  std::string ToString() const;
  static const char* CodeName(Code code);

  // Prepends context: Status::Invalid("x").Annotate("roster.csv:12") -> "roster.csv:12: x".
  Status Annotate(const std::string& context) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
  int http_status_ = 0;
  std::string request_id_;
  std::string error_id_;
};

// Either a value or a non-OK Status. Accessing value() of a failed Result is a bug (asserts).
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {   // NOLINT: implicit by design
    assert(!status_.ok() && "Result(Status) needs an error status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& { assert(ok()); return *value_; }
  T& value() & { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_STATUS_H_
