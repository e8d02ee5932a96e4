// CycleCoordinator: see daemon/cycle_coordinator.h. Moved out of daemon/service.cc.
#include "daemon/cycle_coordinator.h"

#include <spdlog/spdlog.h>

#include "daemon/exit_codes.h"
#include "daemon/json_views.h"

namespace rostersync::daemon {

CycleCoordinator::CycleCoordinator(Config config, std::unique_ptr<LeaderElection> leader,
                                   const Clock& clock, Seams seams)
    : clock_(clock),
      seams_(std::move(seams)),
      leader_(std::move(leader)),
      config_(std::move(config)) {}

Status CycleCoordinator::BuildLocked() {
  Config config;
  {
    std::lock_guard<std::mutex> lock(mu_);
    config = config_;
  }
  return RebuildLocked(config);
}

void CycleCoordinator::SetConfig(Config config) {
  std::lock_guard<std::mutex> lock(mu_);
  config_ = std::move(config);
  config_changed_ = true;
}

Status CycleCoordinator::RebuildLocked(const Config& config) {
  std::shared_ptr<StateStore> store = this->store();
  if (!store || store_url_ != config.state.database) {
    {
      // Release before acquire: the old runner and store (and the SQLite lock) go first.
      std::lock_guard<std::mutex> lock(mu_);
      runner_.reset();
      store_.reset();
    }
    store.reset();
    Result<std::unique_ptr<StateStore>> opened = seams_.open_store(config);
    if (!opened.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      runner_status_ = opened.status();
      return opened.status();
    }
    store = std::shared_ptr<StateStore>(std::move(opened).value());
    std::lock_guard<std::mutex> lock(mu_);
    store_ = store;
    store_url_ = config.state.database;
  }
  Result<std::unique_ptr<CycleRunner>> runner = seams_.make_runner(config, store.get());
  std::lock_guard<std::mutex> lock(mu_);
  if (!runner.ok()) {
    runner_status_ = runner.status();
    return runner.status();
  }
  runner_ = std::move(runner).value();
  runner_status_ = Status::Ok();
  return Status::Ok();
}

Status CycleCoordinator::CheckLeader() {
  // Conflict: another instance leads (standby). Any other error: the state database cannot be
  // reached, which is a failed cycle with its real cause, never "standby".
  Status s = leader_->Acquire();
  {
    std::lock_guard<std::mutex> lock(mu_);
    standby_ = s.IsConflict();
  }
  if (seams_.on_leader) seams_.on_leader(s.ok());
  return s;
}

Result<CycleResult> CycleCoordinator::RunLocked(const CycleRequest& request) {
  Config config;
  bool rebuild;
  {
    std::lock_guard<std::mutex> lock(mu_);
    rebuild = !runner_ || config_changed_;
    config = config_;
    config_changed_ = false;
  }
  if (rebuild) {
    Status s = RebuildLocked(config);
    if (!s.ok()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        config_changed_ = true;  // try again next time
      }
      return NotRun(request, s);
    }
  }
  Status leader = CheckLeader();
  if (!leader.ok() && !leader.IsConflict()) {  // the lock lives in the state database
    std::lock_guard<std::mutex> lock(mu_);
    state_status_ = leader;
  }
  if (!leader.ok() && request.apply) {
    if (!leader.IsConflict()) return NotRun(request, leader);
    return Status::Conflict(
        "standby: another rostersync instance holds the leader lock on "
        "the state database and applies changes");
  }
  std::shared_ptr<CycleRunner> runner = this->runner();
  {
    std::lock_guard<std::mutex> lock(mu_);
    cycle_running_ = true;
    cycle_started_ms_ = clock_.NowMs();
  }
  CycleResult result = runner->Run(request);
  std::string plan_json = result.planned ? CycleResultToJson(result) : "";
  std::lock_guard<std::mutex> lock(mu_);
  cycle_running_ = false;
  unauthorized_ = result.unauthorized;
  state_status_ = result.stage == "state" ? result.status : Status::Ok();
  if (request.apply) {
    consecutive_failures_ = result.exit_code == kExitError ? consecutive_failures_ + 1 : 0;
  }
  if (!plan_json.empty()) last_plan_json_ = std::move(plan_json);
  return result;
}

Status CycleCoordinator::NotRun(const CycleRequest& request, Status why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (request.apply) ++consecutive_failures_;
  return why;
}

bool CycleCoordinator::RunScheduled(Trigger trigger, const ScheduledReport& report) {
  std::lock_guard<std::mutex> cycle_lock(cycle_mu_);
  spdlog::info("cycle starting ({})", TriggerName(trigger));
  CycleRequest request;
  request.apply = true;
  request.command = RunCommand::kRun;
  Result<CycleResult> result = RunLocked(request);
  if (!result.ok()) {
    if (result.status().IsConflict()) {
      if (report.standby) report.standby(result.status());
      return true;  // standing by is not a failure: keep the normal interval
    }
    if (report.not_run) report.not_run(result.status());
    return false;
  }
  if (report.ran) report.ran(*result);
  return result->exit_code != kExitError;
}

std::shared_ptr<CycleRunner> CycleCoordinator::runner() const {
  std::lock_guard<std::mutex> lock(mu_);
  return runner_;
}

std::shared_ptr<StateStore> CycleCoordinator::store() const {
  std::lock_guard<std::mutex> lock(mu_);
  return store_;
}

Status CycleCoordinator::runner_status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return runner_status_;
}

bool CycleCoordinator::standby() const {
  std::lock_guard<std::mutex> lock(mu_);
  return standby_;
}

bool CycleCoordinator::unauthorized() const {
  std::lock_guard<std::mutex> lock(mu_);
  return unauthorized_;
}

Status CycleCoordinator::state_status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_status_;
}

int CycleCoordinator::consecutive_failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return consecutive_failures_;
}

bool CycleCoordinator::cycle_running(int64_t* started_ms) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ms != nullptr) *started_ms = cycle_started_ms_;
  return cycle_running_;
}

std::string CycleCoordinator::last_plan_json() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_plan_json_;
}

}  // namespace rostersync::daemon
