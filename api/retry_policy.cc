// The pure retry decision (retry_policy.h).
#include "api/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace rostersync::api {

namespace {

constexpr int64_t kRateLimitMarginMs = 50;  // after Retry-After, so we arrive after the refill

int64_t Jittered(int64_t cap, double jitter) {
  const double j = std::clamp(jitter, 0.0, 1.0);
  return static_cast<int64_t>(std::llround(static_cast<double>(cap) * j));
}

RetryDecision GiveUp(RetryDecision d, GiveUpReason reason) {
  d.verdict = RetryVerdict::kGiveUp;
  d.reason = reason;
  return d;
}

// A 429: the server refused before acting, so any method may be repeated after the wait
// the server named (Retry-After, else Reset), or a backoff; never longer than max_delay_ms.
RetryDecision RateLimited(const RetryInput& in, const ClientOptions& o, RetryDecision d) {
  if (++d.rate_limited > o.max_rate_limited_retries) {
    return GiveUp(d, GiveUpReason::kTooManyRateLimited);
  }
  const int64_t wait_s = in.retry_after_s >= 0 ? in.retry_after_s : in.reset_s;
  int64_t wait = wait_s >= 0 ? wait_s * 1000 + kRateLimitMarginMs
                             : Jittered(BackoffCapMs(o, d.rate_limited), in.jitter) +
                                   kRateLimitMarginMs;
  wait = std::min(wait, std::max<int64_t>(o.max_delay_ms, kRateLimitMarginMs));
  d.verdict = RetryVerdict::kPauseAndRetry;
  d.wait_ms = wait;
  return d;
}

// A failure that may be repeated: count it, then back off or give up.
RetryDecision Backoff(const RetryInput& in, const ClientOptions& o, RetryDecision d) {
  if (++d.failures >= o.max_attempts) return GiveUp(d, GiveUpReason::kAttemptsExhausted);
  d.verdict = RetryVerdict::kRetry;
  d.wait_ms = Jittered(BackoffCapMs(o, d.failures), in.jitter);
  return d;
}

}  // namespace

int64_t BackoffCapMs(const ClientOptions& o, int attempt) {
  int64_t cap = o.base_delay_ms;
  for (int i = 1; i < attempt && cap < o.max_delay_ms; ++i) cap *= 2;
  cap = std::min(cap, o.max_delay_ms);
  return cap < 0 ? 0 : cap;
}

RetryDecision DecideRetry(const RetryInput& in, const ClientOptions& o) {
  RetryDecision d;
  d.failures = in.failures;
  d.rate_limited = in.rate_limited;
  switch (in.outcome) {
    case AttemptOutcome::kFinal:
      return GiveUp(d, GiveUpReason::kFinal);
    case AttemptOutcome::kMaybeSent:
      if (!in.retry_safe) return GiveUp(d, GiveUpReason::kMaybeSent);
      return Backoff(in, o, d);
    case AttemptOutcome::kNotSent:
      return Backoff(in, o, d);
    case AttemptOutcome::kAnswered:
      break;
  }
  const int s = in.status;
  if (s >= 200 && s < 300 && in.trailing_error) return GiveUp(d, GiveUpReason::kTrailingError);
  if ((s >= 200 && s < 300) || s == 304) {
    d.verdict = RetryVerdict::kSucceed;
    return d;
  }
  if (s == 429) return RateLimited(in, o, d);
  if (s >= 500 && s != 501) {
    if (in.retry_safe) return Backoff(in, o, d);
    if (s == 502 || s == 504) return GiveUp(d, GiveUpReason::kProxyMayHaveApplied);
  }
  return GiveUp(d, GiveUpReason::kNotRetryable);
}

}  // namespace rostersync::api
