// The accepted-baseline rule: whether the roster a cycle read becomes the baseline the next
// cycle's "roster shrank" check compares against (StateStore::SaveAcceptedRoster). Pure: no
// I/O; tested in tests/cycle/baseline_test.cc. See docs/design.md, "One cycle", "record".
#ifndef ROSTERSYNC_CYCLE_BASELINE_H_
#define ROSTERSYNC_CYCLE_BASELINE_H_

#include "cycle/cycle_types.h"

namespace rostersync::cycle {

// True only for a whole-roster cycle that applied (not plan, not sync-user) and ran to its
// end (status OK; the ledger saved), whose plan as applied has no hold from a
// roster-integrity guard (sync/plan_acceptance.h: an untrusted, truncated or shrunken
// export, the deactivation budget, a mass identity change, an implausible listing, a
// rejected row), and whose roster is trusted or was vouched for by a person: `sync --force`
// (guards released by --force add no hold) or an approval of its held set (RunCommand
// kApprove: the cycle applies only when the approved actions were released, and their holds
// go with them). An approval that left actions held (--only, or more leavers since) is not
// accepted; the next cycle judges that roster anew. Holds about single people or the server
// do not prevent it.
bool ShouldAcceptBaseline(const CycleRequest& request, const CycleResult& result);

}  // namespace rostersync::cycle

#endif  // ROSTERSYNC_CYCLE_BASELINE_H_
