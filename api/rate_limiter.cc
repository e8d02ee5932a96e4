// Client-side pacing (see rate_limiter.h).
#include "api/rate_limiter.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace rostersync::api {

using std::chrono::microseconds;
using std::chrono::milliseconds;

RateLimiter::RateLimiter(double rate_per_second, int burst, int low_water, Env& env)
    : env_(env),
      rate_(rate_per_second),
      burst_(std::max(burst, 1)),
      low_water_(std::max(low_water, 1)) {}

int64_t RateLimiter::ReserveLocked(int64_t now) {
  int64_t start = std::max({now, pause_until_, next_paced_});
  if (rate_ > 0) {
    // GCRA: a request may start once tat - (burst-1)*T has passed.
    const int64_t interval = static_cast<int64_t>(1e6 / rate_);
    const int64_t tolerance = interval * (burst_ - 1);
    const int64_t tat = std::max(bucket_tat_, start);
    start = std::max(start, tat - tolerance);
    bucket_tat_ = std::max(tat, start) + interval;
  }
  if (pace_interval_us_ > 0) next_paced_ = start + pace_interval_us_;
  return start;
}

milliseconds RateLimiter::Acquire() {
  const int64_t now = NowUs();
  int64_t start;
  {
    std::lock_guard<std::mutex> lock(mu_);
    start = ReserveLocked(now);
  }
  if (start <= now) return milliseconds(0);
  const int64_t wait_ms = (start - now + 999) / 1000;  // never start early
  const int64_t before = env_.SteadyMs();
  env_.SleepFor(wait_ms, stop_);
  return milliseconds(std::min(env_.SteadyMs() - before, wait_ms));
}

int64_t RateLimiter::NextStartMs() const {
  const int64_t now = NowUs();
  std::lock_guard<std::mutex> lock(mu_);
  return std::max({now, pause_until_, next_paced_}) / 1000;
}

void RateLimiter::Observe(int64_t limit, int64_t remaining, int64_t reset_seconds) {
  ObserveAt(limit, remaining, reset_seconds, NowUs());
}

void RateLimiter::ObserveAt(int64_t limit, int64_t remaining, int64_t reset_seconds,
                            int64_t at) {
  if (remaining < 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  // Learn: between two answers the bucket went from last_remaining_ to remaining while at
  // least one request was spent, so more than (remaining - last_remaining_) tokens came back
  // in that time (Remaining is rounded down, hence no +1 for the spent one). That bounds the
  // time per token from above; more requests in flight only make the true refill larger.
  // Needed because Reset is whole seconds, too coarse for a small burst. Learned only while
  // pacing: starts are then spaced, so answers come back in order.
  if (pace_interval_us_ > 0 && last_remaining_ >= 0 && at > last_seen_) {
    const int64_t refilled = remaining - last_remaining_;
    if (refilled >= 1) {
      const int64_t bound = (at - last_seen_) / refilled;
      if (bound > 0 && (token_time_us_ == 0 || bound < token_time_us_)) token_time_us_ = bound;
    }
  }
  last_seen_ = at;
  last_remaining_ = remaining;
  last_limit_ = limit;
  // Pace only when Remaining is low: below the requests that may be in flight, and below half
  // the server's bucket, so a small burst (X-Ratelimit-Limit 6) is still used.
  int64_t low = low_water_;
  if (limit > 1) low = std::min<int64_t>(low, (limit - 1) / 2);
  // Once pacing, it stops only well above the threshold when the server's bucket has room
  // for that: the answers of requests started before it began come back late, out of
  // order, with more Remaining than the newest one; switching pacing off on them let every
  // worker start at once into a nearly empty bucket (429s under load). Between the two,
  // pacing goes on at the rate estimated below. A small bucket keeps the single threshold
  // (its coarse Reset would pace it far below the server's rate).
  const bool hysteresis = limit - 1 > 2 * low + low_water_;
  const int64_t off = hysteresis ? 2 * low : low;
  if (remaining > low && (pace_interval_us_ == 0 || remaining > off)) {
    pace_interval_us_ = 0;
    return;
  }
  // The server refills (limit - remaining) tokens in at most reset_seconds (rounded up),
  // so one token takes at most reset/(limit - remaining). Without a usable estimate, 1/s.
  int64_t per_token = 1000000;
  if (limit > remaining && reset_seconds > 0) {
    per_token = reset_seconds * 1000000 / (limit - remaining);
  }
  if (token_time_us_ > 0) per_token = std::min(per_token, token_time_us_);
  // 10% margin: answers of requests in flight make both estimates slightly optimistic, and
  // a 429 costs far more than pacing a little below the server's rate.
  per_token = per_token * 11 / 10;
  pace_interval_us_ = std::min<int64_t>(per_token, 2000000);  // never slower than 0.5/s
}

void RateLimiter::PauseFor(milliseconds delay) {
  const int64_t now = NowUs();
  std::lock_guard<std::mutex> lock(mu_);
  pause_until_ = std::max(pause_until_, now + delay.count() * 1000);
  token_time_us_ = 0;  // a 429: what was learned was too optimistic; relearn
}

microseconds RateLimiter::pace_interval() const {
  std::lock_guard<std::mutex> lock(mu_);
  return microseconds(pace_interval_us_);
}

std::string RateLimiter::ExportState(int64_t wall_ms) const {
  const int64_t now = NowUs();
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t next_in = std::max<int64_t>(0, std::max(pause_until_, next_paced_) - now);
  char buf[160];
  std::snprintf(buf, sizeof(buf), "rl1 %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64
                " %" PRId64, wall_ms, last_limit_, last_remaining_, pace_interval_us_,
                token_time_us_, next_in);
  return buf;
}

bool RateLimiter::ImportState(const std::string& state, int64_t wall_ms) {
  int64_t saved_ms = 0, limit = 0, remaining = 0, pace_us = 0, token_us = 0, next_in = 0;
  char tail = 0;
  if (std::sscanf(state.c_str(), "rl1 %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64
                  " %" SCNd64 " %c", &saved_ms, &limit, &remaining, &pace_us, &token_us,
                  &next_in, &tail) != 6) {
    return false;
  }
  const int64_t elapsed_us = (wall_ms - saved_ms) * 1000;
  if (elapsed_us < 0 || pace_us < 0 || token_us < 0 || next_in < 0) return false;
  constexpr int64_t kMaxWaitUs = 60'000'000;
  const int64_t wait_us = std::min(kMaxWaitUs, std::max<int64_t>(0, next_in - elapsed_us));
  const int64_t now = NowUs();
  std::lock_guard<std::mutex> lock(mu_);
  if (pace_us == 0 || remaining < 0) {  // not pacing then: only a 429 pause carries over
    if (wait_us == 0) return false;
    pause_until_ = std::max(pause_until_, now + wait_us);
    return true;
  }
  // Tokens back since: at the learned time per token, else at the pace (10% margin off).
  const int64_t per_token = std::max<int64_t>(1, token_us > 0 ? token_us : pace_us * 10 / 11);
  const int64_t estimate = remaining + elapsed_us / per_token;
  int64_t low = low_water_;
  if (limit > 1) low = std::min<int64_t>(low, (limit - 1) / 2);
  if (estimate > low) return false;  // refilled by now: the first answers tell the rest
  pace_interval_us_ = std::min<int64_t>(pace_us, 2000000);
  token_time_us_ = token_us;
  next_paced_ = std::max(next_paced_, now + wait_us);
  return true;
}

bool RestoreRateLimitState(StateStore& store, RateLimiter& limiter, int64_t wall_ms) {
  Result<std::optional<std::string>> saved = store.GetValue(kRateLimitStateName);
  if (!saved.ok() || !saved->has_value()) return false;
  return limiter.ImportState(**saved, wall_ms);
}

Status SaveRateLimitState(StateStore& store, const RateLimiter& limiter, int64_t wall_ms) {
  Status s = store.PutValue(kRateLimitStateName, limiter.ExportState(wall_ms), wall_ms);
  if (s.code() == Status::Code::kNotImplemented) return Status::Ok();
  return s;
}

}  // namespace rostersync::api
