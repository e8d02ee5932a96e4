// ShouldAcceptBaseline: see cycle/baseline.h.
#include "cycle/baseline.h"

#include "sync/plan_acceptance.h"

namespace rostersync::cycle {
namespace {

// A person vouched for the roster this cycle read: `sync --force` released its guards, or an
// approval released the held actions they reviewed (its cycle stops, applying nothing, when
// the plan no longer holds them unchanged).
bool Vouched(const CycleRequest& request) {
  return request.force ||
         (request.command == RunCommand::kApprove && static_cast<bool>(request.before_apply));
}

// No hold of a roster-integrity guard is left in the plan as applied: an approval removed the
// holds of what it released; more leavers since the set was held keep theirs.
bool NoIntegrityHold(const Plan& plan) {
  for (const Hold& hold : plan.holds) {
    if (IsRosterIntegrityGuard(hold.guard)) return false;
  }
  return true;
}

}  // namespace

bool ShouldAcceptBaseline(const CycleRequest& request, const CycleResult& result) {
  if (!request.apply || !request.only_key.empty()) return false;
  if (!result.status.ok() || !result.planned || !result.applied) return false;
  if (AcceptRosterAsBaseline(result.roster, result.plan, &result.report)) return true;
  return Vouched(request) && result.report.ledger_status.ok() && NoIntegrityHold(result.plan);
}

}  // namespace rostersync::cycle
