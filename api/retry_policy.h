// The retry decision after one HTTP attempt: succeed, retry after N ms, pause everyone and
// retry (a 429), or give up and why. Pure: no I/O, no clock, no randomness (the backoff
// jitter is an input), so every case is unit-tested; api/transport.cc does the I/O.
#ifndef ROSTERSYNC_API_RETRY_POLICY_H_
#define ROSTERSYNC_API_RETRY_POLICY_H_

#include <cstdint>

#include "api/client_options.h"

namespace rostersync::api {

// What happened to one attempt, which decides whether it may be repeated.
enum class AttemptOutcome {
  kAnswered,   // an HTTP status arrived
  kNotSent,    // failed before the request left: any method may be retried
  kMaybeSent,  // failed after (part of) the request was written
  kFinal,      // a local failure that retrying cannot fix (TLS refused, answer too large)
};

struct RetryInput {
  AttemptOutcome outcome = AttemptOutcome::kAnswered;
  int status = 0;               // the HTTP status when answered
  bool trailing_error = false;  // a 2xx whose body ends with an appended AppError
  bool retry_safe = false;      // idempotent method, or a POST marked post_is_read_only
  int failures = 0;             // failed (non-429) attempts before this one
  int rate_limited = 0;         // 429 answers before this one
  int64_t retry_after_s = -1;   // Retry-After in seconds (-1 = absent or a date)
  int64_t reset_s = -1;         // X-Ratelimit-Reset in seconds (-1 = absent)
  double jitter = 1.0;          // in [0, 1]: the fraction of the backoff cap to wait
};

enum class RetryVerdict {
  kSucceed,        // a 2xx or 304 to return
  kRetry,          // sleep wait_ms (cut short by stop), then send again
  kPauseAndRetry,  // a 429: every request waits wait_ms (the shared limiter pause)
  kGiveUp,         // return an error; `reason` says which
};

enum class GiveUpReason {
  kNone,
  kNotRetryable,        // 4xx, 501, or a 5xx to a request that must not be repeated
  kFinal,               // AttemptOutcome::kFinal
  kTrailingError,       // 2xx with an appended AppError: the error is the real answer
  kAttemptsExhausted,   // max_attempts failures
  kTooManyRateLimited,  // more than max_rate_limited_retries 429s
  kProxyMayHaveApplied,  // 502/504 to a non-retry-safe request: outcome unknown
  kMaybeSent,           // a non-retry-safe request failed after it may have been sent
};

struct RetryDecision {
  RetryVerdict verdict = RetryVerdict::kGiveUp;
  GiveUpReason reason = GiveUpReason::kNone;
  int64_t wait_ms = 0;   // for kRetry and kPauseAndRetry
  int failures = 0;      // the counters after this attempt
  int rate_limited = 0;
};

// The backoff cap before retry number `attempt` (1-based): min(max_delay_ms,
// base_delay_ms * 2^(attempt-1)); the wait is a jitter fraction of it (full jitter).
int64_t BackoffCapMs(const ClientOptions& options, int attempt);

RetryDecision DecideRetry(const RetryInput& input, const ClientOptions& options);

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_RETRY_POLICY_H_
