// Maps a non-2xx Mattermost answer to a Status: 404 NotFound, 409 and 400
// *_exists Conflict, 401 Unauthorized, 403 Forbidden, 429 RateLimited, 5xx Transient,
// 501 NotImplemented, other 4xx Invalid. Stateless; thread-safe.
#ifndef ROSTERSYNC_API_HTTP_ERRORS_H_
#define ROSTERSYNC_API_HTTP_ERRORS_H_

#include <string>

#include "sync/status.h"

namespace rostersync::api {

// The AppError fields, or a plain-text body when the answer was not JSON (429 "limit
// exceeded").
struct AppError {
  std::string id;
  std::string message;
  std::string detailed_error;
  std::string request_id;
  int status_code = 0;
};

// Parses an AppError body; fields not present stay empty. Never fails: a non-JSON body
// becomes `message` (first 200 bytes, control characters replaced).
AppError ParseAppError(const std::string& body);

// A 2xx body that is one JSON value followed by an AppError object, as
// `{"status":"OK"}{"id":"app.user.update_active.user_limit.exceeded",...}`: the server set
// an error after it had written the success answer (updateUserActive does). Returns true
// with the error's JSON in *error_json; false for an ordinary body.
bool TrailingAppError(const std::string& body, std::string* error_json);

// `what` names the request ("PUT /api/v4/users/{user_id}/patch"). The Status carries
// WithHttp(status, request id, error id). header_request_id is X-Request-Id ("" if absent).
// `secret` (the API token) is redacted from the body BEFORE the message is cut to length,
// so a reflected token cannot leak in part across the cut.
Status MapHttpError(int http_status, const std::string& body, const std::string& header_request_id,
                    const std::string& what, const std::string& secret = "");

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_HTTP_ERRORS_H_
