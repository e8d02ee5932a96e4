// RateLimiter: decides when the next request may start. Combines an optional client-side
// token bucket (rate_per_second/burst), pacing derived from the server's X-Ratelimit-*
// headers once Remaining runs low, and a shared pause after a 429 (Retry-After).
// Thread-safe; Acquire() blocks the calling thread (bounded by the largest delay fed in).
#ifndef ROSTERSYNC_API_RATE_LIMITER_H_
#define ROSTERSYNC_API_RATE_LIMITER_H_

#include <chrono>
#include <cstdint>
#include <mutex>

#include "sync/stop_token.h"

namespace rostersync::api {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // rate_per_second <= 0 disables the client-side bucket. low_water: pace once the server
  // reports this many or fewer remaining requests (use at least the concurrency).
  RateLimiter(double rate_per_second, int burst, int low_water);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Reserves a start slot and sleeps until it (waking at once on a stop, see set_stop).
  // Returns how long it slept.
  std::chrono::milliseconds Acquire();
  // Not owned; may be null. Set before the first Acquire().
  void set_stop(const StopToken* stop) { stop_ = stop; }
  // The start time the next Acquire() would get, without reserving it (for tests).
  Clock::time_point NextStart() const;

  // Feeds the X-Ratelimit-Limit/Remaining/Reset values of an answer; -1 = header absent.
  // Reset is seconds until the server's bucket is full again (docs/emulator.md).
  // Paces only once Remaining is low, spacing starts by the best known time per server token:
  // the header bound reset/(limit-remaining), tightened by the refill seen between answers.
  void Observe(int64_t limit, int64_t remaining, int64_t reset_seconds);
  // Same, with the time the answer arrived (tests drive a simulated clock through this).
  void ObserveAt(int64_t limit, int64_t remaining, int64_t reset_seconds, Clock::time_point at);
  // Every request (from any thread) waits until now + delay. Used after a 429.
  void PauseFor(std::chrono::milliseconds delay);

  // Current spacing between request starts imposed by the server's headers (0 = none).
  std::chrono::microseconds pace_interval() const;

 private:
  Clock::time_point ReserveLocked(Clock::time_point now);

  mutable std::mutex mu_;
  const StopToken* stop_ = nullptr;
  const double rate_;
  const int burst_;
  const int low_water_;
  Clock::time_point bucket_tat_{};   // token bucket: theoretical arrival time (GCRA)
  Clock::time_point next_paced_{};   // server pacing: earliest next start
  Clock::time_point pause_until_{};  // after a 429
  std::chrono::microseconds pace_interval_{0};
  // Learned upper bound on the server's time per token (0 = none yet), and the last answer.
  std::chrono::microseconds token_time_{0};
  Clock::time_point last_seen_{};
  int64_t last_remaining_ = -1;
};

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_RATE_LIMITER_H_
