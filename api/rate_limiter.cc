// Client-side pacing (see rate_limiter.h).
#include "api/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace rostersync::api {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

RateLimiter::RateLimiter(double rate_per_second, int burst, int low_water)
    : rate_(rate_per_second), burst_(std::max(burst, 1)), low_water_(std::max(low_water, 1)) {}

RateLimiter::Clock::time_point RateLimiter::ReserveLocked(Clock::time_point now) {
  Clock::time_point start = std::max({now, pause_until_, next_paced_});
  if (rate_ > 0) {
    // GCRA: a request may start once tat - (burst-1)*T has passed.
    const auto interval = microseconds(static_cast<int64_t>(1e6 / rate_));
    const auto tolerance = interval * (burst_ - 1);
    Clock::time_point tat = std::max(bucket_tat_, start);
    start = std::max(start, tat - tolerance);
    bucket_tat_ = std::max(tat, start) + interval;
  }
  if (pace_interval_.count() > 0) next_paced_ = start + pace_interval_;
  return start;
}

milliseconds RateLimiter::Acquire() {
  Clock::time_point start;
  const Clock::time_point now = Clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    start = ReserveLocked(now);
  }
  if (start <= now) return milliseconds(0);
  std::this_thread::sleep_until(start);
  return duration_cast<milliseconds>(start - now);
}

RateLimiter::Clock::time_point RateLimiter::NextStart() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::max({Clock::now(), pause_until_, next_paced_});
}

void RateLimiter::Observe(int64_t limit, int64_t remaining, int64_t reset_seconds) {
  if (remaining < 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (remaining > low_water_) {
    pace_interval_ = microseconds(0);
    return;
  }
  // The server refills (limit - remaining) tokens in about reset_seconds, so it grants
  // roughly that many per second; spacing starts that far apart keeps the bucket from
  // emptying. Without a usable estimate, fall back to one request per second.
  double per_second = 1.0;
  if (limit > remaining && reset_seconds > 0) {
    per_second = static_cast<double>(limit - remaining) / static_cast<double>(reset_seconds);
  }
  // Reset is rounded up to whole seconds, so this errs on the slow side.
  per_second = std::max(per_second, 0.5);
  pace_interval_ = microseconds(static_cast<int64_t>(1e6 / per_second));
}

void RateLimiter::PauseFor(milliseconds delay) {
  std::lock_guard<std::mutex> lock(mu_);
  pause_until_ = std::max(pause_until_, Clock::now() + delay);
}

microseconds RateLimiter::pace_interval() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pace_interval_;
}

}  // namespace rostersync::api
