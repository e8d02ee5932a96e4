// StopToken: sleeps through it wake at once on RequestStop, from another thread too.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "sync/stop_token.h"

namespace rostersync {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

TEST(StopTokenTest, ASleepRunsToItsDeadlineWithoutAStop) {
  StopToken stop;
  const auto start = Clock::now();
  EXPECT_FALSE(stop.SleepFor(milliseconds(50)));
  EXPECT_GE(Clock::now() - start, milliseconds(50));
  EXPECT_FALSE(stop.stop_requested());
}

TEST(StopTokenTest, ALongSleepWakesAtOnceOnStop) {
  StopToken stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    stop.RequestStop();
  });
  const auto start = Clock::now();
  EXPECT_TRUE(stop.SleepFor(milliseconds(30000)));
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  stopper.join();
  EXPECT_TRUE(stop.stop_requested());
}

TEST(StopTokenTest, ASleepAfterTheStopReturnsAtOnce) {
  StopToken stop;
  stop.RequestStop();
  stop.RequestStop();  // idempotent
  const auto start = Clock::now();
  EXPECT_TRUE(SleepUnlessStopped(&stop, Clock::now() + milliseconds(30000)));
  EXPECT_LT(Clock::now() - start, milliseconds(500));
}

TEST(StopTokenTest, EverySleeperWakes) {
  StopToken stop;
  std::vector<std::thread> sleepers;
  std::atomic<int> woken{0};
  for (int i = 0; i < 4; ++i) {
    sleepers.emplace_back([&] { woken += stop.SleepFor(milliseconds(30000)) ? 1 : 0; });
  }
  std::this_thread::sleep_for(milliseconds(50));
  stop.RequestStop();
  for (auto& t : sleepers) t.join();
  EXPECT_EQ(woken.load(), 4);
}

TEST(StopTokenTest, WithoutATokenSleepsPlainly) {
  const auto start = Clock::now();
  EXPECT_FALSE(SleepUnlessStopped(nullptr, Clock::now() + milliseconds(20)));
  EXPECT_GE(Clock::now() - start, milliseconds(20));
}

}  // namespace
}  // namespace rostersync
