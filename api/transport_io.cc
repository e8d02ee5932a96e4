// One HTTP exchange without retries (transport_io.h).
#include "api/transport_io.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>

#include <memory>

#include "api/api_observer.h"
#include "api/connection_pool.h"

namespace rostersync::api {

namespace {

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

Attempt Failed(AttemptOutcome kind, Status error) {
  Attempt a;
  a.kind = kind;
  a.error = std::move(error);
  return a;
}

Poco::Net::HTTPRequest MakeRequest(const ClientOptions& options, const std::string& base_path,
                                   const HttpRequest& req) {
  Poco::Net::HTTPRequest request(req.method, base_path + req.path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  if (!options.token.empty()) request.set("Authorization", "Bearer " + options.token);
  request.set("Accept", req.accept);
  request.set("User-Agent", "rostersync-api/0.1");
  if (!req.if_none_match.empty()) request.set("If-None-Match", req.if_none_match);
  if (!req.content_type.empty()) request.setContentType(req.content_type);
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT") {
    request.setContentLength(static_cast<std::streamsize>(req.body.size()));
  }
  request.setKeepAlive(true);
  return request;
}

// Reads the body into *body. False when it grew past max_response_bytes; throws on a
// timeout, a read error or a short body.
bool ReadBody(std::istream& in, const Poco::Net::HTTPResponse& response,
              const ClientOptions& options, Env& env, std::string* body) {
  const int64_t deadline = env.SteadyMs() + options.timeout_ms;
  char buffer[64 * 1024];
  while (in) {
    in.read(buffer, sizeof buffer);
    body->append(buffer, static_cast<std::size_t>(in.gcount()));
    if (static_cast<int64_t>(body->size()) > options.max_response_bytes) return false;
    if (env.SteadyMs() > deadline) {
      throw Poco::TimeoutException("the answer did not finish within timeout_ms");
    }
  }
  if (in.bad()) throw Poco::IOException("reading the answer failed");
  if (response.hasContentLength() &&
      static_cast<int64_t>(body->size()) < response.getContentLength64()) {
    throw Poco::Net::ConnectionResetException("connection closed in the middle of the answer");
  }
  return true;
}

Attempt Answered(const Poco::Net::HTTPResponse& response, std::string body) {
  Attempt a;
  a.kind = AttemptOutcome::kAnswered;
  a.response.status = static_cast<int>(response.getStatus());
  a.response.body = std::move(body);
  a.response.content_type = response.getContentType();
  a.response.etag = response.get("ETag", "");
  a.response.request_id = response.get("X-Request-Id", "");
  a.response.date = response.get("Date", "");
  a.limit = HeaderInt(response, "X-Ratelimit-Limit");
  a.remaining = HeaderInt(response, "X-Ratelimit-Remaining");
  a.reset = HeaderInt(response, "X-Ratelimit-Reset");
  a.retry_after = HeaderInt(response, "Retry-After");
  return a;
}

}  // namespace

Attempt SendOnce(ConnectionPool& pool, const ClientOptions& options, Env& env,
                 const std::string& base_path, const HttpRequest& req, const std::string& what) {
  const int64_t started = env.SteadyMs();
  auto report = [&](int status) {
    if (options.observer == nullptr) return;
    options.observer->OnRequest(req.method, req.route, status,
                                static_cast<double>(env.SteadyMs() - started) / 1000.0);
  };
  std::unique_ptr<PooledSession> session = pool.Acquire();
  try {
    if (session->Stale()) session->http().reset();
    session->Connect();
  } catch (const Poco::Net::SSLException& e) {
    pool.Release(std::move(session), false);
    report(0);
    return Failed(AttemptOutcome::kFinal,
                  Status::Invalid(what + ": TLS connection to the server was refused (" +
                                  e.displayText() +
                                  "): check the URL host name, ca_file and the server "
                                  "certificate"));
  } catch (const Poco::Exception& e) {
    pool.Release(std::move(session), false);
    report(0);
    return Failed(AttemptOutcome::kNotSent,
                  Status::Transient(what + ": cannot connect: " + e.displayText()));
  }
  Poco::Net::HTTPResponse response;
  std::string body;
  std::string failure;
  bool failed = false;
  try {
    Poco::Net::HTTPRequest request = MakeRequest(options, base_path, req);
    std::ostream& out = session->http().sendRequest(request);
    out.write(req.body.data(), static_cast<std::streamsize>(req.body.size()));
    out.flush();
    std::istream& in = session->http().receiveResponse(response);
    if (!ReadBody(in, response, options, env, &body)) {
      pool.Release(std::move(session), false);
      report(static_cast<int>(response.getStatus()));
      return Failed(AttemptOutcome::kFinal,
                    Status::Invalid(what + ": answer larger than " +
                                    std::to_string(options.max_response_bytes) + " bytes"));
    }
  } catch (const Poco::Exception& e) {
    failed = true;
    failure = e.displayText();
  } catch (const std::exception& e) {
    failed = true;
    failure = e.what();
  }
  if (failed) {
    pool.Release(std::move(session), false);
    report(0);
    return Failed(AttemptOutcome::kMaybeSent, Status::Transient(what + ": " + failure));
  }
  pool.Release(std::move(session), response.getKeepAlive());
  report(static_cast<int>(response.getStatus()));
  return Answered(response, std::move(body));
}

}  // namespace rostersync::api
