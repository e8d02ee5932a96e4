// Service: GET /v1/held and POST /v1/held/{id}/approve|reject (held_sets.h), split from
// service_routes.cc. Decisions made here are audited with the approver "admin-token".
#include <spdlog/spdlog.h>

#include "daemon/exit_codes.h"
#include "daemon/held_sets.h"
#include "daemon/json_views.h"
#include "daemon/service.h"
#include "sync/text.h"

namespace rostersync::daemon {

Result<std::string> Service::HeldJson() {
  std::shared_ptr<StateStore> store = Store();
  if (!store) {
    std::lock_guard<std::mutex> lock(mu_);
    return runner_status_;
  }
  Result<std::vector<HeldSetRecord>> sets = store->RecentHeldSets(50);
  if (!sets.ok()) return sets.status();
  return HeldSetsToJson(*sets);
}

Result<std::string> Service::DecideHeld(const std::string& held_id, bool approve,
                                        const std::string& only) {
  std::lock_guard<std::mutex> cycle_lock(cycle_mu_);
  std::shared_ptr<StateStore> store = Store();
  std::shared_ptr<CycleRunner> runner = Runner();
  if (!store || !runner) {
    std::lock_guard<std::mutex> lock(mu_);
    return runner_status_;
  }
  HeldDecision decision{held_id, approve, ParseOnlyKeys(only), kAdminTokenApprover};
  DecisionOutcome out = DecideHeldSet(
      *store, runner->audit(), decision, clock_.NowMs(), [&](const CycleRequest& request) {
        Result<CycleResult> result = RunCycleLocked(request);
        if (!result.ok()) {
          CycleResult failed;
          failed.status = result.status();
          failed.exit_code = kExitError;
          return failed;
        }
        Record(*result);
        return std::move(result).value();
      });
  spdlog::info("held set {}: {}", held_id, EscapeControl(out.message));
  if (out.exit_code == kExitRefused) return Status::Conflict(out.message);
  if (out.exit_code == kExitError) return Status::Transient(out.message);
  return "{\"held_id\":" + JsonString(held_id) + ",\"decision\":" +
         JsonString(approve ? "approved" : "rejected") + ",\"exit_code\":" +
         std::to_string(out.exit_code) + ",\"released\":" + std::to_string(out.released) +
         ",\"applied\":" + std::to_string(out.applied) + ",\"message\":" +
         JsonString(out.message) + "}";
}

}  // namespace rostersync::daemon
