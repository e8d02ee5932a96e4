// The tests' one small HTTP client: a single request to 127.0.0.1:port, the answer's status,
// body and content type captured, and a transport failure reported as status -1 instead of
// thrown. Used by the e2e helpers, the admin server tests and the emulator handle.
#ifndef ROSTERSYNC_TESTS_SUPPORT_HTTP_CLIENT_H_
#define ROSTERSYNC_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <string>

namespace rostersync::testing {

struct HttpAnswer {
  int status = -1;  // -1: the request failed (refused, reset, timeout)
  std::string body;
  std::string content_type;
};

struct HttpCall {
  std::string method = "GET";
  std::string path;     // with the query
  std::string body;     // sent as application/json when not empty
  std::string bearer;   // "Authorization: Bearer ..." when not empty
  int timeout_s = 30;
};

HttpAnswer SendHttp(int port, const HttpCall& call);

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_SUPPORT_HTTP_CLIENT_H_
