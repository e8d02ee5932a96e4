// The emulator's HTTP front: a Poco HTTPServer (thread pool, keep-alive) that applies
// rate limits and faults to /api/v4 requests, dispatches to UsersRoutes/AdminRoutes,
// and records stats. Owns the Poco server; borrows the rest. Start/Stop from one thread.
#ifndef ROSTERSYNC_TESTS_EMULATOR_HTTP_SERVER_H_
#define ROSTERSYNC_TESTS_EMULATOR_HTTP_SERVER_H_

#include <memory>
#include <string>

#include "emulator/admin_routes.h"
#include "emulator/faults.h"
#include "emulator/modes.h"
#include "emulator/rate_limiter.h"
#include "emulator/stats.h"
#include "emulator/users_routes.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace mmemu {

class Webhooks;

struct ServerParts {
  UsersRoutes* users;
  AdminRoutes* admin;
  Stats* stats;
  Faults* faults;
  RateLimiter* limiter;
  const Modes* modes;  // rate_limit_per_ip
  bool log_requests = false;
  Webhooks* webhooks = nullptr;  // POST /hooks/{id} (webhooks.h); null: 404
};

class EmulatorServer {
 public:
  explicit EmulatorServer(ServerParts parts);
  ~EmulatorServer();
  EmulatorServer(const EmulatorServer&) = delete;
  EmulatorServer& operator=(const EmulatorServer&) = delete;

  // Binds host:port (0 = any free port) and starts serving. Returns the bound port, or -1
  // with *error set (e.g. address in use); safe to retry with another port.
  int Start(const std::string& host, int port, int threads, std::string* error);
  void Stop();

 private:
  ServerParts parts_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_HTTP_SERVER_H_
