// AppError parsing and HTTP status mapping (see http_errors.h).
#include "api/http_errors.h"

#include "api/json_reader.h"
#include "sync/redact.h"

namespace rostersync::api {

namespace {

std::string Printable(const std::string& text, std::size_t limit) {
  std::string out;
  for (char c : text.substr(0, limit)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsUniquenessError(const std::string& id) {
  return id.find("_exists") != std::string::npos || EndsWith(id, ".exists.app_error");
}

}  // namespace

bool TrailingAppError(const std::string& body, std::string* error_json) {
  std::size_t i = body.find_first_not_of(" \t\r\n");
  if (i == std::string::npos || (body[i] != '{' && body[i] != '[')) return false;
  int depth = 0;
  bool in_string = false;
  for (; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      break;
    }
  }
  if (i >= body.size()) return false;  // unbalanced: the decoder reports it
  std::size_t rest = body.find_first_not_of(" \t\r\n", i + 1);
  if (rest == std::string::npos || body[rest] != '{') return false;
  std::string tail = body.substr(rest);
  if (ParseAppError(tail).id.empty()) return false;
  *error_json = std::move(tail);
  return true;
}

AppError ParseAppError(const std::string& body) {
  AppError error;
  auto parsed = json::Parse(body);
  if (parsed.ok()) {
    auto obj = json::AsObject(*parsed, "error");
    if (obj.ok()) {
      int64_t code = 0;
      // Wrongly typed fields are ignored here: an error answer is best effort.
      (void)json::Str(*obj, "id", &error.id);
      (void)json::Str(*obj, "message", &error.message);
      (void)json::Str(*obj, "detailed_error", &error.detailed_error);
      (void)json::Str(*obj, "request_id", &error.request_id);
      if (json::Int(*obj, "status_code", &code).ok()) error.status_code = static_cast<int>(code);
      error.message = Printable(error.message, 300);
      error.detailed_error = Printable(error.detailed_error, 300);
      return error;
    }
  }
  error.message = Printable(body, 200);
  return error;
}

Status MapHttpError(int http_status, const std::string& body, const std::string& header_request_id,
                    const std::string& what, const std::string& secret) {
  AppError error = ParseAppError(redact::Token(body, secret));
  std::string request_id = error.request_id.empty() ? header_request_id : error.request_id;
  std::string message = what + ": HTTP " + std::to_string(http_status);
  if (!error.message.empty()) message += ": " + error.message;
  if (!error.detailed_error.empty()) message += " (" + error.detailed_error + ")";
  if (!request_id.empty()) message += " [request id " + request_id + "]";

  Status::Code code;
  if (http_status == 404) {
    code = Status::Code::kNotFound;
  } else if (http_status == 409 || (http_status == 400 && IsUniquenessError(error.id))) {
    code = Status::Code::kConflict;
  } else if (http_status == 401) {
    code = Status::Code::kUnauthorized;
  } else if (http_status == 403) {
    code = Status::Code::kForbidden;
  } else if (http_status == 429) {
    code = Status::Code::kRateLimited;
  } else if (http_status == 501) {
    code = Status::Code::kNotImplemented;
  } else if (http_status >= 500) {
    code = Status::Code::kTransient;
  } else if (http_status >= 400) {
    code = Status::Code::kInvalid;
  } else {
    code = Status::Code::kInternal;  // 1xx/3xx where a success was expected
    message += ": unexpected status";
  }
  Status status(code, message);
  status.WithHttp(http_status, request_id, error.id);
  return status;
}

}  // namespace rostersync::api
