// A StopToken in ClientOptions: the rate limiter's pacing sleep and the transport's retry
// sleeps wake at once on stop, and nothing is sent after it.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api/client.h"
#include "api/rate_limiter.h"
#include "sync/stop_token.h"
#include "tests/api/client_test_util.h"
#include "tests/api/test_server.h"

namespace rostersync::api {
namespace {

using namespace rostersync::api::testing;  // NOLINT: test helpers
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Requests stop after `delay` from another thread.
std::thread StopAfter(StopToken* stop, milliseconds delay) {
  return std::thread([stop, delay] {
    std::this_thread::sleep_for(delay);
    stop->RequestStop();
  });
}

TEST(StopTest, APacingSleepWakesAtOnceOnStop) {
  StopToken stop;
  RateLimiter limiter(0, 1, 1);
  limiter.set_stop(&stop);
  limiter.PauseFor(milliseconds(30000));  // as after a 429 with Retry-After: 30
  std::thread stopper = StopAfter(&stop, milliseconds(100));
  const auto start = Clock::now();
  limiter.Acquire();
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  stopper.join();
}

TEST(StopTest, ARateLimitedRetryWaitEndsOnStopWithoutSendingAgain) {
  ScriptedServer server([](const Request&) {
    Reply r = Json(429, R"({"id":"api.context.rate_limit","message":"slow down"})");
    r.headers.push_back({"Retry-After", "20"});
    return r;
  });
  StopToken stop;
  ClientOptions options = Options(server);
  options.max_delay_ms = 30000;  // the 20 s Retry-After is honoured
  options.stop = &stop;
  auto client = MakeClient(options);
  std::thread stopper = StopAfter(&stop, milliseconds(200));
  const auto start = Clock::now();
  auto user = client->GetUser("u1");
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  stopper.join();
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), Status::Code::kTransient) << user.status().ToString();
  EXPECT_NE(user.status().message().find("rostersync is stopping"), std::string::npos);
  EXPECT_EQ(server.requests(), 1);
}

TEST(StopTest, A5xxBackoffEndsOnStop) {
  ScriptedServer server([](const Request&) { return Json(503, R"({"message":"busy"})"); });
  StopToken stop;
  ClientOptions options = Options(server);
  options.max_attempts = 50;
  options.base_delay_ms = 20000;  // a backoff in [0, 20 s] per attempt
  options.max_delay_ms = 20000;
  options.stop = &stop;
  auto client = MakeClient(options);
  std::thread stopper = StopAfter(&stop, milliseconds(200));
  const auto start = Clock::now();
  auto user = client->GetUser("u1");
  EXPECT_LT(Clock::now() - start, milliseconds(3000));
  stopper.join();
  ASSERT_FALSE(user.ok());
  EXPECT_NE(user.status().message().find("rostersync is stopping"), std::string::npos)
      << user.status().ToString();
}

TEST(StopTest, NothingIsSentAfterStop) {
  ScriptedServer server([](const Request&) { return Json(200, "{}"); });
  StopToken stop;
  stop.RequestStop();
  ClientOptions options = Options(server);
  options.stop = &stop;
  auto client = MakeClient(options);
  Status s = client->SetUserActive("u1", false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kTransient) << s.ToString();
  EXPECT_EQ(server.requests(), 0) << "a stopped client sends nothing";
}

}  // namespace
}  // namespace rostersync::api
