// HttpServer: the small HTTP/1.1 server under the admin endpoint, built to hold against a
// hostile neighbour. One event-loop thread reads every request (so slow clients cost no
// worker thread) under a whole-request deadline that is never reset by a trickle of bytes,
// with a per-client and a total connection cap (a new connection evicts an unfinished one, so
// /healthz always gets in); complete requests go to a worker pool (a separate small pool for
// slow routes). A body over the limit is answered 413 at once and the rest read and dropped
// (never stored). One request per connection. Thread-safe.
#ifndef ROSTERSYNC_DAEMON_HTTP_SERVER_H_
#define ROSTERSYNC_DAEMON_HTTP_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sync/status.h"

namespace rostersync::daemon {

struct HttpRequest {
  std::string method;   // GET, POST, ...
  std::string target;   // /v1/audit?since=1h
  std::string path;     // /v1/audit (not decoded)
  std::string query;    // since=1h
  std::string version;  // HTTP/1.1
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string peer;  // the client's IP address
  std::string Header(const std::string& lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpServerOptions {
  int request_deadline_ms = 5'000;  // from accept to the last byte of the request
  int send_timeout_ms = 10'000;
  // Connections still being read, per client address; beyond, a new one evicts (408) that
  // client's oldest.
  int max_per_client = 8;
  // In total; beyond, a new connection evicts (408) the oldest of the client address that
  // holds the most.
  int max_connections = 128;
  int fast_threads = 4;
  int slow_threads = 2;
  size_t max_queued = 64;  // per pool; beyond, 503
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 64 * 1024;
  // Routes that may take long (a sync) run in the slow pool so they never starve /healthz.
  std::function<bool(const HttpRequest&)> is_slow;
  // Routes answered by the event loop itself, never queued behind busy workers (/healthz):
  // their handler must answer at once with a small body and never block.
  std::function<bool(const HttpRequest&)> is_inline;
  // Told (on the slow pool, never the event loop) of each request the server refused itself
  // before a handler saw it: 413 body too large, 431 head too large, 400 malformed head.
  std::function<void(const std::string& peer, int status, const std::string& why)> on_refused;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// "Bad Request" for 400, ...; "Unknown" for codes this server never sends.
const char* ReasonPhrase(int status);

// Parses the head (request line and headers, without the final blank line). Invalid with
// the reason when it is not a well-formed HTTP/1.x request head.
Result<HttpRequest> ParseRequestHead(const std::string& head);

class HttpServer {
 public:
  // Binds host:port (port 0: any free one), listens and starts the threads. IoError when
  // the address cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(const std::string& host, int port,
                                                   HttpServerOptions options,
                                                   HttpHandler handler);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  // Stops accepting, closes connections still being read, lets running handlers finish.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_HTTP_SERVER_H_
