#include "emulator/rate_limiter.h"

#include <cmath>

namespace mmemu {

void RateLimiter::Configure(double per_second, int burst) {
  std::lock_guard lock(mu_);
  per_second_ = per_second > 0 ? per_second : 0;
  burst_ = burst > 0 ? burst : 0;
  tat_.clear();
}

bool RateLimiter::enabled() const {
  std::lock_guard lock(mu_);
  return per_second_ > 0;
}

double RateLimiter::per_second() const {
  std::lock_guard lock(mu_);
  return per_second_;
}

int RateLimiter::burst() const {
  std::lock_guard lock(mu_);
  return burst_;
}

bool RateLimiter::Take(const std::string& key, Result* result) {
  std::lock_guard lock(mu_);
  if (per_second_ <= 0) return false;
  using std::chrono::duration;
  using std::chrono::duration_cast;
  const auto emission = duration_cast<Clock::duration>(duration<double>(1.0 / per_second_));
  const int limit = burst_ + 1;
  const auto tolerance = emission * limit;
  const auto now = Clock::now();
  auto it = tat_.find(key);
  auto tat = (it == tat_.end() || it->second < now) ? now : it->second;
  auto new_tat = tat + emission;
  auto allow_at = new_tat - tolerance;
  auto diff = now - allow_at;
  Clock::duration ttl;
  result->limit = limit;
  result->limited = diff < Clock::duration::zero();
  if (result->limited) {
    ttl = tat - now;
    result->retry_after_seconds = static_cast<int>(std::ceil(duration<double>(-diff).count()));
  } else {
    ttl = new_tat - now;
    tat_[key] = new_tat;
    result->retry_after_seconds = 0;
  }
  auto next = tolerance - ttl;
  result->remaining = next > -emission ? static_cast<int>(next / emission) : 0;
  if (result->remaining < 0) result->remaining = 0;
  result->reset_seconds = static_cast<int>(std::ceil(duration<double>(ttl).count()));
  return true;
}

}  // namespace mmemu
