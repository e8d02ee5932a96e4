// ShouldAcceptBaseline: see cycle/baseline.h.
#include "cycle/baseline.h"

#include "sync/plan_acceptance.h"

namespace rostersync::cycle {

bool ShouldAcceptBaseline(const CycleRequest& request, const CycleResult& result) {
  if (!request.apply || !request.only_key.empty()) return false;
  if (!result.status.ok() || !result.planned || !result.applied) return false;
  return AcceptRosterAsBaseline(result.roster, result.plan, &result.report);
}

}  // namespace rostersync::cycle
