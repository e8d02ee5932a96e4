// Transport retries and Retry-After on FakeEnv time against a loopback server: the exact
// sleeps are asserted, and the tests take milliseconds however long the waits are.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "api/client.h"
#include "sync/env.h"
#include "tests/api/client_test_util.h"
#include "tests/api/test_server.h"

namespace rostersync::api {
namespace {

using namespace rostersync::api::testing;  // NOLINT: test helpers

ClientOptions FakeTimeOptions(const ScriptedServer& server, FakeEnv* env) {
  ClientOptions o = Options(server);
  o.env = env;
  o.base_delay_ms = 200;
  o.max_delay_ms = 60000;
  o.max_attempts = 4;
  o.jitter = [] { return 1.0; };  // the full cap: exact sleeps
  return o;
}

TEST(TransportEnvTest, FiveHundredsBackOffExponentiallyOnFakeTime) {
  ScriptedServer server([](const Request&) { return Json(503, R"({"message":"busy"})"); });
  FakeEnv env;
  auto client = MakeClient(FakeTimeOptions(server, &env));
  auto user = client->GetUser("u1");
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), Status::Code::kTransient);
  EXPECT_NE(user.status().message().find("after 4 attempts"), std::string::npos)
      << user.status().ToString();
  EXPECT_EQ(env.sleeps(), std::vector<int64_t>({200, 400, 800}));
  EXPECT_EQ(server.requests(), 4);
}

TEST(TransportEnvTest, RetryAfterIsWaitedExactlyPlusTheMargin) {
  std::atomic<int> calls{0};
  ScriptedServer server([&calls](const Request&) {
    if (++calls == 1) {
      Reply r = Json(429, "limit exceeded\n");
      r.content_type = "text/plain";
      r.headers = {{"Retry-After", "37"}};
      return r;
    }
    return Json(200, rostersync::testing::UserJson("u1", "alice"));
  });
  FakeEnv env;
  auto client = MakeClient(FakeTimeOptions(server, &env));
  auto user = client->GetUser("u1");
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(env.sleeps(), std::vector<int64_t>({37050}));
  EXPECT_EQ(server.requests(), 2);
}

TEST(TransportEnvTest, RetryAfterLongerThanMaxDelayIsCapped) {
  std::atomic<int> calls{0};
  ScriptedServer server([&calls](const Request&) {
    if (++calls == 1) {
      Reply r = Json(429, "limit exceeded\n");
      r.headers = {{"Retry-After", "3600"}};
      return r;
    }
    return Json(200, rostersync::testing::UserJson("u1", "alice"));
  });
  FakeEnv env;
  ClientOptions o = FakeTimeOptions(server, &env);
  o.max_delay_ms = 5000;
  auto client = MakeClient(o);
  ASSERT_TRUE(client->GetUser("u1").ok());
  EXPECT_EQ(env.sleeps(), std::vector<int64_t>({5000}));
}

TEST(TransportEnvTest, AStoppedClientDoesNotSleepOrSend) {
  ScriptedServer server([](const Request&) { return Json(503, R"({"message":"busy"})"); });
  FakeEnv env;
  StopToken stop;
  ClientOptions o = FakeTimeOptions(server, &env);
  o.stop = &stop;
  auto client = MakeClient(o);
  stop.RequestStop();
  EXPECT_FALSE(client->GetUser("u1").ok());
  EXPECT_TRUE(env.sleeps().empty());
  EXPECT_EQ(server.requests(), 0);
}

}  // namespace
}  // namespace rostersync::api
