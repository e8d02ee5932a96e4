// RateLimiter: pacing from server headers, the client-side bucket, and a paced run
// against a loopback server that enforces a real limit.
#include "api/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <mutex>
#include <thread>

#include "api/client.h"
#include "tests/api/test_server.h"

namespace rostersync::api {
namespace {

using rostersync::testing::Reply;
using rostersync::testing::Request;
using rostersync::testing::ScriptedServer;

TEST(RateLimiterTest, PacesOnlyWhenRemainingRunsLow) {
  RateLimiter limiter(0, 0, 5);
  limiter.Observe(101, 90, 1);
  EXPECT_EQ(limiter.pace_interval().count(), 0);
  limiter.Observe(101, 3, 10);  // ~9.8 per second
  EXPECT_GT(limiter.pace_interval().count(), 0);
  limiter.Observe(101, 60, 4);
  EXPECT_EQ(limiter.pace_interval().count(), 0);
  limiter.Observe(-1, -1, -1);  // no headers: unchanged
  EXPECT_EQ(limiter.pace_interval().count(), 0);
}

TEST(RateLimiterTest, PauseDelaysEveryone) {
  RateLimiter limiter(0, 0, 5);
  limiter.PauseFor(std::chrono::milliseconds(100000));
  EXPECT_GT(limiter.NextStart(), RateLimiter::Clock::now() + std::chrono::seconds(50));
}

// A server that grants `rate` requests per second with a bucket of `burst` and sends the
// Mattermost headers (Reset = seconds until full). The client must finish without errors.
TEST(RateLimiterTest, LongRunAtTheServerLimitCompletesWithoutFailures) {
  const double rate = 20;
  const int burst = 30;
  std::mutex mu;
  double tokens = burst;
  auto last = std::chrono::steady_clock::now();
  std::atomic<int> refused{0};
  ScriptedServer server([&](const Request&) {
    std::lock_guard<std::mutex> lock(mu);
    auto now = std::chrono::steady_clock::now();
    tokens = std::min<double>(burst, tokens + rate * std::chrono::duration<double>(now - last).count());
    last = now;
    Reply r;
    bool ok = tokens >= 1;
    if (ok) tokens -= 1;
    int remaining = static_cast<int>(tokens);
    int reset = static_cast<int>(std::ceil((burst - tokens) / rate));
    r.headers = {{"X-Ratelimit-Limit", std::to_string(burst + 1)},
                 {"X-Ratelimit-Remaining", std::to_string(remaining)},
                 {"X-Ratelimit-Reset", std::to_string(reset)}};
    if (!ok) {
      ++refused;
      r.status = 429;
      r.content_type = "text/plain";
      r.body = "limit exceeded\n";
      r.headers.push_back({"Retry-After", "1"});
      return r;
    }
    r.body = rostersync::testing::UserJson("u1", "alice");
    return r;
  });
  ClientOptions options;
  options.url = server.url();
  options.token = "t";
  options.concurrency = 4;
  auto client = Client::Create(options);
  ASSERT_TRUE(client.ok());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 30; ++i) {
        if (!(*client)->GetMe().ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::cout << "rate-limit run: 120 requests, " << refused.load() << " answered 429\n";
}

}  // namespace
}  // namespace rostersync::api
