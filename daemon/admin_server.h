// AdminServer: the admin HTTP endpoint of `rostersync run` on HttpServer (slowloris-proof:
// whole-request deadline, per-client cap). It routes, checks the Host header and the bearer
// token (every /v1/ route when admin.token_file is set; /healthz, /readyz and /metrics stay
// open) and formats errors; the answers come from an AdminBackend. Owns its threads; the
// backend must outlive it. Thread-safe.
#ifndef ROSTERSYNC_DAEMON_ADMIN_SERVER_H_
#define ROSTERSYNC_DAEMON_ADMIN_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "config/host_and_secrets.h"  // IsLoopbackHost
#include "sync/state_store.h"
#include "sync/status.h"


namespace rostersync::daemon {

class HttpServer;

// What the routes answer. Methods are called from server threads concurrently.
class AdminBackend {
 public:
  virtual ~AdminBackend() = default;
  // /readyz: true when ready; otherwise `why` says what is missing.
  virtual bool Ready(std::string* why) = 0;
  virtual std::string MetricsText() = 0;                        // /metrics
  virtual std::string StatusJson() = 0;                         // /v1/status
  virtual Result<std::string> RunsJson() = 0;                   // /v1/runs
  // /v1/plan: the last plan computed (by any cycle; NotFound before the first); refresh:
  // compute one now (changes nothing; at most one at a time, else Conflict).
  virtual Result<std::string> PlanJson(bool refresh) = 0;
  virtual Result<std::string> AuditJson(const AuditQuery& query) = 0;  // /v1/audit?since=&user=
  // POST /v1/sync: queue a cycle. Returns a JSON body (202).
  virtual std::string TriggerSync() = 0;
  // POST /v1/users/{key}/sync: plan and apply for one key, synchronously.
  virtual Result<std::string> SyncUser(const std::string& key) = 0;
  // POST /v1/sync?wait=true and /v1/users/{key}/sync?wait=true (key "" = full sync): runs
  // the cycle now and answers what the CLI would print, as CycleOutputToJson.
  virtual Result<std::string> SyncAndWait(const std::string& key, bool force, bool json) = 0;
  // POST /v1/sync?full=true (sync --full handed to the service): the next whole-roster cycle
  // lists every account instead of reading only what changed. Called before the sync.
  virtual void RequestFullCycle() {}
  // GET /v1/held: the held sets (daemon/held_sets.h HeldSetsToJson).
  virtual Result<std::string> HeldJson() {
    return Status::NotFound("held sets are not served here");
  }
  // POST /v1/held/{id}/approve[?only=K1,K2] and /v1/held/{id}/reject, decided by the admin
  // token's holder. A refusal is Conflict (409) with the difference.
  virtual Result<std::string> DecideHeld(const std::string& held_id, bool approve,
                                         const std::string& only) {
    (void)held_id, (void)approve, (void)only;
    return Status::NotFound("held sets are not served here");
  }
};

// The 403 error text for ?force=true when no admin token is configured (also printed by the
// CLI's `sync --force` beside a running service without admin.token_file).
extern const char kForceNeedsToken[];
// The same for POST /v1/held/{id}/approve: an approval releases held actions too.
extern const char kApproveNeedsToken[];

// Parses "since" for /v1/audit: a duration ("24h") back from now_ms, or Unix ms; 0 if empty.
Result<int64_t> ParseSince(const std::string& text, int64_t now_ms);

class AdminServer {
 public:
  // Listens on "host:port" (port 0 = any free one). token: required for every /v1/ route
  // when not empty. Refuses (Invalid) a non-loopback listen without a token; IoError when the
  // address cannot be bound. Retry is safe.
  static Result<std::unique_ptr<AdminServer>> Start(const std::string& listen,
                                                    const std::string& token,
                                                    AdminBackend& backend);
  ~AdminServer();  // Stop()
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  int port() const { return port_; }
  void Stop();

 private:
  AdminServer() = default;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_ADMIN_SERVER_H_
