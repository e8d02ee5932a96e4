// DecideRetry, the pure retry decision: every outcome and status class, the counters, the
// backoff caps and the 429 waits, without I/O or time.
#include "api/retry_policy.h"

#include <gtest/gtest.h>

namespace rostersync::api {
namespace {

ClientOptions Opts() {
  ClientOptions o;
  o.max_attempts = 3;
  o.base_delay_ms = 200;
  o.max_delay_ms = 1000;
  o.max_rate_limited_retries = 2;
  return o;
}

RetryInput Answer(int status, bool retry_safe = true) {
  RetryInput in;
  in.outcome = AttemptOutcome::kAnswered;
  in.status = status;
  in.retry_safe = retry_safe;
  return in;
}

TEST(RetryPolicyTest, BackoffCapDoublesUpToTheMaximum) {
  const ClientOptions o = Opts();
  EXPECT_EQ(BackoffCapMs(o, 1), 200);
  EXPECT_EQ(BackoffCapMs(o, 2), 400);
  EXPECT_EQ(BackoffCapMs(o, 3), 800);
  EXPECT_EQ(BackoffCapMs(o, 4), 1000);
  EXPECT_EQ(BackoffCapMs(o, 60), 1000);
  ClientOptions zero = o;
  zero.base_delay_ms = 0;
  EXPECT_EQ(BackoffCapMs(zero, 5), 0);
}

TEST(RetryPolicyTest, SuccessAndNotModifiedSucceedForEveryMethod) {
  for (int s : {200, 201, 204, 299, 304}) {
    for (bool safe : {true, false}) {
      RetryDecision d = DecideRetry(Answer(s, safe), Opts());
      EXPECT_EQ(d.verdict, RetryVerdict::kSucceed) << s;
      EXPECT_EQ(d.failures, 0);
    }
  }
}

TEST(RetryPolicyTest, ATrailingErrorOnA2xxGivesUpWithoutRetrying) {
  RetryInput in = Answer(200);
  in.trailing_error = true;
  RetryDecision d = DecideRetry(in, Opts());
  EXPECT_EQ(d.verdict, RetryVerdict::kGiveUp);
  EXPECT_EQ(d.reason, GiveUpReason::kTrailingError);
}

TEST(RetryPolicyTest, ClientErrorsAnd501AreNeverRetried) {
  for (int s : {400, 401, 403, 404, 409, 413, 501, 302}) {
    RetryDecision d = DecideRetry(Answer(s, true), Opts());
    EXPECT_EQ(d.verdict, RetryVerdict::kGiveUp) << s;
    EXPECT_EQ(d.reason, GiveUpReason::kNotRetryable) << s;
    EXPECT_EQ(d.failures, 0) << s;
  }
}

TEST(RetryPolicyTest, ServerErrorsOfRetrySafeRequestsBackOffWithJitterThenGiveUp) {
  RetryInput in = Answer(503);
  in.jitter = 1.0;
  RetryDecision d = DecideRetry(in, Opts());
  EXPECT_EQ(d.verdict, RetryVerdict::kRetry);
  EXPECT_EQ(d.wait_ms, 200);
  EXPECT_EQ(d.failures, 1);
  in.failures = 1;
  in.jitter = 0.5;
  d = DecideRetry(in, Opts());
  EXPECT_EQ(d.verdict, RetryVerdict::kRetry);
  EXPECT_EQ(d.wait_ms, 200) << "half of the 400 ms cap";
  in.jitter = 0.0;
  EXPECT_EQ(DecideRetry(in, Opts()).wait_ms, 0);
  in.jitter = 7.0;  // clamped
  EXPECT_EQ(DecideRetry(in, Opts()).wait_ms, 400);
  in.failures = 2;
  d = DecideRetry(in, Opts());
  EXPECT_EQ(d.verdict, RetryVerdict::kGiveUp);
  EXPECT_EQ(d.reason, GiveUpReason::kAttemptsExhausted);
  EXPECT_EQ(d.failures, 3);
}

TEST(RetryPolicyTest, ServerErrorsOfUnsafeRequestsGiveUpAndProxiesMakeTheOutcomeUnknown) {
  for (int s : {500, 503, 507}) {
    RetryDecision d = DecideRetry(Answer(s, false), Opts());
    EXPECT_EQ(d.verdict, RetryVerdict::kGiveUp) << s;
    EXPECT_EQ(d.reason, GiveUpReason::kNotRetryable) << s;
  }
  for (int s : {502, 504}) {
    RetryDecision d = DecideRetry(Answer(s, false), Opts());
    EXPECT_EQ(d.reason, GiveUpReason::kProxyMayHaveApplied) << s;
  }
}

TEST(RetryPolicyTest, A429PausesForRetryAfterPlusAMarginForAnyMethod) {
  for (bool safe : {true, false}) {
    RetryInput in = Answer(429, safe);
    in.retry_after_s = 0;
    in.reset_s = 9;  // Retry-After wins
    RetryDecision d = DecideRetry(in, Opts());
    EXPECT_EQ(d.verdict, RetryVerdict::kPauseAndRetry);
    EXPECT_EQ(d.wait_ms, 50);
    EXPECT_EQ(d.rate_limited, 1);
    EXPECT_EQ(d.failures, 0) << "a 429 is not a failed attempt";
  }
}

TEST(RetryPolicyTest, A429WithoutRetryAfterUsesResetThenBackoffAndIsCappedAtMaxDelay) {
  RetryInput in = Answer(429);
  in.reset_s = 0;
  EXPECT_EQ(DecideRetry(in, Opts()).wait_ms, 50);
  in.reset_s = 30;  // 30 050 ms, capped at max_delay_ms
  EXPECT_EQ(DecideRetry(in, Opts()).wait_ms, 1000);
  in.reset_s = -1;
  in.jitter = 1.0;
  EXPECT_EQ(DecideRetry(in, Opts()).wait_ms, 250) << "backoff cap 200 + 50";
  ClientOptions tiny = Opts();
  tiny.max_delay_ms = 10;
  in.retry_after_s = 3;
  EXPECT_EQ(DecideRetry(in, tiny).wait_ms, 50) << "never less than the margin";
}

TEST(RetryPolicyTest, TooMany429sGiveUp) {
  RetryInput in = Answer(429);
  in.retry_after_s = 1;
  in.rate_limited = 2;
  RetryDecision d = DecideRetry(in, Opts());
  EXPECT_EQ(d.verdict, RetryVerdict::kGiveUp);
  EXPECT_EQ(d.reason, GiveUpReason::kTooManyRateLimited);
  EXPECT_EQ(d.rate_limited, 3);
}

TEST(RetryPolicyTest, ConnectFailuresAreRetriedForEveryMethod) {
  for (bool safe : {true, false}) {
    RetryInput in;
    in.outcome = AttemptOutcome::kNotSent;
    in.retry_safe = safe;
    RetryDecision d = DecideRetry(in, Opts());
    EXPECT_EQ(d.verdict, RetryVerdict::kRetry) << safe;
    EXPECT_EQ(d.failures, 1);
    in.failures = 2;
    EXPECT_EQ(DecideRetry(in, Opts()).reason, GiveUpReason::kAttemptsExhausted);
  }
}

TEST(RetryPolicyTest, AFailureAfterSendingIsRetriedOnlyWhenSafe) {
  RetryInput in;
  in.outcome = AttemptOutcome::kMaybeSent;
  in.retry_safe = true;
  EXPECT_EQ(DecideRetry(in, Opts()).verdict, RetryVerdict::kRetry);
  in.retry_safe = false;
  RetryDecision d = DecideRetry(in, Opts());
  EXPECT_EQ(d.verdict, RetryVerdict::kGiveUp);
  EXPECT_EQ(d.reason, GiveUpReason::kMaybeSent);
}

TEST(RetryPolicyTest, FinalFailuresAreNeverRetried) {
  for (bool safe : {true, false}) {
    RetryInput in;
    in.outcome = AttemptOutcome::kFinal;
    in.retry_safe = safe;
    RetryDecision d = DecideRetry(in, Opts());
    EXPECT_EQ(d.verdict, RetryVerdict::kGiveUp);
    EXPECT_EQ(d.reason, GiveUpReason::kFinal);
  }
}

TEST(RetryPolicyTest, SingleAttemptMeansNoRetry) {
  ClientOptions o = Opts();
  o.max_attempts = 1;
  EXPECT_EQ(DecideRetry(Answer(503), o).reason, GiveUpReason::kAttemptsExhausted);
}

}  // namespace
}  // namespace rostersync::api
