// ClientOptions: how api::Client reaches a Mattermost server. Plain value; the token is a
// secret and is never logged or put in a Status message by the client.
#ifndef ROSTERSYNC_API_CLIENT_OPTIONS_H_
#define ROSTERSYNC_API_CLIENT_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace rostersync {
class Env;
class StopToken;
}  // namespace rostersync

namespace rostersync::api {

class ApiObserver;
class RateLimiter;

struct ClientOptions {
  // Server base URL, "https://chat.example.com" (a path prefix such as "/mm" is kept).
  std::string url;
  // Personal access token, sent as "Authorization: Bearer ...". Secret.
  std::string token;
  // PEM CA bundle trusted in addition to the system store ("" = the system CAs only).
  std::string ca_file;
  // Disables certificate and host name checks. For tests only.
  bool insecure_skip_verify = false;
  // Per socket operation (connect, send, receive) and per whole response body.
  int64_t timeout_ms = 30000;
  // Kept-alive connections and pages fetched in parallel by ListAllUsers.
  int concurrency = 8;
  // Client-side token bucket; 0 = off (the server's headers still pace us).
  double rate_per_second = 0;
  int rate_burst = 0;
  // Attempts per idempotent request on 5xx/reset/timeout (1 = no retry), and the backoff:
  // a random delay in [0, min(max_delay_ms, base_delay_ms * 2^attempt)].
  int max_attempts = 5;
  int64_t base_delay_ms = 200;
  int64_t max_delay_ms = 30000;
  // Not owned; may be null.
  ApiObserver* observer = nullptr;
  // Not owned; may be null. Once stop is requested no new request is sent, and the retry
  // and pacing sleeps wake at once (the request fails Transient "rostersync is stopping").
  const StopToken* stop = nullptr;
  // Larger answers fail with Invalid instead of exhausting memory.
  int64_t max_response_bytes = 64ll << 20;
  // ListAllUsers fails instead of growing past this many users. The effective cap is the
  // smaller of this and 10 x GET /users/stats total_users_count + 10,000 (inactive users and
  // bots are listed too, and the stats count only active people).
  int64_t max_listed_users = 2000000;
  // How many 429 answers one request waits through before giving up with RateLimited.
  int max_rate_limited_retries = 20;
  // Not owned; null = Env::Default(). Every time read and sleep of the transport and the
  // rate limiter (backoff, Retry-After, pacing) goes through it; tests pass a FakeEnv.
  Env* env = nullptr;
  // Shared by the caller to keep its state between processes (RateLimiter::ExportState);
  // null = the transport makes its own from rate_per_second and rate_burst.
  std::shared_ptr<RateLimiter> rate_limiter;
  // The backoff jitter, a fraction in [0, 1] of the cap; empty = uniformly random. Tests fix
  // it to assert the exact sleeps.
  std::function<double()> jitter;
};

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_CLIENT_OPTIONS_H_
