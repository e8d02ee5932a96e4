// Internal to api/: the templated JSON call shared by the client_*.cc files.
// Not a public header. Same thread-safety as Client.
#ifndef ROSTERSYNC_API_CLIENT_INTERNAL_H_
#define ROSTERSYNC_API_CLIENT_INTERNAL_H_

#include <string>

#include "api/client.h"
#include "api/json_codec.h"
#include "api/transport.h"
#include "api/url_util.h"

namespace rostersync::api {

// The users routes: "/api/v4/users" and "/api/v4/users/{id}<rest>" with the id escaped.
inline const std::string kUsers = "/api/v4/users";
inline std::string UserPath(const std::string& id, const std::string& rest = "") {
  return kUsers + "/" + Seg(id) + rest;
}

// True for "application/json" and "application/json; charset=utf-8".
inline bool IsJsonContentType(const std::string& content_type) {
  return content_type.compare(0, 16, "application/json") == 0;
}

template <typename T>
Result<T> Client::CallJson(const std::string& method, const std::string& path,
                           const std::string& route, const std::string& json_body,
                           bool read_only_post) {
  auto response = Call(method, path, route, json_body, read_only_post);
  if (!response.ok()) return response.status();
  return CallJsonDecode<T>(*response, method + " " + route);
}

template <typename T>
Result<T> Client::CallJsonDecode(const HttpResponse& response, const std::string& what) {
  if (!IsJsonContentType(response.content_type)) {
    Status s = Status::Invalid(what + ": expected a JSON answer, got content type '" +
                               response.content_type.substr(0, 80) + "'");
    s.WithHttp(response.status, response.request_id, "");
    return s;
  }
  auto decoded = Decode<T>(response.body);
  if (!decoded.ok()) {
    Status s = decoded.status().Annotate(what);
    s.WithHttp(response.status, response.request_id, "");
    return s;
  }
  return std::move(decoded).value();
}

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_CLIENT_INTERNAL_H_
