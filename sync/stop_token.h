// StopToken: a one-way "stop now" flag shared by the service and every place a cycle may
// wait (executor, the transport's retry sleeps, the rate limiter's pacing). Sleeps made
// through it wake at once when stop is requested. Thread-safe; never reset.
#ifndef ROSTERSYNC_SYNC_STOP_TOKEN_H_
#define ROSTERSYNC_SYNC_STOP_TOKEN_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace rostersync {

class StopToken {
 public:
  using Clock = std::chrono::steady_clock;

  StopToken() = default;
  StopToken(const StopToken&) = delete;
  StopToken& operator=(const StopToken&) = delete;

  // Sets the flag and wakes every sleeper. Idempotent.
  void RequestStop();
  bool stop_requested() const { return stopped_.load(std::memory_order_acquire); }

  // Sleeps until `deadline` or until stop is requested. True when woken by a stop (or it
  // was already requested), false when the deadline passed.
  bool SleepUntil(Clock::time_point deadline) const;
  bool SleepFor(std::chrono::milliseconds delay) const {
    return SleepUntil(Clock::now() + delay);
  }

 private:
  std::atomic<bool> stopped_{false};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
};

// Sleeps through `stop` when it is not null, else plainly. True when stopped.
bool SleepUnlessStopped(const StopToken* stop, StopToken::Clock::time_point deadline);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_STOP_TOKEN_H_
