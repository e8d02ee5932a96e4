// CycleRunner: the production wiring of one sync cycle. Builds the roster source (roster/),
// the HTTP client (api/), the state store and audit file (state/) from a Config and runs the
// cycle core (cycle/cycle_core.h) over them with spdlog as its log; docs/design.md draws it.
// Owns what it built. Run() is not reentrant: callers serialise cycles (the daemon holds one
// mutex around every Run()).
#ifndef ROSTERSYNC_DAEMON_CYCLE_H_
#define ROSTERSYNC_DAEMON_CYCLE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "cycle/cycle_types.h"
#include "cycle/seams.h"
#include "cycle/users_snapshot.h"
#include "sync/audit_sink.h"
#include "sync/env.h"
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

using cycle::CycleRequest;
using cycle::CycleResult;
using cycle::CycleSummary;
using cycle::NewRunId;
using cycle::RunRecordFor;

// The CycleOptions a Config gives (planner, memberships, budget window, concurrency, the
// display URL, the URL scrubber, the journal's action decoder).
cycle::CycleOptions CycleOptionsFor(const Config& config);

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
  // pointers must then outlive the runner). audit may be null. `env` (time, the CSV settle
  // wait) must outlive the runner.
  CycleRunner(Config config, UsersApi* api, StateStore* store, AuditSink* audit, Env& env);
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
  // The next whole-roster applied cycle lists every account (sync --full, POST
  // /v1/sync?full=true). Thread-safe.
  void RequestFullCycle() { full_next_ = true; }
  // Not owned; may be null. Test wiring sets it here (Create takes it as an argument).
  void set_stop(const StopToken* stop) { stop_ = stop; }

 private:
  CycleRunner(Config config, Env& env);

  Config config_;
  Env& env_;
  std::unique_ptr<UsersApi> owned_api_;
  std::unique_ptr<StateStore> owned_store_;
  std::unique_ptr<AuditSink> owned_audit_;
  UsersApi* api_ = nullptr;
  StateStore* store_ = nullptr;
  AuditSink* audit_ = nullptr;
  std::function<void()> reopen_audit_;
  std::function<void()> save_rate_limit_;  // after each cycle (production wiring only)
  std::function<Result<Action>(const std::string&)> decode_action_;
  const StopToken* stop_ = nullptr;
  // The server's users as the last whole-roster cycle saw them: a new runner (a new
  // process, a reload) starts without one, so its first cycle is full.
  cycle::UsersSnapshot snapshot_;
  std::atomic<bool> full_next_{false};
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_CYCLE_H_
