// Retries, rate-limit handling and error mapping around one HTTP exchange (transport.h).
#include "api/transport.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "api/api_observer.h"
#include "api/connection_pool.h"
#include "api/http_errors.h"
#include "api/rate_limiter.h"

namespace rostersync::api {

namespace {

thread_local std::string t_last_request_id;  // Transport::LastRequestIdOnThisThread

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// What happened to one attempt, which decides whether it may be repeated.
struct Attempt {
  enum Kind {
    kAnswered,    // an HTTP status arrived (response is set)
    kNotSent,     // failed before the request left: any method may be retried
    kMaybeSent,   // failed after (part of) the request was written
    kFinal,       // a local failure that retrying cannot fix (TLS rejected, too large)
  } kind = kAnswered;
  HttpResponse response;
  Status error;
  int64_t limit = -1, remaining = -1, reset = -1, retry_after = -1;
};

int64_t HeaderInt(const Poco::Net::HTTPResponse& r, const char* name) {
  // Poco's header collection compares names case-insensitively (X-Ratelimit-* in Go casing).
  // get() returns a reference to its default argument when absent: copy it here.
  const std::string v = r.get(name, "");
  if (v.empty()) return -1;
  try {
    std::size_t used = 0;
    long long n = std::stoll(v, &used);
    return n < 0 ? -1 : n;
  } catch (const std::exception&) {
    return -1;  // Retry-After may be an HTTP date; fall back to backoff.
  }
}

milliseconds Backoff(const ClientOptions& o, int attempt) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  int64_t cap = o.base_delay_ms;
  for (int i = 1; i < attempt && cap < o.max_delay_ms; ++i) cap *= 2;
  cap = std::min(cap, o.max_delay_ms);
  if (cap <= 0) return milliseconds(0);
  return milliseconds(std::uniform_int_distribution<int64_t>(0, cap)(rng));  // full jitter
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
      pool_(std::move(pool)),
      limiter_(std::make_unique<RateLimiter>(options.rate_per_second, options.rate_burst,
                                             options.concurrency + 2)),
      base_path_(std::move(base_path)) {
  limiter_->set_stop(options_.stop);
}

Transport::~Transport() = default;

std::string Transport::Scrub(std::string text) const {
  return RedactSecret(std::move(text), options_.token);
}

Status Transport::ScrubStatus(Status s) const {
  if (s.ok()) return s;
  Status out(s.code(), Scrub(s.message()));
  out.WithHttp(s.http_status(), Scrub(s.request_id()), Scrub(s.error_id()));
  return out;
}

Result<HttpResponse> Transport::Execute(const HttpRequest& req) {
  const bool retry_safe = IsIdempotentMethod(req.method) || req.post_is_read_only;
  const std::string what = req.method + " " + req.route;
  int failures = 0;
  int rate_limited = 0;

  auto once = [&]() -> Attempt {
    Attempt a;
    const auto started = SteadyClock::now();
    auto report = [&](int status) {
      if (options_.observer == nullptr) return;
      std::chrono::duration<double> took = SteadyClock::now() - started;
      options_.observer->OnRequest(req.method, req.route, status, took.count());
    };
    std::unique_ptr<PooledSession> session = pool_->Acquire();
    try {
      if (session->Stale()) session->http().reset();
      session->Connect();
    } catch (const Poco::Net::SSLException& e) {
      pool_->Release(std::move(session), false);
      report(0);
      a.kind = Attempt::kFinal;
      a.error = Status::Invalid(what + ": TLS connection to the server was refused (" +
                                e.displayText() +
                                "): check the URL host name, ca_file and the server certificate");
      return a;
    } catch (const Poco::Exception& e) {
      pool_->Release(std::move(session), false);
      report(0);
      a.kind = Attempt::kNotSent;
      a.error = Status::Transient(what + ": cannot connect: " + e.displayText());
      return a;
    }

    Poco::Net::HTTPResponse response;
    std::string body;
    bool complete = false;
    try {
      Poco::Net::HTTPRequest request(req.method, base_path_ + req.path,
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      if (!options_.token.empty()) request.set("Authorization", "Bearer " + options_.token);
      request.set("Accept", req.accept);
      request.set("User-Agent", "rostersync-api/0.1");
      if (!req.if_none_match.empty()) request.set("If-None-Match", req.if_none_match);
      if (!req.content_type.empty()) request.setContentType(req.content_type);
      if (!req.body.empty() || req.method == "POST" || req.method == "PUT") {
        request.setContentLength(static_cast<std::streamsize>(req.body.size()));
      }
      request.setKeepAlive(true);
      std::ostream& out = session->http().sendRequest(request);
      out.write(req.body.data(), static_cast<std::streamsize>(req.body.size()));
      out.flush();
      std::istream& in = session->http().receiveResponse(response);
      const auto deadline = SteadyClock::now() + milliseconds(options_.timeout_ms);
      char buffer[64 * 1024];
      while (in) {
        in.read(buffer, sizeof buffer);
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (static_cast<int64_t>(body.size()) > options_.max_response_bytes) {
          pool_->Release(std::move(session), false);
          report(static_cast<int>(response.getStatus()));
          a.kind = Attempt::kFinal;
          a.error = Status::Invalid(what + ": answer larger than " +
                                    std::to_string(options_.max_response_bytes) + " bytes");
          return a;
        }
        if (SteadyClock::now() > deadline) {
          throw Poco::TimeoutException("the answer did not finish within timeout_ms");
        }
      }
      if (in.bad()) throw Poco::IOException("reading the answer failed");
      if (response.hasContentLength() &&
          static_cast<int64_t>(body.size()) < response.getContentLength64()) {
        throw Poco::Net::ConnectionResetException("connection closed in the middle of the answer");
      }
      complete = true;
    } catch (const Poco::Exception& e) {
      pool_->Release(std::move(session), false);
      report(0);
      a.kind = Attempt::kMaybeSent;
      a.error = Status::Transient(what + ": " + e.displayText());
      return a;
    } catch (const std::exception& e) {
      pool_->Release(std::move(session), false);
      report(0);
      a.kind = Attempt::kMaybeSent;
      a.error = Status::Transient(what + ": " + e.what());
      return a;
    }
    pool_->Release(std::move(session), complete && response.getKeepAlive());
    const int status = static_cast<int>(response.getStatus());
    report(status);
    a.kind = Attempt::kAnswered;
    a.response.status = status;
    a.response.body = std::move(body);
    a.response.content_type = response.getContentType();
    a.response.etag = response.get("ETag", "");
    a.response.request_id = response.get("X-Request-Id", "");
    t_last_request_id = a.response.request_id;
    a.limit = HeaderInt(response, "X-Ratelimit-Limit");
    a.remaining = HeaderInt(response, "X-Ratelimit-Remaining");
    a.reset = HeaderInt(response, "X-Ratelimit-Reset");
    a.retry_after = HeaderInt(response, "Retry-After");
    return a;
  };

  // Once stop is requested nothing more is sent; the sleeps below wake at once.
  auto stopping = [&] { return options_.stop != nullptr && options_.stop->stop_requested(); };
  const Status stopped = Status::Transient(what + ": not sent: rostersync is stopping");
  for (;;) {
    limiter_->Acquire();
    if (stopping()) return stopped;
    Attempt a = once();
    if (a.kind == Attempt::kAnswered) {
      limiter_->Observe(a.limit, a.remaining, a.reset);
      const int s = a.response.status;
      std::string trailing;
      if (s >= 200 && s < 300 && TrailingAppError(a.response.body, &trailing)) {
        // The server failed after writing a success status: the appended error is the
        // real answer. Not retried; the error's own status code decides its kind.
        const int code = ParseAppError(trailing).status_code;
        Status err = MapHttpError(code >= 400 && code < 600 ? code : 500, trailing,
                                  a.response.request_id, what, options_.token);
        return ScrubStatus(err.Annotate("HTTP " + std::to_string(s) +
                                        " with an error appended to the answer"));
      }
      if ((s >= 200 && s < 300) || s == 304) return std::move(a.response);
      Status err = MapHttpError(s, a.response.body, a.response.request_id, what, options_.token);
      if (s == 429) {
        // The server refused before acting, so any method may be repeated.
        if (options_.observer != nullptr) options_.observer->OnRateLimited();
        if (++rate_limited > options_.max_rate_limited_retries) {
          return ScrubStatus(err.Annotate("gave up after " + std::to_string(rate_limited) +
                                          " rate-limited answers"));
        }
        int64_t wait_s = a.retry_after >= 0 ? a.retry_after : a.reset;
        milliseconds wait = wait_s >= 0 ? milliseconds(wait_s * 1000 + 50)
                                        : Backoff(options_, rate_limited) + milliseconds(50);
        limiter_->PauseFor(std::min(wait, milliseconds(std::max<int64_t>(options_.max_delay_ms, 50))));
        continue;
      }
      if (s >= 500 && s != 501) {
        if (!retry_safe) {
          if (s == 502 || s == 504) {
            // A proxy answered: the server behind it may have applied the request.
            Status unknown = Status::OutcomeUnknown(
                err.message() + "; a proxy answered, so the server may have applied it: look "
                                "the result up before retrying");
            unknown.WithHttp(err.http_status(), err.request_id(), err.error_id());
            return ScrubStatus(unknown);
          }
          return ScrubStatus(err);
        }
        if (++failures >= options_.max_attempts) {
          return ScrubStatus(err.Annotate("after " + std::to_string(failures) + " attempts"));
        }
        if (SleepUnlessStopped(options_.stop, SteadyClock::now() + Backoff(options_, failures))) {
          return ScrubStatus(err.Annotate("not retried: rostersync is stopping"));
        }
        continue;
      }
      return ScrubStatus(err);
    }
    if (a.kind == Attempt::kFinal) return ScrubStatus(a.error);
    if (a.kind == Attempt::kMaybeSent && !retry_safe) {
      return ScrubStatus(Status::OutcomeUnknown(
          a.error.message() +
          "; the request may have reached the server: look the result up before retrying"));
    }
    if (++failures >= options_.max_attempts) {
      return ScrubStatus(a.error.Annotate("after " + std::to_string(failures) + " attempts"));
    }
    if (SleepUnlessStopped(options_.stop, SteadyClock::now() + Backoff(options_, failures))) {
      return ScrubStatus(a.error.Annotate("not retried: rostersync is stopping"));
    }
  }
}

std::string Transport::LastRequestIdOnThisThread() { return t_last_request_id; }

}  // namespace rostersync::api
