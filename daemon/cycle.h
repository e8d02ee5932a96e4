// CycleRunner: one sync cycle, start to end: state -> pending journal -> roster (gated by the
// last accepted fingerprint) -> the token's own user -> what the server allows -> all users
// (ledger ids the listing missed confirmed with POST /users/ids) -> ledger -> plan ->
// (plan: return it) / (sync: apply, save the accepted roster, record the run).
// Owns the API client, the state store and the audit file it was built with. Run() is not
// reentrant: callers serialise cycles (the daemon holds one mutex around every Run()).
#ifndef ROSTERSYNC_DAEMON_CYCLE_H_
#define ROSTERSYNC_DAEMON_CYCLE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "sync/audit_sink.h"
#include "sync/clock.h"
#include "sync/executor.h"
#include "sync/plan.h"
#include "sync/roster.h"
#include "sync/state_store.h"
#include "sync/stop_token.h"
#include "sync/status.h"
#include "sync/users_api.h"

namespace rostersync::api {
class ApiObserver;
}

namespace rostersync::daemon {

struct CycleRequest {
  bool apply = false;              // false: plan only, nothing is written anywhere
  bool force = false;              // --force: release held actions (not ambiguous matches)
  bool detailed_exitcode = false;  // plan --detailed-exitcode
  std::string only_key;            // sync-user KEY / POST /v1/users/{key}/sync
  std::string command = "sync";    // RunRecord.command: sync | sync-user | run
  bool progress = false;           // a progress line on stderr while applying
  // approve (held_sets.h): called with the guarded plan just before it is applied; it may
  // release held actions. An error stops the cycle (stage "approve") with nothing applied.
  std::function<Status(Plan*)> before_apply;
};

struct CycleResult {
  Status status;       // OK, or why the cycle stopped (then exit_code is 1)
  int exit_code = 0;   // docs/contract.md exit codes (exit_codes.h)
  std::string result;  // ok | partial | held | failed
  std::string run_id;
  bool planned = false;  // plan holds a plan
  Plan plan;
  bool applied = false;  // report holds the execution report
  ExecutionReport report;
  bool unauthorized = false;  // GetMe answered 401: the token is wrong (readyz not ready)
  std::string stage;          // where it stopped: state, journal, roster, server, ledger, apply
  int64_t started_ms = 0;
  double seconds = 0;
  ServerCapabilities capabilities;  // what the server allows (known=false before it was read)
  std::string held_id;        // the held set of this applied cycle ("" if none)
  std::string held_decision;  // "" waiting, or what was decided about it (rejected, ...)
  Roster roster;  // as loaded (rejected rows, notices, trust), entries cleared after planning
};

class CycleRunner {
 public:
  // Production wiring: reads the token, builds the HTTP client (observer may be null) and
  // opens the state store and the audit file. Invalid/IoError with a message saying what,
  // where and what to do; nothing is sent to the server. Safe to retry. `store`, when not
  // null, is used instead of opening one (not owned; it must outlive the runner): the
  // service keeps one store, and so one SQLite lock, for its whole life.
  // `stop` (not owned, may be null; it must outlive the runner): once requested, no new
  // request or action starts and the retry and pacing sleeps wake at once.
  static Result<std::unique_ptr<CycleRunner>> Create(const Config& config,
                                                     api::ApiObserver* observer,
                                                     StateStore* store = nullptr,
                                                     const StopToken* stop = nullptr);

  // Test wiring: any UsersApi / StateStore (not owned if the unique_ptrs are null; the raw
  // pointers must then outlive the runner). audit may be null.
  CycleRunner(Config config, UsersApi* api, StateStore* store, AuditSink* audit,
              const Clock& clock);
  ~CycleRunner();
  CycleRunner(const CycleRunner&) = delete;
  CycleRunner& operator=(const CycleRunner&) = delete;

  // Runs one cycle. Never throws; failures are in result.status / exit_code 1. A cycle whose
  // roster cannot be read, or whose server cannot be read in full, applies nothing.
  CycleResult Run(const CycleRequest& request);

  StateStore& store() { return *store_; }
  UsersApi& api() { return *api_; }
  AuditSink* audit() { return audit_; }
  const Config& config() const { return config_; }
  // Reopens the audit file (after logrotate / SIGHUP). No-op for other sinks.
  void ReopenAudit();
  // Not owned; may be null. Test wiring sets it here (Create takes it as an argument).
  void set_stop(const StopToken* stop) { stop_ = stop; }

 private:
  CycleRunner(Config config, const Clock& clock);
  void Finish(CycleResult* result, const CycleRequest& request) const;

  Config config_;
  const Clock& clock_;
  std::unique_ptr<UsersApi> owned_api_;
  std::unique_ptr<StateStore> owned_store_;
  std::unique_ptr<AuditSink> owned_audit_;
  UsersApi* api_ = nullptr;
  StateStore* store_ = nullptr;
  AuditSink* audit_ = nullptr;
  std::function<void()> reopen_audit_;
  std::function<Result<Action>(const std::string&)> decode_action_;
  const StopToken* stop_ = nullptr;
};

// "20261129T130223Z-3f9a": sortable, unique enough for one installation.
std::string NewRunId(int64_t now_ms);

// One line for logs, STATUS= and notifications: "sync ok: 3 applied, 0 failed, 0 held".
std::string CycleSummary(const CycleResult& result);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_CYCLE_H_
