// ConnectionPool: kept-alive Poco HTTP(S) client sessions to one server, at most
// `concurrency` in use at once. Internal to api/ (names Poco types). Thread-safe.
// TLS verifies the peer and host name unless insecure_skip_verify is set.
#ifndef ROSTERSYNC_API_CONNECTION_POOL_H_
#define ROSTERSYNC_API_CONNECTION_POOL_H_

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/client_options.h"
#include "sync/status.h"

namespace rostersync::api {

// A session whose connect step can be done on its own, so that a failure to connect
// (nothing sent: safe to retry any request) is told apart from a failure after sending.
class PooledSession {
 public:
  virtual ~PooledSession() = default;
  virtual Poco::Net::HTTPClientSession& http() = 0;
  // Connects if not connected. Throws Poco exceptions on failure.
  virtual void Connect() = 0;
  // True if the kept-alive connection was closed by the server while idle.
  bool Stale();

 private:
  friend class ConnectionPool;
  bool tls_ = false;
  std::chrono::steady_clock::time_point last_used_ = std::chrono::steady_clock::now();
};

class ConnectionPool {
 public:
  // Invalid when the URL or the TLS material is unusable.
  static Result<std::unique_ptr<ConnectionPool>> Create(const ClientOptions& options,
                                                        std::string* base_path);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Blocks until fewer than `concurrency` sessions are in use, then returns an idle
  // session (maybe not connected). Give it back with Release.
  std::unique_ptr<PooledSession> Acquire();
  // reusable=false closes the connection (error, or the server did not keep it alive).
  void Release(std::unique_ptr<PooledSession> session, bool reusable);

 private:
  ConnectionPool(const ClientOptions& options, std::string scheme, std::string host, int port,
                 Poco::Net::Context::Ptr context);
  std::unique_ptr<PooledSession> NewSession();

  const ClientOptions options_;
  const std::string scheme_;
  const std::string host_;
  const int port_;
  Poco::Net::Context::Ptr context_;
  std::mutex mu_;
  std::condition_variable slot_free_;
  int in_use_ = 0;
  std::vector<std::unique_ptr<PooledSession>> idle_;
};

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_CONNECTION_POOL_H_
