// Env: the seam for time and threads (leveldb's Env, reduced to what rostersync needs): wall
// time, monotonic time, a sleep that a StopToken cuts short, and starting a thread. Production
// code takes an Env& so retry, pacing and scheduling tests run on FakeEnv in microseconds.
// Env is a Clock, so code that only reads the time keeps taking a Clock&.
#ifndef ROSTERSYNC_SYNC_ENV_H_
#define ROSTERSYNC_SYNC_ENV_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "sync/clock.h"
#include "sync/stop_token.h"

namespace rostersync {

class Env : public Clock {
 public:
  // Monotonic milliseconds (arbitrary origin): for deadlines, pacing and durations.
  virtual int64_t SteadyMs() const = 0;
  // Sleeps `ms` or until `stop` (may be null) is requested. True when stopped.
  virtual bool SleepFor(int64_t ms, const StopToken* stop) = 0;
  // Starts `fn` on a new thread; the caller joins it.
  virtual std::thread StartThread(std::function<void()> fn) = 0;

  // The process-wide real Env (system clock, real sleeps, real threads). Thread-safe.
  static Env& Default();
};

class RealEnv : public Env {
 public:
  int64_t NowMs() const override { return SystemClock().NowMs(); }
  int64_t SteadyMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  bool SleepFor(int64_t ms, const StopToken* stop) override {
    return SleepUnlessStopped(stop,
                              StopToken::Clock::now() + std::chrono::milliseconds(ms < 0 ? 0 : ms));
  }
  std::thread StartThread(std::function<void()> fn) override { return std::thread(std::move(fn)); }
};

inline Env& Env::Default() {
  static RealEnv env;
  return env;
}

// FakeEnv (tests): time moves only when code sleeps or the test calls Advance. A sleep
// returns at once, advancing both clocks by the requested time (or not at all when stop was
// already requested), and is recorded in sleeps(). Threads are real. Thread-safe.
class FakeEnv : public Env {
 public:
  explicit FakeEnv(int64_t now_ms = 1'700'000'000'000) : now_ms_(now_ms) {}
  int64_t NowMs() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_ms_;
  }
  int64_t SteadyMs() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return steady_ms_;
  }
  bool SleepFor(int64_t ms, const StopToken* stop) override {
    if (stop != nullptr && stop->stop_requested()) return true;
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(ms);
    now_ms_ += ms;
    steady_ms_ += ms;
    return false;
  }
  std::thread StartThread(std::function<void()> fn) override { return std::thread(std::move(fn)); }

  void Advance(int64_t ms) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ms_ += ms;
    steady_ms_ += ms;
  }
  std::vector<int64_t> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

 private:
  mutable std::mutex mu_;
  int64_t now_ms_;
  int64_t steady_ms_ = 0;
  std::vector<int64_t> sleeps_;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_ENV_H_
