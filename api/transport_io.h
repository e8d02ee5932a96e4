// One HTTP exchange on a pooled connection, without retries: what api/transport.cc's retry
// loop sends each attempt. Internal to api/ (Poco stays behind it).
#ifndef ROSTERSYNC_API_TRANSPORT_IO_H_
#define ROSTERSYNC_API_TRANSPORT_IO_H_

#include <cstdint>
#include <string>

#include "api/client_options.h"
#include "api/retry_policy.h"
#include "api/transport.h"
#include "sync/env.h"
#include "sync/status.h"

namespace rostersync::api {

class ConnectionPool;

// The result of one attempt: an answer (outcome kAnswered, response set) or a failure.
struct Attempt {
  AttemptOutcome kind = AttemptOutcome::kAnswered;
  HttpResponse response;
  Status error;
  int64_t limit = -1, remaining = -1, reset = -1, retry_after = -1;  // X-Ratelimit-*, seconds
};

// Sends `req` once on a connection from `pool`, reading the answer within timeout_ms and
// max_response_bytes. `what` names the request in messages ("GET /api/v4/users/me").
// Reports the attempt to options.observer. Times through `env`.
Attempt SendOnce(ConnectionPool& pool, const ClientOptions& options, Env& env,
                 const std::string& base_path, const HttpRequest& req, const std::string& what);

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_TRANSPORT_IO_H_
