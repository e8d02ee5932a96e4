// Service: the AdminBackend half (what the /v1/ routes answer), split from service.cc.
#include <spdlog/spdlog.h>

#include "daemon/cycle_output.h"
#include "daemon/json_views.h"
#include "daemon/service.h"
#include "daemon/status_view.h"

namespace rostersync::daemon {

std::string Service::StatusJson() {
  std::string why;
  bool ready = Ready(&why);
  StatusSnapshot status;
  status.ready = ready;
  status.not_ready_reason = why;
  {
    std::lock_guard<std::mutex> lock(mu_);
    status.standby = coordinator_->standby();
    status.cycle_running = coordinator_->cycle_running(nullptr);
    if (scheduler_) {
      status.scheduled = true;
      status.cycles_run = scheduler_->cycles_run();
      status.consecutive_failures = coordinator_->consecutive_failures();  // + /v1/sync
      status.next_due_ms = scheduler_->next_due_ms();
    }
    status.config_path = config_.path;
    status.last_run = last_run_;
  }
  return StatusToJson(status);
}

Result<std::string> Service::RunsJson() {
  std::shared_ptr<StateStore> store = Store();
  if (!store) return coordinator_->runner_status();
  Result<std::vector<RunRecord>> runs = store->RecentRuns(50);
  if (!runs.ok()) return runs.status();
  return RunsToJson(*runs);
}

Result<std::string> Service::AuditJson(const AuditQuery& query) {
  std::shared_ptr<StateStore> store = Store();
  if (!store) return coordinator_->runner_status();
  Result<std::vector<AuditRecord>> records = store->QueryAudit(query);
  if (!records.ok()) return records.status();
  return AuditToJson(*records);
}

Result<std::string> Service::PlanJson(bool refresh) {
  if (!refresh) {
    // Never a cycle on a plain GET: it would hold a fast admin thread for a whole cycle.
    std::string plan = coordinator_->last_plan_json();
    if (plan.empty()) {
      return Status::NotFound("no plan computed yet; GET /v1/plan?refresh=true computes one");
    }
    return plan;
  }
  std::unique_lock<std::mutex> refreshing(plan_refresh_mu_, std::try_to_lock);
  if (!refreshing.owns_lock()) {
    return Status::Conflict("a plan is already being computed; try again in a moment");
  }
  std::lock_guard<std::mutex> cycle_lock(cycle_mu_);
  CycleRequest request;
  request.apply = false;
  request.command = RunCommand::kPlan;
  Result<CycleResult> result = RunCycleLocked(request);
  if (!result.ok()) return result.status();
  if (!result->status.ok()) return result->status;
  return coordinator_->last_plan_json();
}

void Service::RequestFullCycle() {
  if (std::shared_ptr<CycleRunner> runner = Runner()) runner->RequestFullCycle();
}

std::string Service::TriggerSync() {
  if (scheduler_) scheduler_->RequestNow();
  return "{\"queued\":true}";
}

Result<std::string> Service::SyncUser(const std::string& key) {
  std::lock_guard<std::mutex> cycle_lock(cycle_mu_);
  CycleRequest request;
  request.apply = true;
  request.only_key = key;
  request.command = RunCommand::kSyncUser;
  Result<CycleResult> result = RunCycleLocked(request);
  if (!result.ok()) return result.status();
  Record(*result);
  if (!result->status.ok()) return result->status;
  return CycleResultToJson(*result);
}

Result<std::string> Service::SyncAndWait(const std::string& key, bool force, bool json) {
  std::lock_guard<std::mutex> cycle_lock(cycle_mu_);
  CycleRequest request;
  request.apply = true;
  request.force = force;
  request.only_key = key;
  request.command = key.empty() ? RunCommand::kSync : RunCommand::kSyncUser;
  Result<CycleResult> result = RunCycleLocked(request);
  if (!result.ok()) return result.status();
  Record(*result);
  return CycleOutputToJson(RenderCycle(*result, ToString(request.command), json, /*color=*/false));
}

}  // namespace rostersync::daemon
