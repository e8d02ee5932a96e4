#include "daemon/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace rostersync::daemon {
namespace {

// A fake clock that the scheduler thread may read while the test advances it.
class AtomicClock : public Clock {
 public:
  int64_t NowMs() const override { return now_.load(); }
  void Advance(int64_t ms) { now_ += ms; }

 private:
  std::atomic<int64_t> now_{1'000'000};
};

// Records the cycles; lets a test wait (bounded) for the n-th.
class Recorder {
 public:
  bool operator()(Trigger t) {
    int running = ++running_;
    max_running_ = std::max(max_running_.load(), running);
    std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms_));
    --running_;
    std::lock_guard<std::mutex> lock(mu_);
    triggers_.push_back(t);
    cv_.notify_all();
    return succeed_;
  }
  bool WaitFor(size_t n, int timeout_ms = 10'000) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                        [&] { return triggers_.size() >= n; });
  }
  std::vector<Trigger> triggers() {
    std::lock_guard<std::mutex> lock(mu_);
    return triggers_;
  }
  std::atomic<int> max_running_{0};
  int hold_ms_ = 0;
  bool succeed_ = true;

 private:
  std::atomic<int> running_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Trigger> triggers_;
};

ScheduleOptions Options(bool run_on_start) {
  ScheduleOptions o;
  o.interval_ms = 15 * 60'000;
  o.jitter_ms = 0;
  o.run_on_start = run_on_start;
  o.debounce_ms = 1'000;
  o.backoff_base_ms = 60'000;
  return o;
}

// Moves the fake clock and tells the scheduler, which otherwise sleeps until its deadline.
void Advance(AtomicClock& clock, Scheduler& s, int64_t ms) {
  clock.Advance(ms);
  s.Wake();
}

// Waits (bounded) until the scheduler has finished `n` cycles and is waiting again.
void WaitCyclesRun(const Scheduler& s, int n) {
  for (int i = 0; i < 2000 && s.cycles_run() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(SchedulerTest, BackoffDoublesFromOneMinuteUpToTheInterval) {
  ScheduleOptions o = Options(true);
  EXPECT_EQ(Scheduler::BackoffMs(1, o), 60'000);
  EXPECT_EQ(Scheduler::BackoffMs(2, o), 120'000);
  EXPECT_EQ(Scheduler::BackoffMs(3, o), 240'000);
  EXPECT_EQ(Scheduler::BackoffMs(4, o), 480'000);
  EXPECT_EQ(Scheduler::BackoffMs(5, o), 900'000);   // capped at the interval
  EXPECT_EQ(Scheduler::BackoffMs(40, o), 900'000);  // no overflow
  EXPECT_EQ(Scheduler::BackoffMs(0, o), o.interval_ms);
}

TEST(SchedulerTest, RunsOnStartThenWaitsForTheInterval) {
  AtomicClock clock;
  Recorder rec;
  Scheduler s(Options(true), clock, [&](Trigger t) { return rec(t); });
  s.Start();
  ASSERT_TRUE(rec.WaitFor(1));
  EXPECT_EQ(rec.triggers()[0], Trigger::kStart);
  WaitCyclesRun(s, 1);
  Advance(clock, s, 14 * 60'000);
  EXPECT_FALSE(rec.WaitFor(2, 100));  // not yet due
  Advance(clock, s, 60'000);
  ASSERT_TRUE(rec.WaitFor(2));
  EXPECT_EQ(rec.triggers()[1], Trigger::kInterval);
  s.Stop();
}

TEST(SchedulerTest, DoesNotRunOnStartWhenDisabled) {
  AtomicClock clock;
  Recorder rec;
  Scheduler s(Options(false), clock, [&](Trigger t) { return rec(t); });
  s.Start();
  EXPECT_FALSE(rec.WaitFor(1, 100));
  Advance(clock, s, 15 * 60'000);
  ASSERT_TRUE(rec.WaitFor(1));
  EXPECT_EQ(rec.triggers()[0], Trigger::kInterval);
}

TEST(SchedulerTest, JitterKeepsTheNextCycleWithinIntervalPlusJitter) {
  AtomicClock clock;
  Recorder rec;
  ScheduleOptions o = Options(false);
  o.jitter_ms = 30'000;
  Scheduler s(
      o, clock, [&](Trigger t) { return rec(t); }, /*seed=*/42);
  int64_t due = s.next_due_ms() - clock.NowMs();
  EXPECT_GE(due, o.interval_ms);
  EXPECT_LE(due, o.interval_ms + o.jitter_ms);
}

TEST(SchedulerTest, RequestNowRunsACycleWithoutWaitingForTheInterval) {
  AtomicClock clock;
  Recorder rec;
  Scheduler s(Options(false), clock, [&](Trigger t) { return rec(t); });
  s.Start();
  s.RequestNow();
  ASSERT_TRUE(rec.WaitFor(1));
  EXPECT_EQ(rec.triggers()[0], Trigger::kRequested);
}

TEST(SchedulerTest, DebouncesABurstOfRosterChangesIntoOneCycle) {
  AtomicClock clock;
  Recorder rec;
  Scheduler s(Options(false), clock, [&](Trigger t) { return rec(t); });
  s.Start();
  for (int i = 0; i < 5; ++i) {
    s.RosterChanged();
    Advance(clock, s, 500);  // each change within the debounce window of the last
  }
  EXPECT_FALSE(rec.WaitFor(1, 100));
  Advance(clock, s, 1'000);
  ASSERT_TRUE(rec.WaitFor(1));
  EXPECT_FALSE(rec.WaitFor(2, 100));
  EXPECT_EQ(rec.triggers()[0], Trigger::kRosterChanged);
}

TEST(SchedulerTest, CyclesNeverOverlapAndRequestsDuringACycleCoalesce) {
  AtomicClock clock;
  Recorder rec;
  rec.hold_ms_ = 50;
  Scheduler s(Options(true), clock, [&](Trigger t) { return rec(t); });
  s.Start();
  ASSERT_TRUE(rec.WaitFor(1));
  for (int i = 0; i < 10; ++i) s.RequestNow();
  ASSERT_TRUE(rec.WaitFor(2));
  s.Stop();
  EXPECT_EQ(rec.max_running_.load(), 1);
  EXPECT_LE(rec.triggers().size(), 3u);  // start + at most two coalesced requests
}

TEST(SchedulerTest, AFailedCycleRetriesAfterTheBackoffNotTheInterval) {
  AtomicClock clock;
  Recorder rec;
  rec.succeed_ = false;
  Scheduler s(Options(true), clock, [&](Trigger t) { return rec(t); });
  s.Start();
  ASSERT_TRUE(rec.WaitFor(1));
  WaitCyclesRun(s, 1);
  EXPECT_EQ(s.consecutive_failures(), 1);
  Advance(clock, s, 60'000);
  ASSERT_TRUE(rec.WaitFor(2));
  EXPECT_EQ(rec.triggers()[1], Trigger::kRetry);
  WaitCyclesRun(s, 2);
  Advance(clock, s, 60'000);
  EXPECT_FALSE(rec.WaitFor(3, 100));  // second back-off is two minutes
  Advance(clock, s, 60'000);
  EXPECT_TRUE(rec.WaitFor(3));
}

TEST(SchedulerTest, StopCancelsALongWaitAtOnce) {
  AtomicClock clock;
  Recorder rec;
  ScheduleOptions o = Options(false);
  o.interval_ms = 24 * 3600'000;  // the thread sleeps a day unless Stop wakes it
  Scheduler s(o, clock, [&](Trigger t) { return rec(t); });
  s.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let it start waiting
  const auto start = std::chrono::steady_clock::now();
  s.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
  EXPECT_EQ(rec.triggers().size(), 0u);
}

// Without a poll, a due time is met by the wait itself: real time, no clock moves, no Wake.
TEST(SchedulerTest, TheWaitEndsAtTheDeadlineWithoutPolling) {
  SystemClock clock;
  Recorder rec;
  ScheduleOptions o = Options(false);
  o.interval_ms = 300;
  Scheduler s(o, clock, [&](Trigger t) { return rec(t); });
  const auto start = std::chrono::steady_clock::now();
  s.Start();
  ASSERT_TRUE(rec.WaitFor(1, 5000));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(290));
  EXPECT_EQ(rec.triggers()[0], Trigger::kInterval);
}

TEST(SchedulerTest, ACycleThatThrowsCountsAsAFailure) {
  AtomicClock clock;
  std::atomic<int> calls{0};
  Scheduler s(Options(true), clock, [&](Trigger) -> bool {
    ++calls;
    throw std::runtime_error("boom");
  });
  s.Start();
  WaitCyclesRun(s, 1);
  EXPECT_EQ(s.consecutive_failures(), 1);
}

}  // namespace
}  // namespace rostersync::daemon
