// Status: the names of the codes and the one-line rendering used in logs and audit records.
#include "sync/status.h"

namespace rostersync {

const char* Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kNotFound: return "NotFound";
    case Code::kConflict: return "Conflict";
    case Code::kUnauthorized: return "Unauthorized";
    case Code::kForbidden: return "Forbidden";
    case Code::kRateLimited: return "RateLimited";
    case Code::kTransient: return "Transient";
    case Code::kInvalid: return "Invalid";
    case Code::kNotImplemented: return "NotImplemented";
    case Code::kOutcomeUnknown: return "OutcomeUnknown";
    case Code::kIoError: return "IoError";
    case Code::kInternal: return "Internal";
  }
  return "Unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string s = std::string(CodeName(code_)) + ": " + message_;
  if (http_status_ != 0) {
    s += " (HTTP " + std::to_string(http_status_);
    if (!error_id_.empty()) s += " " + error_id_;
    s += ")";
  }
  return s;
}

Status Status::Annotate(const std::string& context) const {
  if (ok()) return *this;
  Status s = *this;
  s.message_ = context + ": " + message_;
  return s;
}

}  // namespace rostersync
