// Held sets: the actions a guard held back in one plan, identified by a fingerprint of their
// kind, person and field changes, and the check that an approval of such a set still matches
// the current plan (exact approvals: docs/operations.md, "Approving a held plan").
// Pure functions over values; standard library only.
#ifndef ROSTERSYNC_SYNC_HELD_SET_H_
#define ROSTERSYNC_SYNC_HELD_SET_H_

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "sync/plan.h"
#include "sync/status.h"

namespace rostersync {

// One held action as an approval sees it. `target` names a membership action's team (and
// channel, "team/channel"); it is empty for account actions.
struct HeldItem {
  std::string action;  // ActionName()
  std::string key;     // roster key
  std::string target;
  std::string username;              // display only: not part of the fingerprint
  std::vector<FieldChange> changes;  // sorted by field
  bool operator==(const HeldItem& o) const {
    return action == o.action && key == o.key && target == o.target &&
           username == o.username && changes == o.changes;
  }
};

// True when `action` is held by a guard an approval may release (those `sync --force`
// releases). Ambiguous matches, identity conflicts, people named in rejected rows and demotes
// the server cannot do stay held whatever anyone approves, and are in no held set.
bool ApprovableHold(const Action& action);

// One action as a held item (whether or not it is held).
HeldItem HeldItemOf(const Action& action);

// The plan's approvable held actions in canonical order (key, action, target), changes sorted by field.
std::vector<HeldItem> HeldItemsOf(const Plan& plan);

// The held set's id: 16 lower-case hex digits of a 64-bit FNV-1a hash over the items' kind,
// key, target and changes (not the username, not the order the planner listed them in).
// "" when there are no items.
std::string HeldSetId(const std::vector<HeldItem>& items);

// "40 deactivate, 2 role": counts per action, in the order of ActionType.
std::string HeldSummary(const std::vector<HeldItem>& items);

// A lossless text form for the state store (one item per line, tab-separated, escaped).
std::string EncodeHeldItems(const std::vector<HeldItem>& items);
Result<std::vector<HeldItem>> DecodeHeldItems(const std::string& text);

// What an approval of `approved` (restricted to `only_keys` when not empty) may release in
// `current`: indices into current.actions of the held actions that match an approved item
// exactly, or, when anything differs, why (one line per difference) and no index.
struct ReleaseDecision {
  std::vector<std::size_t> release;
  std::vector<std::string> differences;  // non-empty: refused, nothing to release
  bool ok() const { return differences.empty() && !release.empty(); }
};
ReleaseDecision MatchApproved(const std::vector<HeldItem>& approved,
                              const std::set<std::string>& only_keys, const Plan& current);

// Marks the decided actions of `plan` as not held; the plan's other held actions stay held.
// A hold that held actions keeps the count of those still held under its guard and goes when
// none is left (also a second hold that counted the same actions); one without actions stays.
void ReleaseActions(const ReleaseDecision& decision, Plan* plan);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_HELD_SET_H_
