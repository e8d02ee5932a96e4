// When a roster becomes the accepted baseline that the next cycle's "roster shrank" check
// compares against. Pure: no I/O. The cycle core (cycle/baseline.h) adds the cycle-level
// conditions (applied, whole roster, ran to its end); docs/design.md, "One cycle".
#ifndef ROSTERSYNC_SYNC_PLAN_ACCEPTANCE_H_
#define ROSTERSYNC_SYNC_PLAN_ACCEPTANCE_H_

#include "sync/executor.h"
#include "sync/plan.h"
#include "sync/roster.h"

namespace rostersync {

// Whether `guard` (Hold::guard) doubts the roster itself: untrusted_roster, max_deactivations,
// mass_identity_change, implausible_listing, rejected_row.
bool IsRosterIntegrityGuard(const std::string& guard);

// True when the roster is trusted, the plan was applied (`report` not null, its ledger saved)
// and no hold came from a roster-integrity guard. Other holds (guests_unavailable,
// ambiguous_match, deactivated_outside, a suspected rename) and attention items are about
// single people or the server: a server where one of them is permanent still arms the
// shrink check. Guards released by --force add no hold, so a forced cycle is accepted.
bool AcceptRosterAsBaseline(const Roster& roster, const Plan& plan,
                            const ExecutionReport* report);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_PLAN_ACCEPTANCE_H_
