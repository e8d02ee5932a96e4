// Service: the body of `rostersync run`. Owns the scheduler, roster watch, admin endpoint,
// metrics, notifier and the cycle coordinator (daemon/cycle_coordinator.h: the runner, the
// leader election, one cycle at a time); implements the admin routes. Start() after any
// fork; Stop() before exit. Public methods are thread-safe: the coordinator's mutex
// serialises cycles (scheduled, per-user and /v1/plan), another guards the shared state.
#ifndef ROSTERSYNC_DAEMON_SERVICE_H_
#define ROSTERSYNC_DAEMON_SERVICE_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "config/config.h"
#include "daemon/admin_server.h"
#include "daemon/approval_server.h"
#include "daemon/cycle.h"
#include "daemon/cycle_coordinator.h"
#include "daemon/metrics.h"
#include "daemon/metrics_observer.h"
#include "daemon/notifier.h"
#include "daemon/roster_watch.h"
#include "daemon/scheduler.h"
#include "daemon/service_reporter.h"
#include "sync/clock.h"
#include "sync/state_store.h"
#include "sync/stop_token.h"

namespace rostersync::daemon {

class Service : public AdminBackend, public ApprovalBackend {
 public:
  Service(Config config, const Clock& clock);
  ~Service() override;  // Stop()
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Opens the state (and the client), starts the admin endpoint, the scheduler, the roster
  // watch and the watchdog. Invalid/IoError (e.g. the admin port is taken, or a non-loopback
  // listen without a token): nothing is left running.
  Status Start();
  void Stop();  // cancels waits, lets a running cycle finish, stops everything. Idempotent.

  // SIGHUP: re-reads config_path. Valid: the next cycle uses it (logging, schedule and admin.*
  // at once; the state store is kept). Invalid, or a changed state.database (that needs a
  // restart): every problem is logged and the running config is kept. Also reopens the audit file. Returns whether
  // the new config was taken.
  bool Reload(const std::string& config_path);

  int admin_port() const { return admin_ ? admin_->port() : 0; }

  // AdminBackend
  bool Ready(std::string* why) override;
  std::string MetricsText() override { return metrics_.Serialize(); }
  std::string StatusJson() override;
  Result<std::string> RunsJson() override;
  Result<std::string> PlanJson(bool refresh) override;
  Result<std::string> AuditJson(const AuditQuery& query) override;
  std::string TriggerSync() override;
  Result<std::string> SyncUser(const std::string& key) override;
  Result<std::string> SyncAndWait(const std::string& key, bool force, bool json) override;
  void RequestFullCycle() override;
  Result<std::string> HeldJson() override;  // service_held.cc
  Result<std::string> DecideHeld(const std::string& held_id, bool approve,
                                 const std::string& only) override;
  // ApprovalBackend: the Approve / Reject buttons (service_held.cc)
  int64_t NowMs() override { return clock_.NowMs(); }
  Result<User> ClickingUser(const std::string& user_id) override;
  DecisionOutcome Decide(const HeldDecision& decision) override;
  void AuditRefusedClick(const AuditRecord& record) override;

 private:
  bool ScheduledCycle(Trigger trigger);  // the scheduler's callback
  // Under cycle_mu_: builds the runner if needed, checks the leader lock, runs.
  Result<CycleResult> RunCycleLocked(const CycleRequest& request) {
    return coordinator_->RunLocked(request);
  }
  void Record(const CycleResult& result);  // the reporter, then last_run_ for /v1/status
  CycleReporter Reporter();                // metrics, STATUS=, notifications
  std::shared_ptr<CycleRunner> Runner() { return coordinator_->runner(); }
  std::shared_ptr<StateStore> Store() { return coordinator_->store(); }
  // Starts the admin endpoint for `admin` (stopping the running one first). On failure the
  // previous endpoint, if any, is brought back.
  Status StartAdmin(const AdminConfig& admin, const AdminConfig* previous);
  // False (and logged) when a reloaded config names another state.database: that needs a
  // restart, the running config stays.
  bool ReloadKeepsStateDatabase(const Config& loaded);
  // approvals.listen: the button route (service_held.cc); approvals.* need a restart.
  Status StartApprovals();
  // With approvals on: posts the held set with buttons (once an hour per held id) and returns
  // true; false when the plain held alerts should go out instead.
  bool PostHeldSet(const CycleResult& result);
  void WatchdogLoop();
  static ScheduleOptions ToScheduleOptions(const Config& config);
  // The coordinator over the production wiring (OpenStore, CycleRunner::Create, the leader
  // election for state.database) with the leader metric.
  std::unique_ptr<CycleCoordinator> MakeCoordinator(const Config& config);

  const Clock& clock_;
  // Requested first thing in Stop(): the running cycle starts nothing new and its sleeps end.
  StopToken stop_token_;
  Metrics metrics_;
  MetricsApiObserver observer_{metrics_};
  std::unique_ptr<Notifier> notifier_;

  std::unique_ptr<CycleCoordinator> coordinator_;
  std::mutex& cycle_mu_;  // coordinator_->cycle_mutex(): one cycle at a time
  std::mutex mu_;         // guards the members below
  Config config_;
  std::optional<RunRecord> last_run_;
  std::string last_summary_;
  std::mutex plan_refresh_mu_;  // at most one ?refresh=true at a time

  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<RosterWatch> watch_;
  std::unique_ptr<AdminServer> admin_;  // main thread only (Start, Reload, Stop)
  std::unique_ptr<ApprovalServer> approvals_;  // main thread only (Start, Stop)
  std::string approvals_key_;                  // the HMAC key; never logged
  std::string admin_token_;             // the token admin_ was started with
  std::thread watchdog_;
  std::condition_variable watchdog_cv_;
  bool stopping_ = false;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_SERVICE_H_
