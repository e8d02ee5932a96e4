// Retries, rate-limit handling and error mapping around one HTTP exchange (transport.h).
#include "api/transport.h"

#include <algorithm>
#include <random>

#include "api/api_observer.h"
#include "api/connection_pool.h"
#include "api/http_errors.h"
#include "api/rate_limiter.h"
#include "api/retry_policy.h"
#include "api/transport_io.h"
#include "sync/redact.h"

namespace rostersync::api {

namespace {

thread_local std::string t_last_request_id;  // Transport::LastRequestIdOnThisThread

double RandomJitter() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);  // full jitter
}

}  // namespace

bool IsIdempotentMethod(const std::string& method) {
  return method == "GET" || method == "PUT" || method == "DELETE" || method == "HEAD";
}

Result<std::unique_ptr<Transport>> Transport::Create(const ClientOptions& options) {
  std::string base_path;
  auto pool = ConnectionPool::Create(options, &base_path);
  if (!pool.ok()) return pool.status();
  if (options.max_attempts < 1 || options.timeout_ms <= 0) {
    return Status::Invalid("api max_attempts must be >= 1 and timeout_ms > 0");
  }
  return std::unique_ptr<Transport>(
      new Transport(options, std::move(pool).value(), std::move(base_path)));
}

Transport::Transport(const ClientOptions& options, std::unique_ptr<ConnectionPool> pool,
                     std::string base_path)
    : options_(options),
      env_(options.env != nullptr ? *options.env : Env::Default()),
      pool_(std::move(pool)),
      limiter_(options.rate_limiter != nullptr
                   ? options.rate_limiter
                   : std::make_shared<RateLimiter>(options.rate_per_second, options.rate_burst,
                                                   RateLimiter::LowWaterFor(options.concurrency),
                                                   env_)),
      base_path_(std::move(base_path)) {
  limiter_->set_stop(options_.stop);
}

Transport::~Transport() = default;

std::string Transport::Scrub(std::string text) const {
  return redact::Token(std::move(text), options_.token);
}

Status Transport::ScrubStatus(Status s) const {
  if (s.ok()) return s;
  Status out(s.code(), Scrub(s.message()));
  out.WithHttp(s.http_status(), Scrub(s.request_id()), Scrub(s.error_id()));
  return out;
}

// The error an attempt ends with when the retry decision gives up.
Status Transport::GiveUpStatus(const Attempt& a, const RetryDecision& d,
                               const std::string& what) const {
  if (a.kind != AttemptOutcome::kAnswered) {
    if (d.reason == GiveUpReason::kMaybeSent) {
      return Status::OutcomeUnknown(
          a.error.message() +
          "; the request may have reached the server: look the result up before retrying");
    }
    if (d.reason == GiveUpReason::kAttemptsExhausted) {
      return a.error.Annotate("after " + std::to_string(d.failures) + " attempts");
    }
    return a.error;
  }
  const HttpResponse& r = a.response;
  if (d.reason == GiveUpReason::kTrailingError) {
    // The server failed after writing a success status: the appended error is the real
    // answer. Its own status code decides its kind.
    std::string trailing;
    TrailingAppError(r.body, &trailing);
    const int code = ParseAppError(trailing).status_code;
    Status err = MapHttpError(code >= 400 && code < 600 ? code : 500, trailing, r.request_id,
                              what, options_.token);
    return err.Annotate("HTTP " + std::to_string(r.status) +
                        " with an error appended to the answer");
  }
  Status err = MapHttpError(r.status, r.body, r.request_id, what, options_.token);
  switch (d.reason) {
    case GiveUpReason::kTooManyRateLimited:
      return err.Annotate("gave up after " + std::to_string(d.rate_limited) +
                          " rate-limited answers");
    case GiveUpReason::kAttemptsExhausted:
      return err.Annotate("after " + std::to_string(d.failures) + " attempts");
    case GiveUpReason::kProxyMayHaveApplied: {
      // A proxy answered: the server behind it may have applied the request.
      Status unknown = Status::OutcomeUnknown(
          err.message() + "; a proxy answered, so the server may have applied it: look "
                          "the result up before retrying");
      unknown.WithHttp(err.http_status(), err.request_id(), err.error_id());
      return unknown;
    }
    default:
      return err;
  }
}

Result<HttpResponse> Transport::Execute(const HttpRequest& req) {
  const std::string what = req.method + " " + req.route;
  RetryInput in;
  in.retry_safe = IsIdempotentMethod(req.method) || req.post_is_read_only;
  // Once stop is requested nothing more is sent; the sleeps below wake at once.
  auto stopping = [&] { return options_.stop != nullptr && options_.stop->stop_requested(); };
  for (;;) {
    limiter_->Acquire();
    if (stopping()) return Status::Transient(what + ": not sent: rostersync is stopping");
    Attempt a = SendOnce(*pool_, options_, env_, base_path_, req, what);
    in.outcome = a.kind;
    if (a.kind == AttemptOutcome::kAnswered) {
      t_last_request_id = a.response.request_id;
      limiter_->Observe(a.limit, a.remaining, a.reset);
      std::string trailing;
      in.status = a.response.status;
      in.trailing_error = TrailingAppError(a.response.body, &trailing);
      in.retry_after_s = a.retry_after;
      in.reset_s = a.reset;
      if (in.status == 429 && options_.observer != nullptr) options_.observer->OnRateLimited();
    }
    in.jitter = options_.jitter ? options_.jitter() : RandomJitter();
    const RetryDecision d = DecideRetry(in, options_);
    in.failures = d.failures;
    in.rate_limited = d.rate_limited;
    switch (d.verdict) {
      case RetryVerdict::kSucceed:
        return std::move(a.response);
      case RetryVerdict::kGiveUp:
        return ScrubStatus(GiveUpStatus(a, d, what));
      case RetryVerdict::kPauseAndRetry:
        limiter_->PauseFor(std::chrono::milliseconds(d.wait_ms));
        break;
      case RetryVerdict::kRetry:
        if (env_.SleepFor(d.wait_ms, options_.stop)) {
          Status err = a.kind == AttemptOutcome::kAnswered
                           ? MapHttpError(a.response.status, a.response.body,
                                          a.response.request_id, what, options_.token)
                           : a.error;
          return ScrubStatus(err.Annotate("not retried: rostersync is stopping"));
        }
        break;
    }
  }
}

std::string Transport::LastRequestIdOnThisThread() { return t_last_request_id; }

}  // namespace rostersync::api
