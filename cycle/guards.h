// Guards the daemon adds to a plan so they cannot be sidestepped one key at a time:
// - the deactivation budget (policy.max_deactivations) is shared by every cycle in a window
//   (since the last full cycle, at most schedule.interval), counted from the deactivations
//   recorded in the state store's audit table;
// - a per-key cycle (sync-user, POST /v1/users/{key}/sync) does not count as a sighting for
//   the cycle-count grace policy.deactivate_after: N.
// Pure functions over the store; thread-compatible.
#ifndef ROSTERSYNC_CYCLE_GUARDS_H_
#define ROSTERSYNC_CYCLE_GUARDS_H_

#include <cstdint>
#include <string>

#include "sync/ledger.h"
#include "sync/options.h"
#include "sync/plan.h"
#include "sync/state_store.h"

namespace rostersync::cycle {

struct GuardContext {
  const Ledger* ledger = nullptr;  // the planner's input ledger
  PolicyOptions policy;
  int64_t interval_ms = 3'600'000;  // schedule.interval
  int64_t now_ms = 0;
  std::string run_id;    // this cycle's (not counted as the last full cycle)
  std::string only_key;  // "" for a full cycle
  bool force = false;    // --force releases the budget hold, as the planner's guard
};

// Deactivations recorded ok in the audit since the window start (see above); the window
// start is returned in *window_start_ms.
Result<int> DeactivationsInWindow(StateStore& store, const GuardContext& ctx,
                                  int64_t* window_start_ms);

// Applies both guards to `plan` (holding deactivations beyond the budget with guard
// "max_deactivations"; dropping a per-key deactivation not yet due on scheduled sightings).
// When the store cannot be read, every deactivation is held (fail safe).
void ApplyWindowGuards(StateStore& store, const GuardContext& ctx, Plan* plan);

}  // namespace rostersync::cycle

#endif  // ROSTERSYNC_CYCLE_GUARDS_H_
