// Per-key token bucket (GCRA, as the server's "throttled" library does) for the emulator's
// optional rate limiting. Thread-safe (one internal mutex).
#ifndef ROSTERSYNC_TESTS_EMULATOR_RATE_LIMITER_H_
#define ROSTERSYNC_TESTS_EMULATOR_RATE_LIMITER_H_

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mmemu {

class RateLimiter {
 public:
  struct Result {
    bool limited = false;
    int limit = 0;                // X-Ratelimit-Limit: burst + 1
    int remaining = 0;            // X-Ratelimit-Remaining
    int reset_seconds = 0;        // X-Ratelimit-Reset: seconds until the bucket is full
    int retry_after_seconds = 0;  // Retry-After, only meaningful when limited
  };

  // per_second <= 0 turns limiting off. Resets all buckets.
  void Configure(double per_second, int burst);
  bool enabled() const;
  double per_second() const;
  int burst() const;
  // Charges one request to `key`. Returns false when limiting is off (result untouched).
  bool Take(const std::string& key, Result* result);

 private:
  using Clock = std::chrono::steady_clock;
  mutable std::mutex mu_;
  double per_second_ = 0;
  int burst_ = 0;
  std::unordered_map<std::string, Clock::time_point> tat_;  // theoretical arrival times
};

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_RATE_LIMITER_H_
