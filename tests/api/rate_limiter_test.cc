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

// A simulated server (GCRA like the real one: X-Ratelimit-Limit = burst + 1, Reset = whole
// seconds until full) at 30/s with burst 5, and one client that starts each request when
// the limiter's pacing allows. Virtual time: nothing sleeps, nothing is timed.
TEST(RateLimiterTest, SmallServerBurstIsPacedNearTheServerRateNotOnePerSecond) {
  const double server_rate = 30;
  const int burst = 5;
  const auto start = RateLimiter::Clock::now();
  RateLimiter limiter(0, 1, /*low_water=*/6);  // concurrency 4 + 2, no client bucket
  double tokens = burst;
  double now_s = 0;
  double last_s = 0;
  int refused = 0;
  const int kRequests = 300;
  for (int i = 0; i < kRequests; ++i) {
    tokens = std::min<double>(burst, tokens + server_rate * (now_s - last_s));
    last_s = now_s;
    const bool ok = tokens >= 1;
    if (ok)
      tokens -= 1;
    else
      ++refused;
    const int remaining = static_cast<int>(tokens);
    const int reset = static_cast<int>(std::ceil((burst - tokens) / server_rate));
    const auto at = start + std::chrono::microseconds(static_cast<int64_t>(now_s * 1e6));
    limiter.ObserveAt(burst + 1, remaining, reset, at);
    // Next start: paced interval, or 1 ms of latency when unpaced.
    const double gap = std::max(limiter.pace_interval().count() / 1e6, 0.001);
    now_s += ok ? gap : 1.0;  // a 429 costs its Retry-After of 1 s
  }
  const double achieved = kRequests / now_s;
  // The old pacing (reset/(limit - remaining) whenever remaining <= 6) managed ~1/s here.
  EXPECT_GT(achieved, server_rate / 2) << "achieved " << achieved << "/s";
  EXPECT_LE(refused, kRequests / 20) << "achieved " << achieved << "/s";
  std::cout << "simulated 30/s burst 5: paced at " << achieved << "/s, " << refused
            << " answered 429\n";
}

TEST(RateLimiterTest, LargeServerBurstIsNotPacedWhileRemainingIsHigh) {
  RateLimiter limiter(0, 1, 6);
  limiter.Observe(101, 40, 2);
  EXPECT_EQ(limiter.pace_interval().count(), 0);
  limiter.Observe(101, 1, 5);  // 5 s to refill 100: 50 ms per token at most, +10% margin
  EXPECT_GT(limiter.pace_interval().count(), 0);
  EXPECT_LE(limiter.pace_interval().count(), 55000);
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
    tokens =
        std::min<double>(burst, tokens + rate * std::chrono::duration<double>(now - last).count());
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
