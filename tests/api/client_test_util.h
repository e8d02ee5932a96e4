// Shared helpers for the api::Client tests against a ScriptedServer: client options with
// short retry delays, a client factory, and canned JSON / AppError replies. Tests bring
// them in with `using namespace rostersync::api::testing`.
#ifndef ROSTERSYNC_TESTS_API_CLIENT_TEST_UTIL_H_
#define ROSTERSYNC_TESTS_API_CLIENT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "api/client.h"
#include "tests/api/test_server.h"

namespace rostersync::api::testing {

using rostersync::testing::Reply;
using rostersync::testing::Request;
using rostersync::testing::ScriptedServer;

inline constexpr char kToken[] = "sekret-token-9f8e7d6c5b4a";

inline ClientOptions Options(const ScriptedServer& server) {
  ClientOptions o;
  o.url = server.url();
  o.token = kToken;
  o.timeout_ms = 2000;
  o.base_delay_ms = 1;
  o.max_delay_ms = 20;
  o.max_attempts = 3;
  o.concurrency = 4;
  return o;
}

// A Client (or SdkClient, or any class with the same static Create) for `o`; null, with a
// test failure, when it cannot be created.
template <typename C = Client>
std::unique_ptr<C> MakeClient(const ClientOptions& o) {
  auto client = C::Create(o);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

inline Reply Json(int status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

inline Reply AppError(int status, const std::string& id) {
  return Json(status, R"({"id":")" + id + R"(","message":"nope","detailed_error":"",)" +
                          R"("request_id":"req-123","status_code":)" + std::to_string(status) + "}");
}

}  // namespace rostersync::api::testing

#endif  // ROSTERSYNC_TESTS_API_CLIENT_TEST_UTIL_H_
