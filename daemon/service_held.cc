// Service: GET /v1/held, POST /v1/held/{id}/approve|reject and the Approve / Reject buttons
// (held_sets.h, approval_server.h), split from service_routes.cc. Decisions through the admin
// routes are audited as "admin-token", button decisions with the clicking Mattermost user.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/approval_click.h"
#include "daemon/approval_post.h"
#include "daemon/exit_codes.h"
#include "daemon/held_sets.h"
#include "daemon/json_views.h"
#include "daemon/service.h"
#include "sync/text.h"

namespace rostersync::daemon {

Result<std::string> Service::HeldJson() {
  std::shared_ptr<StateStore> store = Store();
  if (!store) return coordinator_->runner_status();
  Result<std::vector<HeldSetRecord>> sets = store->RecentHeldSets(50);
  if (!sets.ok()) return sets.status();
  return HeldSetsToJson(*sets);
}

DecisionOutcome Service::Decide(const HeldDecision& asked) {
  std::lock_guard<std::mutex> cycle_lock(cycle_mu_);
  HeldDecision decision = asked;
  {
    std::lock_guard<std::mutex> lock(mu_);
    decision.second_approver_above = config_.approvals.second_approver_above;
  }
  std::shared_ptr<StateStore> store = Store();
  std::shared_ptr<CycleRunner> runner = Runner();
  if (!store || !runner) {
    return DecisionOutcome{kExitError, coordinator_->runner_status().ToString()};
  }
  DecisionOutcome out = DecideHeldSet(
      *store, runner->audit(), decision, clock_.NowMs(), [&](const CycleRequest& request) {
        Result<CycleResult> result = RunCycleLocked(request);
        if (!result.ok()) {
          CycleResult failed;
          failed.status = result.status();
          failed.exit_code = kExitError;
          return failed;
        }
        // A refused approval applied nothing: it is no failed cycle to alert or count.
        if (result->stage != "approve") Record(*result);
        return std::move(result).value();
      });
  spdlog::info("held set {} ({}): {}", EscapeControl(decision.held_id),
               EscapeControl(decision.approver), EscapeControl(out.message));
  return out;
}

Result<std::string> Service::DecideHeld(const std::string& held_id, bool approve,
                                        const std::string& only) {
  HeldDecision decision{held_id, approve, ParseOnlyKeys(only), kAdminTokenApprover};
  decision.approver_id = kAdminTokenApproverId;
  DecisionOutcome out = Decide(decision);
  if (out.exit_code == kExitRefused) return Status::Conflict(out.message);
  if (out.exit_code == kExitError) return Status::Transient(out.message);
  return DecisionToJson(held_id, approve, out);
}

void Service::AuditRefusedClick(const AuditRecord& record) {
  std::shared_ptr<StateStore> store = Store();
  std::shared_ptr<CycleRunner> runner = Runner();
  if (!store) return;  // not ready: the click's refusal is logged (approval_server.cc)
  if (Status s = store->AppendAudit(record); !s.ok()) {
    spdlog::warn("cannot audit a refused approval click: {}", EscapeControl(s.ToString()));
    return;
  }
  if (runner && runner->audit() != nullptr) runner->audit()->Write(record);
}

Result<User> Service::ClickingUser(const std::string& user_id) {
  // Only a real id: "me" (or a path) would read the account behind rostersync's own token,
  // a system admin, and approve in its name.
  const bool id_shaped = user_id.size() == 26 &&
      std::all_of(user_id.begin(), user_id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
      });
  if (!id_shaped) {
    return Status::Invalid("the clicking user_id is not a Mattermost user id (26 lower-case "
                           "letters and digits)");
  }
  std::shared_ptr<CycleRunner> runner = Runner();
  if (!runner) return Status::Transient("not ready: the Mattermost client is not built yet");
  return runner->api().GetUser(user_id);
}

Status Service::StartApprovals() {
  if (config_.approvals.listen.empty()) return Status::Ok();
  Result<std::string> key = ReadHmacKey(config_.approvals.hmac_key_file);
  if (!key.ok()) return key.status();
  approvals_key_ = *key;
  Result<std::unique_ptr<ApprovalServer>> server =
      ApprovalServer::Start(config_.approvals, approvals_key_, *this);
  if (!server.ok()) return server.status();
  approvals_ = std::move(server).value();
  spdlog::info("approval buttons: listening on {} (port {})", config_.approvals.listen,
               approvals_->port());
  return Status::Ok();
}

bool Service::PostHeldSet(const CycleResult& r) {
  if (!approvals_ || r.held_id.empty()) return false;
  if (!r.held_decision.empty() && r.held_decision != "pending") return false;
  std::shared_ptr<StateStore> store = Store();
  if (!store) return false;
  Result<std::vector<HeldSetRecord>> sets = store->RecentHeldSets(20);
  if (!sets.ok()) return false;
  for (const HeldSetRecord& held : *sets) {
    if (held.held_id != r.held_id) continue;
    std::string holds;
    for (const Hold& h : r.plan.holds) holds += "held: " + EscapeControl(h.message) + "\n";
    Config config;
    {
      std::lock_guard<std::mutex> lock(mu_);
      config = config_;
    }
    notifier_->AlertBody("held-set:" + held.held_id,
                         HeldPostJson(held, holds, config.approvals, approvals_key_,
                                      clock_.NowMs()));
    return true;
  }
  return false;
}

}  // namespace rostersync::daemon
