// RateLimiter: pacing from server headers, the client-side bucket, and a paced run against
// a loopback server that enforces a limit, all on FakeEnv time: the tests assert the exact
// sleeps, and fail if pacing is removed.
#include "api/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <mutex>
#include <vector>

#include "api/client.h"
#include "sync/env.h"
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

// Answers overtaken by newer ones: pacing began at Remaining 3, then the answers of requests
// started earlier arrive with Remaining 8 and 9 (above the threshold of 5, but within what
// the requests in flight explain). They must not switch pacing off; a bucket clearly
// refilling (Remaining above twice the threshold) does.
TEST(RateLimiterTest, LateAnswersWithMoreRemainingDoNotSwitchPacingOff) {
  RateLimiter limiter(0, 0, 5);
  limiter.Observe(101, 3, 10);
  ASSERT_GT(limiter.pace_interval().count(), 0);
  limiter.Observe(101, 8, 10);
  EXPECT_GT(limiter.pace_interval().count(), 0);
  limiter.Observe(101, 9, 10);
  EXPECT_GT(limiter.pace_interval().count(), 0);
  limiter.Observe(101, 11, 9);
  EXPECT_EQ(limiter.pace_interval().count(), 0);
}

// A simulated server (GCRA like the real one: X-Ratelimit-Limit = burst + 1, Reset = whole
// seconds until full) at 30/s with burst 5, and one client that starts each request when
// the limiter's pacing allows. Virtual time: nothing sleeps, nothing is timed.
TEST(RateLimiterTest, SmallServerBurstIsPacedNearTheServerRateNotOnePerSecond) {
  const double server_rate = 30;
  const int burst = 5;
  FakeEnv env;
  RateLimiter limiter(0, 1, /*low_water=*/6, env);  // concurrency 4 + 2, no client bucket
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
    const int64_t at = static_cast<int64_t>(now_s * 1e6);
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
  FakeEnv env;
  RateLimiter limiter(0, 0, 5, env);
  const int64_t now = env.SteadyMs();
  limiter.PauseFor(std::chrono::milliseconds(100000));
  EXPECT_EQ(limiter.NextStartMs(), now + 100000);
  EXPECT_EQ(limiter.Acquire().count(), 100000);
  EXPECT_EQ(env.sleeps(), std::vector<int64_t>({100000}));
  EXPECT_EQ(limiter.Acquire().count(), 0) << "the pause is over";
}

// Once Remaining is low every start is spaced by the paced interval: the sleeps are exact.
TEST(RateLimiterTest, PacedStartsSleepTheIntervalEachTime) {
  FakeEnv env;
  RateLimiter limiter(0, 1, 6, env);
  limiter.Observe(11, 2, 1);  // 1 s to refill 9 tokens: 111 ms per token, +10% = 122 ms
  EXPECT_EQ(limiter.pace_interval().count(), 122222);
  EXPECT_EQ(limiter.Acquire().count(), 0) << "the first start is not delayed";
  EXPECT_EQ(limiter.Acquire().count(), 123);  // rounded up: never start early
  EXPECT_EQ(limiter.Acquire().count(), 122);
  EXPECT_EQ(env.sleeps(), std::vector<int64_t>({123, 122}));
}

TEST(RateLimiterTest, ClientBucketAllowsTheBurstThenSpacesStarts) {
  FakeEnv env;
  RateLimiter limiter(10, 3, 6, env);  // 10/s, burst 3
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Acquire().count(), 0) << i;
  EXPECT_EQ(limiter.Acquire().count(), 100);
  EXPECT_EQ(limiter.Acquire().count(), 100);
  EXPECT_EQ(env.sleeps(), std::vector<int64_t>({100, 100}));
}

// A server that grants `rate` requests per second with a bucket of `burst` and sends the
// Mattermost headers (Reset = seconds until full), on the same FakeEnv clock as the client:
// time passes only when the client sleeps. One thread, so the run is deterministic. Paced, the
// client never meets a 429; without pacing it would spend the bucket and be refused.
TEST(RateLimiterTest, LongRunAtTheServerLimitIsPacedWithoutA429) {
  const double rate = 20;
  const int burst = 30;
  FakeEnv env;
  std::mutex mu;
  double tokens = burst;
  int64_t last = env.SteadyMs();
  std::atomic<int> refused{0};
  ScriptedServer server([&](const Request&) {
    std::lock_guard<std::mutex> lock(mu);
    const int64_t now = env.SteadyMs();
    tokens = std::min<double>(burst, tokens + rate * static_cast<double>(now - last) / 1000.0);
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
  options.env = &env;
  auto client = Client::Create(options);
  ASSERT_TRUE(client.ok());
  int failures = 0;
  for (int i = 0; i < 120; ++i) {
    if (!(*client)->GetMe().ok()) ++failures;
  }
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(refused.load(), 0) << "pacing keeps the client under the server's limit";
  // The bucket lasts about 24 requests before Remaining is low; after that starts are spaced
  // (about every other one sleeps ~86 ms), so the 120 take at least (120 - 30) / 20 = 4.5 s.
  // Without pacing the client would meet 429s and sleep their Retry-After (1 050 ms).
  const std::vector<int64_t> sleeps = env.sleeps();
  std::cout << "paced run: " << sleeps.size() << " sleeps, " << env.SteadyMs() << " ms\n";
  ASSERT_GE(sleeps.size(), 40u);
  EXPECT_GE(env.SteadyMs(), 4500);
  for (int64_t ms : sleeps) {
    EXPECT_GE(ms, 40) << "a paced sleep is near 1/rate";
    EXPECT_LE(ms, 1000);
  }
}

// The state kept between processes: a new limiter that takes over a paced state starts
// paced, waiting for the next start the old one would have given; once the server's bucket
// has had time to refill, or the text is not one ExportState wrote, nothing changes.
TEST(RateLimiterTest, ImportedStateStartsANewProcessPacedUntilTheBucketHasRefilled) {
  FakeEnv old_env;
  RateLimiter old_limiter(0, 1, /*low_water=*/6, old_env);
  old_limiter.Observe(3, 0, 2);  // X-Ratelimit-Limit 3, nothing left, full again in 2 s
  ASSERT_GT(old_limiter.pace_interval().count(), 0);
  old_limiter.Acquire();
  const std::string state = old_limiter.ExportState(old_env.NowMs());
  EXPECT_EQ(state.rfind("rl1 ", 0), 0u) << state;

  FakeEnv env(old_env.NowMs() + 100);  // a new process 100 ms later, its own steady clock
  RateLimiter fresh(0, 1, 6, env);
  ASSERT_TRUE(fresh.ImportState(state, env.NowMs()));
  EXPECT_EQ(fresh.pace_interval(), old_limiter.pace_interval());
  const auto waited = fresh.Acquire();
  EXPECT_EQ(waited.count(), old_limiter.pace_interval().count() / 1000 + 1 - 100) << state;
  EXPECT_GT(fresh.Acquire().count(), 0);  // and the next start is spaced too

  RateLimiter unpaced(0, 1, 6, env);  // no state: the first start is immediate
  EXPECT_EQ(unpaced.Acquire().count(), 0);

  FakeEnv later(old_env.NowMs() + 60'000);  // a minute later the bucket is full again
  RateLimiter rested(0, 1, 6, later);
  EXPECT_FALSE(rested.ImportState(state, later.NowMs()));
  EXPECT_EQ(rested.pace_interval().count(), 0);
  EXPECT_EQ(rested.Acquire().count(), 0);

  RateLimiter other(0, 1, 6, env);
  for (const char* bad : {"", "rl1", "rl2 1 2 3 4 5 6", "rl1 1 2 3 4 5 6 7", "rl1 a b c d e f"}) {
    EXPECT_FALSE(other.ImportState(bad, env.NowMs())) << bad;
  }
  EXPECT_FALSE(other.ImportState(state, old_env.NowMs() - 1000)) << "saved in the future";
  EXPECT_EQ(other.Acquire().count(), 0);
}

// A 429 pause that is still running when the process ends carries over to the next one.
TEST(RateLimiterTest, ImportedStateCarriesARunning429PauseOver) {
  FakeEnv old_env;
  RateLimiter old_limiter(0, 1, 6, old_env);
  old_limiter.PauseFor(std::chrono::milliseconds(3000));
  const std::string state = old_limiter.ExportState(old_env.NowMs());
  FakeEnv env(old_env.NowMs() + 1000);
  RateLimiter fresh(0, 1, 6, env);
  ASSERT_TRUE(fresh.ImportState(state, env.NowMs()));
  EXPECT_EQ(fresh.Acquire().count(), 2000);
}

}  // namespace
}  // namespace rostersync::api
