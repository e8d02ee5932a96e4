// CycleCoordinator: whether and how a cycle the service is asked for runs. One at a time
// (callers hold cycle_mutex()); the runner is (re)built for the current config after a
// reload or a failed build, on one state store that is reopened only when state.database
// changes; only the leader applies (LeaderElection, sync/leader_election.h): on standby an
// applying request is refused with Conflict and a plan still runs. It keeps what the service
// shows of it (standby, a running cycle, unauthorized, the last plan). Thread-safe.
#ifndef ROSTERSYNC_DAEMON_CYCLE_COORDINATOR_H_
#define ROSTERSYNC_DAEMON_CYCLE_COORDINATOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.h"
#include "daemon/cycle.h"
#include "daemon/scheduler.h"
#include "sync/clock.h"
#include "sync/leader_election.h"
#include "sync/state_store.h"
#include "sync/status.h"

namespace rostersync::daemon {

class CycleCoordinator {
 public:
  // How the coordinator builds what it runs; production: daemon/service.cc over wiring.
  struct Seams {
    // Opens state.database. Called again only when state.database changes.
    std::function<Result<std::unique_ptr<StateStore>>(const Config&)> open_store;
    // A runner for `config` over `store` (not owned; it outlives the runner).
    std::function<Result<std::unique_ptr<CycleRunner>>(const Config&, StateStore*)> make_runner;
    // Told the outcome of every leadership check (the leader metric). May be empty.
    std::function<void(bool leader)> on_leader;
  };

  CycleCoordinator(Config config, std::unique_ptr<LeaderElection> leader, const Clock& clock,
                   Seams seams);
  CycleCoordinator(const CycleCoordinator&) = delete;
  CycleCoordinator& operator=(const CycleCoordinator&) = delete;

  // Serialises cycles: hold it around BuildLocked() and RunLocked().
  std::mutex& cycle_mutex() { return cycle_mu_; }

  // Under cycle_mutex(): builds the runner for the current config now (the service's start).
  // On failure runner_status() says why and every cycle tries again.
  Status BuildLocked();
  // A reloaded config: the next cycle rebuilds the runner with it.
  void SetConfig(Config config);
  // Under cycle_mutex(): builds the runner if needed, checks leadership, runs the cycle.
  // The build's error when no runner can be built (tried again next time); Conflict
  // ("standby: ...") when another instance leads and `request` applies.
  Result<CycleResult> RunLocked(const CycleRequest& request);

  // What the service does with a scheduled cycle (daemon/service.cc: its reporter).
  struct ScheduledReport {
    std::function<void(const CycleResult&)> ran;  // a cycle that ran, whatever its exit code
    std::function<void(const Status&)> not_run;   // no cycle could start (no runner)
    std::function<void(const Status&)> standby;   // another instance leads
  };
  // The scheduler's callback: takes cycle_mutex(), runs an applying cycle (RunCommand::kRun)
  // and reports it. Returns the scheduler's success: true for a cycle that did not exit 1
  // and for standby (the normal interval is kept); false when no cycle could start or it
  // exited 1 (the scheduler retries sooner).
  bool RunScheduled(Trigger trigger, const ScheduledReport& report);

  // Snapshots, safe from any thread.
  std::shared_ptr<CycleRunner> runner() const;
  std::shared_ptr<StateStore> store() const;
  Status runner_status() const;  // OK once a runner is built, else why not
  bool standby() const;          // the last leadership check found another leader
  bool unauthorized() const;     // the last cycle's token was refused
  // Why the last cycle stopped at the state database (stage "state", or its leader lock
  // could not be checked), OK once a cycle got past it. The store reconnects by itself
  // (state/sql_state_store.h); until then the service is not ready.
  Status state_status() const;
  // Applying cycles (scheduled or requested: /v1/sync, sync-user) that failed in a row: not
  // run (no runner, the lock database unreachable) or exit 1. Standby is no failure.
  int consecutive_failures() const;
  bool cycle_running(int64_t* started_ms) const;
  std::string last_plan_json() const;  // of the last cycle that planned; "" before

 private:
  Status RebuildLocked(const Config& config);  // under cycle_mu_
  Status CheckLeader();  // under cycle_mu_; Conflict = another instance leads
  // Under cycle_mu_: counts an applying cycle that could not run (`why`) in a row.
  Status NotRun(const CycleRequest& request, Status why);

  const Clock& clock_;
  Seams seams_;
  std::unique_ptr<LeaderElection> leader_;  // cycle_mu_
  std::mutex cycle_mu_;       // one cycle at a time
  mutable std::mutex mu_;     // guards the members below
  Config config_;
  bool config_changed_ = false;
  std::shared_ptr<CycleRunner> runner_;
  std::shared_ptr<StateStore> store_;  // one handle (one SQLite lock) for the process life
  std::string store_url_;
  Status runner_status_ = Status::Internal("not started");
  bool standby_ = false;
  bool unauthorized_ = false;
  Status state_status_;
  int consecutive_failures_ = 0;
  bool cycle_running_ = false;
  int64_t cycle_started_ms_ = 0;
  std::string last_plan_json_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_CYCLE_COORDINATOR_H_
