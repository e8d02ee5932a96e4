// Transport: one HTTP exchange with the Mattermost server, with retries, rate limiting,
// error mapping and a keep-alive connection pool (Poco, behind a pimpl). Owns its pool.
// Thread-safe: at most options.concurrency exchanges run at once; others wait for a slot.
#ifndef ROSTERSYNC_API_TRANSPORT_H_
#define ROSTERSYNC_API_TRANSPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "api/client_options.h"
#include "sync/env.h"
#include "sync/status.h"

namespace rostersync::api {

struct HttpRequest {
  std::string method;  // GET, PUT, POST, DELETE
  std::string path;    // below the base URL, already percent-encoded, with the query
  std::string route;   // template for metrics and messages, "/api/v4/users/{user_id}"
  std::string body;
  std::string content_type;   // "" = no body
  std::string accept = "application/json";
  std::string if_none_match;  // ETag to revalidate
  // GET/PUT/DELETE are always retried on 5xx/reset/timeout. A POST is retried only when
  // repeating it is harmless and the op says so: a pure read (users/ids, usernames,
  // search) or an idempotent action (verify email, revoke sessions/tokens, demote/promote).
  // POST /users (create) never sets it.
  bool post_is_read_only = false;
};

struct HttpResponse {
  int status = 0;  // 2xx or 304
  std::string body;
  std::string content_type;
  std::string etag;
  std::string request_id;
  std::string date;  // the Date header: the server's clock (sync/http_date.h)
};

class ConnectionPool;
class RateLimiter;
struct Attempt;
struct RetryDecision;

class Transport {
 public:
  // Invalid on a malformed URL, an unsupported scheme or an unreadable ca_file.
  static Result<std::unique_ptr<Transport>> Create(const ClientOptions& options);
  // The X-Request-Id of the last answer this thread received ("" before any): what the
  // executor records with an applied action (its writes and reads run on one thread).
  static std::string LastRequestIdOnThisThread();
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Sends `request`, retrying as the options allow. Returns the 2xx/304 answer, or a
  // Status from http_errors.h; Transient when retries ran out; RateLimited after
  // max_rate_limited_retries 429s; OutcomeUnknown when a non-read-only POST failed after
  // it may have reached the server (look the result up before trying again).
  Result<HttpResponse> Execute(const HttpRequest& request);

  const ClientOptions& options() const { return options_; }
  // The base path prefix of the URL ("" or "/mm").
  const std::string& base_path() const { return base_path_; }

 private:
  Transport(const ClientOptions& options, std::unique_ptr<ConnectionPool> pool,
            std::string base_path);
  // The token never appears in messages; replaced in anything that came from outside.
  std::string Scrub(std::string text) const;
  Status ScrubStatus(Status status) const;
  Status GiveUpStatus(const Attempt& attempt, const RetryDecision& decision,
                      const std::string& what) const;

  ClientOptions options_;
  Env& env_;
  std::unique_ptr<ConnectionPool> pool_;
  std::shared_ptr<RateLimiter> limiter_;  // ClientOptions::rate_limiter, or its own
  std::string base_path_;
};

bool IsIdempotentMethod(const std::string& method);

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_TRANSPORT_H_
