// Transport-neutral request/response values passed between the Poco HTTP layer and the
// route handlers, plus AppError helpers. Plain values; not shared between threads.
#ifndef ROSTERSYNC_TESTS_EMULATOR_API_TYPES_H_
#define ROSTERSYNC_TESTS_EMULATOR_API_TYPES_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mmemu {

struct ApiRequest {
  std::string method;
  std::string path;  // without the query string
  std::map<std::string, std::string> query;
  std::string body;
  std::string token;  // from "Authorization: Bearer <token>", "" if none
  std::string if_none_match;
  std::string request_id;
  std::vector<std::string> params;  // values of the route's {placeholders}, in order
};

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

// Fills `resp` with an AppError JSON body: {id, message, detailed_error, request_id, status_code}.
void SetAppError(const ApiRequest& req, ApiResponse* resp, int status, const std::string& id,
                 const std::string& message, const std::string& detailed = "");
// {"status":"OK"} with 200.
void SetStatusOk(ApiResponse* resp);

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_API_TYPES_H_
